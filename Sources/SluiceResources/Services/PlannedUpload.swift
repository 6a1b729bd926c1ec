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
    /// What the append of `parts` goes through, so it never overlaps a delete of the bucket.
    public var admission: CommitAdmission
}

/// Keeps an append that someone else makes for a planned upload (an execution, in its own step)
/// from overlapping a delete of the upload's bucket, as ``StorageService``'s own uploads are.
public struct CommitAdmission: Sendable {
    let gate: BucketDeletionGate
    let bucket: BucketName

    /// Runs `commit`, the append, once no delete of the bucket is in progress, holding deletes
    /// back until it ends.
    public func committing<Result, Failure: Error>(_ commit: () async throws(Failure) -> Result)
        async throws(Failure) -> Result
    {
        await gate.enterUpload(bucket)
        defer { gate.leaveUpload(bucket) }
        return try await commit()
    }
}
