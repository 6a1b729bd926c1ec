/// What an append stored: the positions and versions its events received.
public struct AppendResult: Sendable, Hashable, Codable {
    /// The position of the first appended event.
    public var firstPosition: Int64
    /// The position of the last appended event; positions in between belong to this append.
    public var lastPosition: Int64
    /// The stream version of the first appended event.
    public var firstVersion: Int64
    /// The stream's version after the append.
    public var lastVersion: Int64
    /// True when the idempotency key was seen before and this result is the original one.
    public var wasDuplicate: Bool

    /// Creates a result.
    public init(firstPosition: Int64, lastPosition: Int64, firstVersion: Int64, lastVersion: Int64, wasDuplicate: Bool)
    {
        self.firstPosition = firstPosition
        self.lastPosition = lastPosition
        self.firstVersion = firstVersion
        self.lastVersion = lastVersion
        self.wasDuplicate = wasDuplicate
    }

    /// The same result, marked as a replayed duplicate.
    public var asDuplicate: AppendResult {
        var copy = self
        copy.wasDuplicate = true
        return copy
    }
}
