import Foundation
import Testing

@testable import SluiceLogSQLite

@Suite("A wait for the log's head ends on the commit that passes it, on its timeout, or on cancellation")
struct CommitSignalTests {
    @Test("a wait for a position the head has passed returns at once")
    func waitForAPassedPositionReturnsAtOnce() async {
        let signal = CommitSignal()
        signal.advance(to: 10)
        let started = ContinuousClock.now
        await signal.wait(after: 9, timeout: .seconds(60))
        #expect(ContinuousClock.now - started < .seconds(30))
        #expect(signal.waiterCount == 0)
    }

    @Test("every waiter the new head passes is resumed by the commit, long before its timeout")
    func commitResumesWaiters() async {
        let signal = CommitSignal()
        let started = ContinuousClock.now
        await withTaskGroup(of: Void.self) { group in
            for position in 0..<20 {
                group.addTask { await signal.wait(after: Int64(position % 5), timeout: .seconds(60)) }
            }
            while signal.waiterCount < 20 { try? await Task.sleep(for: .milliseconds(1)) }
            signal.advance(to: 3)
            // Waiters after 3 and 4 are not passed yet.
            while signal.waiterCount > 8 { try? await Task.sleep(for: .milliseconds(1)) }
            #expect(signal.waiterCount == 8)
            signal.advance(to: 5)
        }
        #expect(ContinuousClock.now - started < .seconds(30))
        #expect(signal.waiterCount == 0)
    }

    @Test("a wait that no commit ends returns after its timeout")
    func waitEndsOnTimeout() async {
        let signal = CommitSignal()
        let started = ContinuousClock.now
        await signal.wait(after: 0, timeout: .milliseconds(80))
        let waited = ContinuousClock.now - started
        #expect(waited >= .milliseconds(70))
        // Only a wait that never ends fails here: the suite runs hundreds of tests at once on two
        // cores, and the sleeper's wake-up has queued behind them for over 10 s.
        #expect(waited < .seconds(60))
        #expect(signal.waiterCount == 0)
    }

    @Test("cancelling the waiting task ends its wait")
    func cancellationEndsTheWait() async {
        let signal = CommitSignal()
        let started = ContinuousClock.now
        let waiting = Task { await signal.wait(after: 0, timeout: .seconds(60)) }
        while signal.waiterCount < 1 { try? await Task.sleep(for: .milliseconds(1)) }
        waiting.cancel()
        await waiting.value
        #expect(ContinuousClock.now - started < .seconds(30))
        #expect(signal.waiterCount == 0)
    }
}
