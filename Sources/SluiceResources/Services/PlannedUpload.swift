public import SluiceLog

/// An upload decided but not yet appended: its bytes are stored, and appending `parts` (as one
/// multi-stream append, in this order) makes it visible, with its notification messages.
public struct PlannedUpload: Sendable {
    /// The object version the upload makes.
    public var object: ObjectVersion
    /// The bucket it was decided in.
    public var bucket: BucketName
    /// The object's events first, then the bucket's condition or its notification messages.
    public var parts: [StreamAppend]
}
