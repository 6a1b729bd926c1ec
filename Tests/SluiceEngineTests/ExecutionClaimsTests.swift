import Synchronization
import Testing

@testable import SluiceEngine

@Suite("Execution claims keep one driver per execution, and a waiting driver gets its turn")
struct ExecutionClaimsTests {
    @Test("a claimed execution cannot be claimed again until it is released")
    func claimIsExclusive() throws {
        let claims = ExecutionClaims()
        let id = try ExecutionID("run-1")
        #expect(claims.claim(id))
        #expect(!claims.claim(id))
        claims.release(id)
        #expect(claims.claim(id))
    }

    @Test("waiting for a held claim returns once the holder releases it, holding it then")
    func waiterGetsTheClaimOnRelease() async throws {
        let claims = ExecutionClaims()
        let id = try ExecutionID("run-1")
        #expect(claims.claim(id))
        let claimed = Atomic<Bool>(false)
        let waiter = Task {
            await claims.claimWhenFree(id)
            claimed.store(true, ordering: .sequentiallyConsistent)
        }
        try await Task.sleep(for: .milliseconds(50))
        let claimedWhileHeld = claimed.load(ordering: .sequentiallyConsistent)
        #expect(!claimedWhileHeld)
        claims.release(id)
        await waiter.value
        let claimedAfterRelease = claimed.load(ordering: .sequentiallyConsistent)
        #expect(claimedAfterRelease)
        #expect(!claims.claim(id), "the waiter holds the claim now")
    }
}
