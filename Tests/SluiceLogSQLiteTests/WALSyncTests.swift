import Foundation
import SluiceCore
import SluiceLog
import Synchronization
import Testing

@testable import SluiceLogSQLite

@Suite("With synchronous=full a commit is acknowledged and read in order only after its WAL sync")
struct WALSyncTests {
    @Test("an append returns only once the WAL sync after its commit is done")
    func appendWaitsForTheSync() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let (log, gate) = try await Self.openGated(database)
        _ = try await log.append([NewEvent(type: "t")], to: StreamName("s"))
        gate.close()
        let returned = Flag()
        let append = Task {
            let result = try await log.append([NewEvent(type: "t")], to: StreamName("s"))
            returned.set(true)
            return result
        }
        try await gate.waitForHeldSync()
        try await Task.sleep(for: .milliseconds(50))
        #expect(!returned.value)
        gate.open()
        let result = try await append.value
        #expect(result.firstPosition == 2)
        #expect(try await log.readAll(from: 1, limit: 10).count == 2)
        await log.close()
    }

    @Test("the head and reads in position order stop before a commit whose sync has not finished")
    func orderedReadsStopAtTheSyncedHead() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let (log, gate) = try await Self.openGated(database)
        _ = try await log.append([NewEvent(type: "t", data: "{\"n\": 1}")], to: StreamName("s"))
        gate.close()
        let append = Task { try await log.append([NewEvent(type: "t", data: "{\"n\": 2}")], to: StreamName("s")) }
        try await gate.waitForHeldSync()
        #expect(try await log.headPosition() == 1)
        #expect(try await log.readAll(from: 1, limit: 10).map(\.position) == [1])
        #expect(try await log.query(EventQuery(types: ["t"])).events.map(\.position) == [1])
        #expect(try await log.query(EventQuery(newestFirst: true)).events.map(\.position) == [1])
        gate.open()
        _ = try await append.value
        #expect(try await log.readAll(from: 1, limit: 10).map(\.position) == [1, 2])
        #expect(try await log.query(EventQuery(types: ["t"])).events.map(\.position) == [1, 2])
        await log.close()
    }

    @Test("a failed WAL sync fails the appends it covers with a storage error, and later appends go on")
    func failedSyncFailsItsAppends() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let failing = Flag()
        let log = try await Self.openSyncingOffThread(database) { descriptor in
            guard !failing.value else {
                errno = EIO
                return -1
            }
            return fdatasync(descriptor)
        }
        failing.set(true)
        let error = await #expect(throws: SluiceError.self) {
            _ = try await log.append([NewEvent(type: "t")], to: StreamName("s"))
        }
        #expect(error?.code == .storageFailure)
        failing.set(false)
        let next = try await log.append([NewEvent(type: "t")], to: StreamName("s"), expectedVersion: .exact(1))
        #expect(next.lastPosition == 2)
        #expect(try await log.verify().isIntact)
        await log.close()
    }
}

extension WALSyncTests {
    /// A log whose syncer thread waits at the returned gate before each sync.
    static func openGated(_ database: TemporaryDatabase) async throws -> (SQLiteEventLog, SyncGate) {
        let gate = SyncGate()
        let log = try await openSyncingOffThread(database) { descriptor in
            gate.pass()
            return fdatasync(descriptor)
        }
        return (log, gate)
    }

    /// A log with `synchronous=full` that syncs every commit on the syncer thread through `sync`.
    static func openSyncingOffThread(
        _ database: TemporaryDatabase, sync: @escaping @Sendable (Int32) -> Int32
    ) async throws -> SQLiteEventLog {
        var configuration = database.configuration(synchronous: .full)
        configuration.offThreadSyncAppends = 1
        configuration.walSync = sync
        return try await SQLiteEventLog.open(configuration)
    }
}

/// Holds WAL syncs while closed, so a test can look at the log between a commit and its sync.
final class SyncGate: Sendable {
    private struct State {
        var isOpen = true
        var held = 0
    }

    private let state = Mutex(State())

    /// On the syncer thread: waits while the gate is closed.
    func pass() {
        var counted = false
        while true {
            let isOpen = state.withLock { state -> Bool in
                if !state.isOpen && !counted { state.held += 1 }
                return state.isOpen
            }
            if isOpen { return }
            counted = true
            usleep(1_000)
        }
    }

    func close() { state.withLock { $0.isOpen = false } }

    func open() { state.withLock { $0.isOpen = true } }

    /// Returns once a sync is waiting at the closed gate (within five seconds).
    func waitForHeldSync() async throws {
        for _ in 0..<5_000 {
            if state.withLock({ $0.held > 0 }) { return }
            try await Task.sleep(for: .milliseconds(1))
        }
        Issue.record("no WAL sync reached the gate")
    }
}

/// A Boolean shared between a test and the log's threads.
private final class Flag: Sendable {
    private let state = Mutex(false)

    var value: Bool { state.withLock { $0 } }

    func set(_ value: Bool) { state.withLock { $0 = value } }
}
