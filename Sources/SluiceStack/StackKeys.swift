import SluiceCore

/// The keys a stack file may use, per section, checked before anything is applied.
enum StackKeys {
    static let sections: [String: Set<String>] = [
        "buckets": ["name", "versioning", "notifications"],
        "topics": ["name"],
        "subscriptions": [
            "name", "topic", "ackDeadlineSeconds", "filter", "enableMessageOrdering", "enableExactlyOnceDelivery",
            "deadLetterTopic", "maxDeliveryAttempts", "minimumBackoffSeconds", "maximumBackoffSeconds",
        ],
        "workflows": ["name", "source", "sourceContents", "serviceAccount"],
        "functions": [
            "name", "triggerTopic", "startWorkflow", "url", "command", "retry", "timeoutSeconds", "maxInstances",
            "deadLetterTopic", "maxDeliveryAttempts",
        ],
        "models": ["name", "file", "url", "command", "workers", "timeoutSeconds"],
    ]
    static let notificationKeys: Set<String> = [
        "topic", "eventTypes", "objectNamePrefix", "payloadFormat", "customAttributes",
    ]
    static let topLevel: Set<String> = Set(StackFile.CodingKeys.allCases.map(\.rawValue))

    static func check(_ tree: Any?, path: String) throws(SluiceError) {
        guard let root = tree as? [String: Any] else {
            throw SluiceError(.invalidArgument, "\(path): a stack file is a mapping")
        }
        for key in root.keys where !topLevel.contains(key) {
            throw SluiceError(.invalidArgument, "\(path): unknown key '\(key)'")
        }
        for (section, allowed) in sections {
            for (index, entry) in ((root[section] as? [Any]) ?? []).enumerated() {
                let fields = entry as? [String: Any] ?? [:]
                for key in fields.keys where !allowed.contains(key) {
                    throw SluiceError(.invalidArgument, "\(path): unknown key '\(key)' in \(section)[\(index)]")
                }
                for (inner, notification) in ((fields["notifications"] as? [Any]) ?? []).enumerated() {
                    for key in (notification as? [String: Any] ?? [:]).keys where !notificationKeys.contains(key) {
                        throw SluiceError(
                            .invalidArgument,
                            "\(path): unknown key '\(key)' in \(section)[\(index)].notifications[\(inner)]")
                    }
                }
            }
        }
    }

    static func path(_ keys: [any CodingKey]) -> String {
        keys.isEmpty ? "the top level" : keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
    }
}
