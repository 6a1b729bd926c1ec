import OrderedCollections
import SluiceWorkflows

/// The `labels` of an execution create request, checked as Google checks labels: at most 64,
/// keys of 1 to 63 lowercase letters, digits, `_` and `-` that start with a letter, values of at
/// most 63 of the same characters.
enum ExecutionLabels {
    static let maximumCount = 64
    static let maximumLength = 63

    /// The labels of `field` (the request's `labels`); empty when absent or null.
    static func parse(_ field: WorkflowValue?) throws(GoogleErrorResponse) -> [String: String] {
        guard let field, field != .null else { return [:] }
        guard let map = field.mapValue else { throw .invalidArgument("labels must be an object of strings") }
        guard map.count <= maximumCount else {
            throw .invalidArgument("an execution has at most \(maximumCount) labels, not \(map.count)")
        }
        var labels: [String: String] = [:]
        for (key, value) in map {
            guard let text = value.stringValue else { throw .invalidArgument("label \(key) must be a string") }
            guard key.first?.isLowercase == true, isLabelText(key) else {
                throw .invalidArgument(
                    "label key '\(key)' must start with a lowercase letter and hold at most \(maximumLength) "
                        + "lowercase letters, digits, '_' and '-'")
            }
            guard isLabelText(text) else {
                throw .invalidArgument(
                    "label value '\(text)' of \(key) must hold at most \(maximumLength) lowercase letters, digits, "
                        + "'_' and '-'")
            }
            labels[key] = text
        }
        return labels
    }

    private static func isLabelText(_ text: String) -> Bool {
        text.count <= maximumLength && text.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "_" || $0 == "-" }
    }
}
