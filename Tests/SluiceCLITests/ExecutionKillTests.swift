import Foundation
import Testing

/// The durability bar for executions: a runner killed at any moment, restarted, finishes the
/// execution without recording any effect twice.
@Suite("A killed execution runner resumes without repeating a completed effect", .serialized)
struct ExecutionKillTests {
    /// Thirty effects in a row: each sleep is short, so kills land before, during and after them.
    static let workflow = """
        main:
          steps:
            - init:
                assign:
                  - ids: []
            - loop:
                for:
                  value: i
                  range: [1, 30]
                  steps:
                    - pause:
                        call: sys.sleep
                        args:
                          seconds: 0.1
                    - name:
                        call: uuid.generate
                        result: id
                    - keep:
                        assign:
                          - ids: ${list.concat(ids, id)}
            - done:
                return: ${len(ids)}
        """

    @Test("after at least 10 SIGKILLs the execution succeeds with every effect requested and completed once")
    func killedRunnerResumesExactlyOnce() throws {
        let binary = try SluiceBinary.locate()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-exec-kill-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("sluice.db").path
        let definition = directory.appendingPathComponent("flow.yaml")
        try Data(Self.workflow.utf8).write(to: definition)
        #expect(try binary.run(["workflows", "deploy", "flow", definition.path, "--db", database]).status == 0)
        #expect(try binary.run(["executions", "start", "flow", "--id", "k", "--db", database]).status == 0)

        var kills = 0
        var progressAtKills: Set<Int> = []
        var finished: SluiceBinary.Outcome?
        for round in 0..<200 where finished == nil {
            // How long a child takes to start on this machine right now, so kills land after it starts.
            let probeStarted = ContinuousClock.now
            _ = try binary.run(["executions", "get", "k", "--db", database])
            let startup = ContinuousClock.now - probeStarted
            // Capped: a probe slowed by a stalled machine must not make the wait outlast the
            // whole execution (30 sleeps of 0.1 s), which once ended a run with no kill at all.
            let startupMicros = UInt32(
                min(
                    1_000_000,
                    startup.components.seconds * 1_000_000 + startup.components.attoseconds / 1_000_000_000_000))
            let process = Process()
            process.executableURL = binary.url
            process.arguments = ["executions", "run", "k", "--db", database]
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            let collector = PipeCollector(output.fileHandleForReading)
            if kills < 15 {
                usleep(startupMicros + UInt32.random(in: 10_000..<150_000))
                if process.isRunning {
                    kill(process.processIdentifier, SIGKILL)
                    kills += 1
                    process.waitUntilExit()
                    let state = try binary.run(["executions", "get", "k", "--db", database]).stdout
                    let summary = try JSONSerialization.jsonObject(with: Data(state.utf8)) as? [String: Any]
                    progressAtKills.insert(summary?["effects"] as? Int ?? -1)
                }
            }
            process.waitUntilExit()
            let text = collector.text()
            if process.terminationReason == .exit {
                finished = SluiceBinary.Outcome(status: process.terminationStatus, stdout: text, stderr: "")
            }
            _ = round
        }
        #expect(kills >= 10, "the execution finished before it could be killed 10 times")
        #expect(
            progressAtKills.filter { $0 > 0 && $0 < 60 }.count >= 5,
            "too few kills landed mid-execution: \(progressAtKills)")
        #expect(finished?.status == 0)
        #expect(finished?.stdout == "30\n")

        let events = try binary.run([
            "events", "query", "--stream", "execution/k", "--json", "--limit", "10000", "--db", database,
        ])
        var requested: [String: Int] = [:]
        var completed: [String: Int] = [:]
        for line in events.stdout.split(separator: "\n") {
            let event = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
            let effect = (event["data"] as? [String: Any])?["effectId"] as? String ?? ""
            switch event["type"] as? String {
            case "effect.requested": requested[effect, default: 0] += 1
            case "effect.completed", "effect.failed": completed[effect, default: 0] += 1
            default: break
            }
        }
        #expect(requested.count == 60)
        #expect(requested.values.allSatisfy { $0 == 1 }, "an effect was requested twice")
        #expect(completed.count == 60)
        #expect(completed.values.allSatisfy { $0 == 1 }, "an effect's result was recorded twice")
        #expect(try binary.run(["admin", "verify", "--db", database]).status == 0)
    }
}
