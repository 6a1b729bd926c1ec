/// What applying a stack would change, one line per resource, as `apply` prints it.
public struct StackPlan: Sendable, Hashable {
    public struct Change: Sendable, Hashable {
        public enum Action: String, Sendable, Hashable {
            case create, update, delete, unchanged

            /// The diff mark: `+`, `~`, `-` or `=`.
            public var mark: String {
                switch self {
                case .create: "+"
                case .update: "~"
                case .delete: "-"
                case .unchanged: "="
                }
            }
        }

        public var action: Action
        /// `kind/name`, such as `bucket/uploads`.
        public var resource: String
        /// What changes, for updates.
        public var detail: String

        public init(_ action: Action, _ resource: String, _ detail: String = "") {
            self.action = action
            self.resource = resource
            self.detail = detail
        }

        /// `+ bucket/uploads` or `~ workflow/predict (a new revision)`.
        public var line: String {
            detail.isEmpty ? "\(action.mark) \(resource)" : "\(action.mark) \(resource) (\(detail))"
        }
    }

    public var changes: [Change]

    /// Whether applying would change anything.
    public var hasChanges: Bool { changes.contains { $0.action != .unchanged } }

    /// How many changes of each kind: "2 to create, 1 to update, 0 to delete".
    public var summary: String {
        let count = { (action: Change.Action) in changes.count { $0.action == action } }
        return "\(count(.create)) to create, \(count(.update)) to update, \(count(.delete)) to delete, "
            + "\(count(.unchanged)) unchanged"
    }
}

/// Where a stack's models go: the model directory the server loads at start, and the running
/// server's registry when there is one.
public protocol ModelInstaller: Sendable {
    /// The model file installed under `name`, or `nil`.
    func installed(_ name: String) async throws -> [UInt8]?
    /// Installs (or replaces) a model file.
    func install(_ name: String, json: [UInt8]) async throws
    /// Removes a model.
    func remove(_ name: String) async throws
    /// Whether the model document, once installed, runs a program on the server (a worker
    /// command), as the runtime that loads it decides.
    func runsCommand(_ json: [UInt8]) async -> Bool
}

extension StackPlan {
    /// A fingerprint of the plan's lines (FNV-1a, hex). A client confirms a plan and sends its
    /// digest with the apply; the server refuses the apply when its plan has changed since.
    public var digest: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in changes.map(\.line).joined(separator: "\n").utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
