import Foundation
import SluiceWorkflows
import Testing

/// Property-based fuzzing of the loaders and the expression parser with a seeded generator: every input must
/// load, parse or fail with a typed error, never crash. The input count is set by SLUICE_FUZZ_INPUTS
/// (default 1,000,000 in total; a release build runs it in well under a minute).
@Suite struct FuzzTests {
    /// SplitMix64: small, fast and reproducible.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let totalInputs: Int = {
        if let text = getenvValue("SLUICE_FUZZ_INPUTS"), let value = Int(text) { return value }
        return 1_000_000
    }()

    static let expressionPieces = [
        "1", "2.5", "-", "+", "*", "/", "//", "%", "(", ")", "[", "]", "{", "}", ",", ":", ".", "a", "b.c", "x[0]",
        "\"s\"", "'t'", "\"\\u00e9\"", "and", "or", "not", "in", "==", "!=", "<", ">=", "true", "null", "len(",
        "math.max(", "f(", "9223372036854775807", "1e308", " ", "\"unterminated", "\\", "$", "{\"k\": 1}",
    ]

    static let yamlPieces = [
        "- ", "  ", "\n", "main:", "steps:", "params: [a, b: 1]", "assign:", "- x: 1", "- y: ${x + 1}", "return: ",
        "${", "}", "call: sys.log", "args:", "result: r", "switch:", "- condition: ${true}", "next: end", "for:",
        "value: v", "in: [1, 2]", "range: [1, 3]", "try:", "except:", "as: e", "retry: ${http.default_retry}",
        "parallel:", "branches:", "- b:", "shared: [x]", "raise: boom", "[", "]", "{", "}", "\"", "'", ":", "&a",
        "*a", "!!str", "#", "? ", "|", ">", "0x1F", "~", "null", "1.5e3",
    ]

    static let jsonPieces = [
        "{", "}", "[", "]", ",", ":", "\"main\"", "\"steps\"", "\"r\"", "\"return\"", "1", "-0.5e2", "true",
        "null", "\"${1+2}\"", "\"\\u12\"", "\"a\\\"b\"", " ", "\n",
    ]

    static func compose(_ pieces: [String], _ generator: inout Generator, maxLength: Int) -> String {
        let count = Int.random(in: 0...maxLength, using: &generator)
        var text = ""
        for _ in 0..<count { text += pieces.randomElement(using: &generator)! }
        if Int.random(in: 0..<20, using: &generator) == 0, !text.isEmpty {
            var scalars = Array(text.unicodeScalars)
            scalars[Int.random(in: 0..<scalars.count, using: &generator)] =
                Unicode.Scalar(UInt8.random(in: 0...127, using: &generator))
            text = String(String.UnicodeScalarView(scalars))
        }
        return text
    }

    /// Runs an accepted definition with a small step budget; it must end, one way or the other.
    static func execute(_ definition: WorkflowDefinition) {
        var execution = WorkflowExecution(
            definition: definition, environment: WorkflowEnvironment(maximumSteps: 500))
        for _ in 0..<1000 {
            guard case .effects(let requests) = execution.advance() else { return }
            for request in requests { execution.complete(effectID: request.id, with: Harness.defaultHost(request)) }
        }
    }

    /// Async and yielding every thousand inputs: a synchronous loop of this length holds a
    /// cooperative thread for many seconds and starves every concurrently running test.
    @Test(.timeLimit(.minutes(10)))
    func loadersAndTheExpressionParserNeverCrashOnGeneratedInput() async throws {
        var generator = Generator(state: 0x5EED)
        let expressions = Self.totalInputs * 90 / 100
        let documents = Self.totalInputs - expressions
        var accepted = 0
        for index in 0..<expressions {
            if index % 1_000 == 0 { await Task.yield() }
            let text = Self.compose(Self.expressionPieces, &generator, maxLength: 12)
            if (try? ExpressionParser.parse(text)) != nil { accepted += 1 }
        }
        for index in 0..<documents {
            if index % 1_000 == 0 { await Task.yield() }
            switch index % 3 {
            case 0:
                let text = Self.compose(Self.yamlPieces, &generator, maxLength: 30)
                if let definition = try? WorkflowDefinition(source: text) {
                    accepted += 1
                    Self.execute(definition)
                }
            case 1:
                let text = Self.compose(Self.jsonPieces, &generator, maxLength: 30)
                if (try? JSONReader.parse(text)) != nil { accepted += 1 }
            default:
                let text = Self.compose(Self.jsonPieces, &generator, maxLength: 30)
                if (try? WorkflowDefinition(source: text)) != nil { accepted += 1 }
            }
        }
        #expect(accepted > 0)
        print("fuzz: \(Self.totalInputs) inputs, \(accepted) accepted")
    }
}

private func getenvValue(_ name: String) -> String? {
    guard let pointer = getenv(name) else { return nil }
    return String(cString: pointer)
}
