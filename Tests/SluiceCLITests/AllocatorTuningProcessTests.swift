import Foundation
import SluiceTesting
import Testing

/// `sluice serve` restarts itself once with glibc allocator tunables, and nobody else sees them.
@Suite("sluice serve runs with a larger allocator cache and hides it from everything else")
struct AllocatorTuningProcessTests {
    static let tunables = "GLIBC_TUNABLES=glibc.malloc.tcache_count=2000"
    /// Variables of the test's own environment that would change what serve decides.
    static let allocatorVariables: Set<String> = [
        "GLIBC_TUNABLES", "SLUICE_DEFAULT_ALLOCATOR", "SLUICE_ALLOCATOR_TUNED",
    ]

    private func serve(_ arguments: [String] = ["--stack", "none"], environment: [String: String] = [:])
        async throws -> ServeProcess
    {
        try await ServeProcess(
            binary: try SluiceBinary.locate(),
            serveArguments: ["--db", try ServeProcess.temporaryDatabase(), "--port", "0"] + arguments,
            environment: environment, unsetting: Self.allocatorVariables)
    }

    /// The environment the kernel gave the process at its last exec, one `NAME=value` per entry.
    private func execEnvironment(of process: SpawnedChild) throws -> [String] {
        let raw = try Data(contentsOf: URL(fileURLWithPath: "/proc/\(process.processIdentifier)/environ"))
        return raw.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    }

    @Test("serve runs with the allocator tunables when the user set none")
    func serveRunsTuned() async throws {
        let server = try await serve()
        defer { server.terminate(signal: SIGKILL) }
        #expect(try execEnvironment(of: server.process).contains(Self.tunables))
    }

    @Test("a GLIBC_TUNABLES the user set is kept exactly as given")
    func userTunablesAreKept() async throws {
        let server = try await serve(environment: ["GLIBC_TUNABLES": "glibc.malloc.arena_max=2"])
        defer { server.terminate(signal: SIGKILL) }
        let environment = try execEnvironment(of: server.process)
        #expect(environment.contains("GLIBC_TUNABLES=glibc.malloc.arena_max=2"))
        #expect(!environment.contains { $0.hasPrefix("SLUICE_ALLOCATOR_TUNED=") }, "it was not restarted")
    }

    @Test("SLUICE_DEFAULT_ALLOCATOR runs serve with glibc's defaults")
    func optOutKeepsDefaults() async throws {
        let server = try await serve(environment: ["SLUICE_DEFAULT_ALLOCATOR": "1"])
        defer { server.terminate(signal: SIGKILL) }
        #expect(!(try execEnvironment(of: server.process)).contains { $0.hasPrefix("GLIBC_TUNABLES=") })
    }

    @Test("a command function started by a tuned serve inherits the environment without the tunables")
    func commandFunctionsInheritTheUserEnvironment() async throws {
        let directory = ScratchSpace.url("sluice-tuning-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let seen = directory.appendingPathComponent("function-environment.txt")
        let stack = directory.appendingPathComponent("stack.yaml")
        try Data(
            """
            name: environment-probe
            topics:
              - name: finalized
            buckets:
              - name: inbox
                notifications:
                  - topic: finalized
                    eventTypes: [OBJECT_FINALIZE]
            functions:
              - name: probe
                triggerTopic: finalized
                command: ["/bin/sh", "-c", "env > '\(seen.path).part' && mv '\(seen.path).part' '\(seen.path)'"]
            """.utf8
        ).write(to: stack)
        let server = try await serve(["--stack", stack.path])
        defer { server.terminate(signal: SIGKILL) }
        #expect(try execEnvironment(of: server.process).contains(Self.tunables))
        _ = try await server.request("POST", "/upload/storage/v1/b/inbox/o?uploadType=media&name=a.txt", body: "hi")
        for _ in 0..<500 where !FileManager.default.fileExists(atPath: seen.path) {
            try await Task.sleep(for: .milliseconds(20))
        }
        let environment = try String(contentsOf: seen, encoding: .utf8).split(separator: "\n")
        #expect(!environment.isEmpty)
        #expect(!environment.contains { $0.hasPrefix("GLIBC_TUNABLES=") })
        #expect(!environment.contains { $0.hasPrefix("SLUICE_ALLOCATOR_TUNED=") })
    }
}
