import Foundation
import SluiceWorkflows
import Testing

@Suite("Numbers past a double's range and NaN behave the same whatever the order of the arguments")
struct NonFiniteNumberTests {
    @Test(
        "math.max and math.min of NaN and a number are NaN, whichever argument the NaN is",
        arguments: ["math.max(n, 1)", "math.max(1, n)", "math.min(n, 1)", "math.min(1, n)"])
    func nanPropagates(_ expression: String) throws {
        // NaN cannot be stored or returned, so it is made in place (infinity minus infinity) and
        // recognised in place: only NaN differs from itself.
        let nan = "(1e308 * 10 - 1e308 * 10)"
        let made = expression.replacingOccurrences(of: "(n,", with: "(\(nan),")
            .replacingOccurrences(of: ", n)", with: ", \(nan))")
        #expect(try Harness.evaluate("\(made) != \(made)").get() == true)
    }

    @Test(
        "json.decode of a number a double cannot hold is a ValueError, not null",
        arguments: [#"json.decode("1e400")"#, #"json.decode("[-1e400]")"#])
    func overflowingNumberIsValueError(_ expression: String) throws {
        guard case .failure(let error) = try Harness.evaluate(expression) else {
            Issue.record("\(expression) did not fail")
            return
        }
        #expect(error.tags == ["ValueError"])
    }
}
