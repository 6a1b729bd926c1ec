import SluiceCore
import SluiceStack
import Testing

@Suite("A stack file whose aliases expand past any real stack is refused before it is walked")
struct StackFileSizeTests {
    /// Nine levels of anchors, each listing ten aliases of the one before: 10^9 nodes expanded.
    static let bomb: String = {
        var lines = ["name: bomb", "l0: &l0 [x, x, x, x, x, x, x, x, x, x]"]
        for level in 1...9 {
            let aliases = Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ", ")
            lines.append("l\(level): &l\(level) [\(aliases)]")
        }
        return lines.joined(separator: "\n") + "\n"
    }()

    @Test("a billion-node alias bomb is INVALID_ARGUMENT, at once")
    func anAliasBombIsRefused() throws {
        let started = ContinuousClock.now
        #expect(throws: SluiceError(.invalidArgument, "")) { try StackFile(yaml: Self.bomb, path: "stack.yaml") }
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test("an ordinary stack with anchors and aliases still loads")
    func ordinaryAliasesLoad() throws {
        let yaml = """
            name: demo
            topics:
              - &events {name: events}
            buckets:
              - name: uploads
            """
        #expect(try StackFile(yaml: yaml, path: "stack.yaml").name == "demo")
    }
}
