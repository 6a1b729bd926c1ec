public import SluiceCore

/// Why an append was refused: the stream is not at the version the writer expected.
///
/// Carried as the `cause` of a `wrongExpectedVersion` ``SluiceError``; read it with `versionConflict`.
public struct VersionConflict: Error, Sendable, Hashable {
    /// The stream the append targeted.
    public var stream: StreamName
    /// The version the writer expected.
    public var expected: ExpectedVersion
    /// The version the stream actually has.
    public var actual: Int64

    /// Creates a conflict description.
    public init(stream: StreamName, expected: ExpectedVersion, actual: Int64) {
        self.stream = stream
        self.expected = expected
        self.actual = actual
    }

    /// The error an append throws for this conflict.
    public var error: SluiceError {
        SluiceError(
            .wrongExpectedVersion,
            "stream \(stream) is at version \(actual), but the append expected \(expected)",
            cause: self
        )
    }
}

extension SluiceError {
    /// The version conflict behind a `wrongExpectedVersion` error.
    public var versionConflict: VersionConflict? { cause as? VersionConflict }
}
