internal import Foundation

/// Content small enough to travel inside the event that records it, written as base64 so the
/// event's JSON stays compact and readable by `json_extract`.
public struct InlineBytes: Sendable, Hashable, Codable {
    /// The content.
    public var bytes: [UInt8]

    /// Wraps content.
    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let data = Data(base64Encoded: text) else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: "inline content is not base64"))
        }
        bytes = Array(data)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(Data(bytes).base64EncodedString())
    }

    /// The bytes of `range` (all of them for `nil`); INVALID_ARGUMENT when the range reaches
    /// outside the content.
    public func slice(_ range: Range<Int64>?, name: String) throws(SluiceError) -> [UInt8] {
        guard let range else { return bytes }
        guard range.lowerBound >= 0, range.upperBound <= Int64(bytes.count) else {
            throw SluiceError(.invalidArgument, "range \(range) is outside content \(name) of \(bytes.count) bytes")
        }
        return Array(bytes[Int(range.lowerBound)..<Int(range.upperBound)])
    }
}
