public import SluiceCore

extension ObjectPreconditions {
    /// What a read (object metadata or bytes) does once its preconditions are checked.
    public enum ReadOutcome: Sendable, Hashable {
        /// Serve the object.
        case serve
        /// A `NotMatch` form matched: the caller's copy is current, so Cloud Storage answers
        /// 304 Not Modified rather than an error.
        case notModified
    }

    /// Checks the preconditions of a read against the generation it serves (the live one, or the
    /// one `generation=` names), so a client never reads a generation other than the one it
    /// asked for: a failed `Match` form throws `failedPrecondition` (412), a matching `NotMatch`
    /// form is ``ReadOutcome/notModified`` (304), as Cloud Storage answers reads.
    public func read(_ target: ObjectVersion, object: String) throws(SluiceError) -> ReadOutcome {
        try ObjectPreconditions(ifGenerationMatch: ifGenerationMatch, ifMetagenerationMatch: ifMetagenerationMatch)
            .check(target, object: object)
        if ifGenerationNotMatch == target.generation || ifMetagenerationNotMatch == target.metageneration {
            return .notModified
        }
        return .serve
    }
}
