import Foundation
import Hummingbird
import HummingbirdTesting
import SluiceCore
import SluiceEngine
import SluiceHTTP
import SluiceLog
import Testing

/// Workflows v1's delete "also cancels and deletes all running executions of the workflow".
@Suite("Deleting a workflow cancels its running executions, and a workflow created again does not see them")
struct WorkflowDeleteAPITests {
    static let workflow = APIFixture.base + "/workflows/busy"

    /// Retries without pause for ever: an execution that appends all the time until it is stopped.
    static let busy = #"""
        {"sourceContents": "main:\n  steps:\n    - t:\n        try:\n          raise: \"x\"\n        retry:\n          predicate: ${retry.always}\n          max_retries: 1000000000\n          backoff:\n            initial_delay: 0.0001\n            max_delay: 0.0001\n            multiplier: 1\n"}
        """#

    /// Creates workflow `busy` and one execution of it, whose id it returns.
    private func createBusyExecution(_ client: some TestClientProtocol) async throws -> ExecutionID {
        try await client.execute(
            uri: APIFixture.base + "/workflows?workflowId=busy", method: .post, body: ByteBuffer(string: Self.busy)
        ) { #expect($0.status == .ok) }
        let name = try await client.execute(uri: Self.workflow + "/executions", method: .post) { response in
            APIFixture.json(response.body)["name"] as? String ?? ""
        }
        return try ExecutionID(String(name.split(separator: "/").last ?? ""))
    }

    @Test("deleting a workflow cancels its busy execution, recording who deleted it and why, and the run stops")
    func deleteCancelsARunningExecution() async throws {
        let fixture = APIFixture(
            performer: SystemEffectPerformer(now: WallClock.microsecondsSinceEpoch, next: UnroutedEffectPerformer()))
        try await fixture.app().test(.router) { client in
            let id = try await createBusyExecution(client)
            let runner = fixture.runner
            let running = Task { try await runner.run(id) }
            while await fixture.log.readStream(id.stream, from: 1, limit: 100).count < 30 {
                #expect(await fixture.log.readStream(id.stream, from: 1, limit: 100).last?.type != "execution.failed")
                try await Task.sleep(for: .milliseconds(5))
            }

            try await client.execute(uri: Self.workflow, method: .delete) { #expect($0.status == .ok) }

            let reason = "the workflow busy was deleted"
            let clock = ContinuousClock()
            let deadline = clock.now + .seconds(10)
            while try await runner.history(of: id).ending == nil, clock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            if try await runner.history(of: id).ending == nil {
                Issue.record("the execution still runs after its workflow was deleted")
                try await runner.cancel(id, reason: "the test ends", principal: nil)
            }
            #expect(try await running.value.ending == .cancelled(reason: reason))
            let cancelled = try await fixture.log.query(
                EventQuery(stream: id.stream, types: [ExecutionEventType.cancelled], limit: 10)
            ).events
            #expect(cancelled.count == 1)
            #expect(cancelled.first?.metadata.principal == "api")
        }
    }

    @Test("a workflow created again after a delete neither lists nor gets the executions of the deleted one")
    func recreatedWorkflowDoesNotSeeOldExecutions() async throws {
        let fixture = APIFixture()
        try await fixture.app().test(.router) { client in
            let old = try await createBusyExecution(client)
            try await client.execute(uri: Self.workflow, method: .delete) { #expect($0.status == .ok) }
            try await client.execute(
                uri: APIFixture.base + "/workflows?workflowId=busy", method: .post, body: ByteBuffer(string: Self.busy)
            ) { #expect($0.status == .ok) }
            let new = try await client.execute(uri: Self.workflow + "/executions", method: .post) { response in
                APIFixture.json(response.body)["name"] as? String ?? ""
            }

            try await client.execute(uri: Self.workflow + "/executions", method: .get) { response in
                let names = (APIFixture.json(response.body)["executions"] as? [[String: Any]])?.map {
                    $0["name"] as? String ?? ""
                }
                #expect(names == [new])
            }
            try await client.execute(uri: Self.workflow + "/executions/\(old)", method: .get) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: Self.workflow + "/executions/\(old):cancel", method: .post) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test("the executions of a deleted workflow are CANCELLED in Sluice's own view of every execution")
    func deletedWorkflowsExecutionsReadCancelled() async throws {
        let fixture = APIFixture()
        try await fixture.app().test(.router) { client in
            let id = try await createBusyExecution(client)
            try await client.execute(uri: Self.workflow, method: .delete) { #expect($0.status == .ok) }
            try await client.execute(uri: APIFixture.base + "/workflows/-/executions/\(id)", method: .get) { response in
                #expect(APIFixture.json(response.body)["state"] as? String == "CANCELLED")
            }
        }
    }
}
