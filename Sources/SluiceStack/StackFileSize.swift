import SluiceCore
import Yams

/// Bounds a stack file's tree before anything walks it. YAML aliases make a tree far larger than
/// its text: nine levels of anchors, each listing ten aliases of the one before, are a few hundred
/// bytes that expand to a billion nodes, and decoding them took a server's memory until it was
/// killed. Composing resolves each alias to its anchored node without copying it, and counting
/// stops at the limit, so the check costs at most the limit however large the expansion.
enum StackFileSize {
    /// More nodes than any real stack holds (one resource is a few dozen).
    static let maximumNodes = 200_000
    /// Deeper than any real stack nests.
    static let maximumDepth = 64

    static func check(_ yaml: String, path: String) throws(SluiceError) {
        // Syntax errors are for the decoder to report, with its own message.
        guard let root = try? Yams.compose(yaml: yaml) else { return }
        var budget = maximumNodes
        guard fits(root, depth: 0, budget: &budget) else {
            throw SluiceError(
                .invalidArgument,
                "\(path): the stack file has more than \(maximumNodes) nodes once its aliases are expanded, or is "
                    + "nested deeper than \(maximumDepth) levels")
        }
    }

    private static func fits(_ node: Node, depth: Int, budget: inout Int) -> Bool {
        budget -= 1
        guard budget >= 0, depth <= maximumDepth else { return false }
        switch node {
        case .sequence(let items):
            for item in items where !fits(item, depth: depth + 1, budget: &budget) { return false }
        case .mapping(let pairs):
            for (key, value) in pairs {
                guard fits(key, depth: depth + 1, budget: &budget), fits(value, depth: depth + 1, budget: &budget)
                else { return false }
            }
        case .scalar, .alias:
            break
        }
        return true
    }
}
