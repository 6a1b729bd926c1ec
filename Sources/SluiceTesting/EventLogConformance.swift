import SluiceCore
public import SluiceLog
public import Testing

/// The behaviour every ``EventLog`` must show, run against each implementation by its test target.
public enum EventLogConformance {
    /// One named behaviour, runnable against a fresh log.
    public struct Check: Sendable, CustomTestStringConvertible {
        /// The behaviour, as a sentence.
        public let name: String
        let body: @Sendable (any EventLog) async throws -> Void

        /// Runs the check against `log`, which must be empty.
        public func run(on log: any EventLog) async throws { try await body(log) }

        public var testDescription: String { name }
    }

    /// Every check, in a stable order.
    public static var all: [Check] { appending + multiStream + reading + querying }

    static func check(_ name: String, _ body: @escaping @Sendable (any EventLog) async throws -> Void) -> Check {
        Check(name: name, body: body)
    }
}

/// Shorthands the checks share.
extension EventLogConformance {
    static func stream(_ name: String) -> StreamName { StreamName(unchecked: name) }

    static func event(_ type: String = "thing.happened", _ data: String = "{}", correlation: String? = nil) -> NewEvent
    {
        NewEvent(type: type, data: data, metadata: EventMetadata(correlationID: correlation, principal: "tester"))
    }

    /// The error an async call throws, or nil.
    static func thrownError(_ body: () async throws -> Void) async -> SluiceError? {
        do {
            try await body()
            return nil
        } catch let error as SluiceError {
            return error
        } catch {
            Issue.record("expected a SluiceError, got \(error)")
            return nil
        }
    }
}
