import Foundation
import SluiceTesting
import Testing

@Suite("sluice workflows runs a definition and prints the result or the GCP error map")
struct WorkflowsCommandTests {
    private func file(_ text: String, suffix: String = ".yaml") throws -> String {
        let path = ScratchSpace.url("sluice-wf-\(UUID())\(suffix)").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    private let summing = """
        main:
          params: [args]
          steps:
            - sum:
                return: ${args.a + args.b}
        """

    @Test("a successful run prints the JSON result and exits 0")
    func successPrintsResult() async throws {
        let workflow = try file(summing)
        let outcome = try await SluiceBinary.locate().run([
            "workflows", "run", workflow, "--data", #"{"a": 40, "b": 2}"#,
        ])
        #expect(outcome.status == 0)
        #expect(outcome.stdout == "42\n")
    }

    @Test("--data @FILE reads the argument from a file")
    func dataFromFile() async throws {
        let workflow = try file(summing)
        let argument = try file(#"{"a": "x", "b": "y"}"#, suffix: ".json")
        let outcome = try await SluiceBinary.locate().run(["workflows", "run", workflow, "--data", "@" + argument])
        #expect(outcome.stdout == "\"xy\"\n")
    }

    @Test("a failed run prints the error map on stdout and exits 1")
    func failurePrintsErrorMap() async throws {
        let workflow = try file(summing)
        let outcome = try await SluiceBinary.locate().run([
            "workflows", "run", workflow, "--data", #"{"a": 1, "b": "y"}"#,
        ])
        #expect(outcome.status == 1)
        let error = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any]
        #expect(error?["tags"] as? [String] == ["TypeError"])
    }

    @Test("validate reports a misplaced key with its line and column")
    func validateReportsPosition() async throws {
        let workflow = try file("- a:\n    nope: 1\n")
        let outcome = try await SluiceBinary.locate().run(["workflows", "validate", workflow])
        #expect(outcome.status == 1)
        let error = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any]
        #expect(error?["line"] as? Int == 2)
        #expect(error?["column"] as? Int == 5)
    }

    @Test("a definition file that does not exist is named in the error")
    func missingFileIsNamed() async throws {
        let outcome = try await SluiceBinary.locate().run(["workflows", "run", "/nonexistent/flow.yaml"])
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("cannot read /nonexistent/flow.yaml: no such file"))
    }
}
