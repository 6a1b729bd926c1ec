import Foundation
import SluiceTesting
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

    /// When the log's write-ahead file (or the database, after a checkpoint) last changed.
    static func lastWrite(_ database: String) -> [Date?] {
        [database + "-wal", database].map {
            (try? FileManager.default.attributesOfItem(atPath: $0))?[.modificationDate] as? Date
        }
    }

    @Test("after at least 10 SIGKILLs the execution succeeds with every effect requested and completed once")
    func killedRunnerResumesExactlyOnce() async throws {
        let binary = try SluiceBinary.locate()
        let directory = ScratchSpace.url("sluice-exec-kill-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("sluice.db").path
        let definition = directory.appendingPathComponent("flow.yaml")
        try Data(Self.workflow.utf8).write(to: definition)
        #expect(try await binary.run(["workflows", "deploy", "flow", definition.path, "--db", database]).status == 0)
        #expect(try await binary.run(["executions", "start", "flow", "--id", "k", "--db", database]).status == 0)

        var kills = 0
        var progressAtKills: Set<Int> = []
        var finished: SluiceBinary.Outcome?
        for round in 0..<200 where finished == nil {
            let lastWrite = Self.lastWrite(database)
            let output = Pipe()
            let process = try SpawnedChild(
                executable: binary.url, arguments: ["executions", "run", "k", "--db", database],
                environment: ProcessInfo.processInfo.environment, standardOutput: .pipe(output), standardError: .null)
            let collector = PipeCollector(output.fileHandleForReading)
            if kills < 15 {
                // Kills land shortly after the child first writes to the log, however long it took
                // to start: timing the kill from the start made a slow start on a loaded machine
                // use up kills before any progress, and a fast one finish the execution early.
                let delay = UInt32.random(in: 10_000..<150_000)
                await OffPool.run {
                    let deadline = Date().addingTimeInterval(20)
                    while process.isRunning, Self.lastWrite(database) == lastWrite, Date() < deadline {
                        usleep(1_000)
                    }
                    usleep(delay)
                }
                if process.isRunning {
                    kill(process.processIdentifier, SIGKILL)
                    kills += 1
                    await process.exited()
                    let state = try await binary.run(["executions", "get", "k", "--db", database]).stdout
                    let summary = try JSONSerialization.jsonObject(with: Data(state.utf8)) as? [String: Any]
                    progressAtKills.insert(summary?["effects"] as? Int ?? -1)
                }
            }
            await process.exited()
            let text = await collector.text()
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

        let events = try await binary.run([
            "events", "query", "--stream", "execution/k", "--json", "--limit", "10000", "--db", database,
        ])
        var requested: [String: Int] = [:]
        var completed: [String: Int] = [:]
        for line in events.stdout.split(separator: "\n") {
            let event = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
            let effect = (event["data"] as? [String: Any])?["effectId"] as? String ?? ""
            let carriesRequest = (event["data"] as? [String: Any])?["function"] != nil
            switch event["type"] as? String {
            case "effect.requested": requested[effect, default: 0] += 1
            case "effect.completed", "effect.failed":
                completed[effect, default: 0] += 1
                // A replay-safe effect's one event records its request too.
                if carriesRequest { requested[effect, default: 0] += 1 }
            default: break
            }
        }
        #expect(requested.count == 60)
        #expect(requested.values.allSatisfy { $0 == 1 }, "an effect was requested twice")
        #expect(completed.count == 60)
        #expect(completed.values.allSatisfy { $0 == 1 }, "an effect's result was recorded twice")
        #expect(try await binary.run(["admin", "verify", "--db", database]).status == 0)
    }
}
