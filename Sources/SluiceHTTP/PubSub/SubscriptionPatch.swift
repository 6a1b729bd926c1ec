import Foundation
import SluiceResources

/// Applies an `UpdateSubscriptionRequest`'s `updateMask` to a subscription: the masked fields of
/// the request's subscription replace those of the current one (a masked field the request
/// leaves out is cleared), everything else stays.
enum SubscriptionPatch {
    /// The fields Pub/Sub lets a PATCH change.
    static let updatable: Set<String> = [
        "ackDeadlineSeconds", "pushConfig", "retryPolicy", "deadLetterPolicy", "messageRetentionDuration",
        "retainAckedMessages", "enableExactlyOnceDelivery", "labels",
    ]

    /// The mask's paths in the JSON API's lowerCamelCase (`ack_deadline_seconds` is accepted too).
    static func paths(_ mask: String) throws -> [String] {
        let paths = mask.split(separator: ",").map { camelCase(String($0).trimmingCharacters(in: .whitespaces)) }
        guard !paths.isEmpty, !paths.contains(where: \.isEmpty) else {
            throw GoogleErrorResponse.invalidArgument("updateMask must name the fields to change")
        }
        for path in paths {
            let field = String(path.prefix { $0 != "." })
            guard updatable.contains(field) else {
                throw GoogleErrorResponse.invalidArgument("\(path) cannot be changed by an update")
            }
        }
        return paths
    }

    /// `current` (a subscription resource) with the masked paths taken from `patch`.
    static func merge(_ current: [String: Any], _ patch: [String: Any], paths: [String]) -> [String: Any] {
        var merged = current
        for path in paths {
            set(&merged, path: path.split(separator: ".").map(String.init), value: get(patch, path: path))
        }
        return merged
    }

    private static func get(_ object: [String: Any], path: String) -> Any? {
        var value: Any? = object
        for key in path.split(separator: ".") { value = (value as? [String: Any])?[String(key)] }
        return value
    }

    private static func set(_ object: inout [String: Any], path: [String], value: Any?) {
        guard let key = path.first else { return }
        if path.count == 1 {
            object[key] = value
            return
        }
        var child = object[key] as? [String: Any] ?? [:]
        set(&child, path: Array(path.dropFirst()), value: value)
        object[key] = child
    }

    private static func camelCase(_ path: String) -> String {
        path.split(separator: ".", omittingEmptySubsequences: false).map { ProtoJSONNames.lowerCamelCase(String($0)) }
            .joined(separator: ".")
    }
}
