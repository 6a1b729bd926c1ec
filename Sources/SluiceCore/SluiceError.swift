/// The error every Sluice domain throws: a code that decides retries and status mapping, and a
/// message written for the person who has to fix the problem.
///
/// Messages carry identifiers, never payloads or secrets. Equality compares codes only.
public struct SluiceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, as a closed-for-now but extensible set.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String, Sendable {
            case invalidArgument
            case notFound
            case alreadyExists
            case wrongExpectedVersion
            case failedPrecondition
            case unavailable
            case storageFailure
            case corruptStore
            case incompatibleSchema
            case internalFailure
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// The request itself is wrong: a bad name, a malformed value, a limit exceeded.
        public static let invalidArgument = Code(.invalidArgument)
        /// The named thing does not exist.
        public static let notFound = Code(.notFound)
        /// The thing to create exists already.
        public static let alreadyExists = Code(.alreadyExists)
        /// An append's expected stream version did not match the stream's actual version.
        public static let wrongExpectedVersion = Code(.wrongExpectedVersion)
        /// The system is not in the state the operation needs.
        public static let failedPrecondition = Code(.failedPrecondition)
        /// A transient condition: the same call may succeed later.
        public static let unavailable = Code(.unavailable)
        /// The storage layer failed to read or write.
        public static let storageFailure = Code(.storageFailure)
        /// Stored data is damaged or not Sluice's.
        public static let corruptStore = Code(.corruptStore)
        /// The store was written by a schema this binary does not know.
        public static let incompatibleSchema = Code(.incompatibleSchema)
        /// A bug in Sluice.
        public static let internalFailure = Code(.internalFailure)

        /// Whether repeating the same call unchanged can succeed; the retry policy reads nothing else.
        public var isRetryable: Bool {
            switch value {
            case .unavailable, .storageFailure: true
            default: false
            }
        }

        public var description: String { value.rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// What went wrong and how to fix it, for a person.
    public var message: String
    /// The underlying error, when there is one.
    public var cause: (any Error & Sendable)?
    /// Where the error was created, for bug reports.
    public var location: SourceLocation

    /// Creates an error; the location defaults to the caller's.
    public init(
        _ code: Code,
        _ message: String,
        cause: (any Error & Sendable)? = nil,
        fileID: String = #fileID,
        line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.cause = cause
        self.location = SourceLocation(fileID: fileID, line: line)
    }

    public static func == (lhs: SluiceError, rhs: SluiceError) -> Bool { lhs.code == rhs.code }

    public var description: String {
        if let cause {
            return "\(code): \(message) (\(cause))"
        }
        return "\(code): \(message)"
    }

    /// A place in Sluice's own source code.
    public struct SourceLocation: Sendable, Hashable {
        /// The `#fileID` of the place.
        public var fileID: String
        /// The line of the place.
        public var line: Int
    }
}
