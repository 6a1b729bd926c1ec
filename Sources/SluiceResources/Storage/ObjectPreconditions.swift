public import SluiceCore

/// The `ifGenerationMatch` family of request preconditions.
///
/// A generation precondition of 0 means "no live object". A failed precondition throws
/// `failedPrecondition` (HTTP 412 in the JSON API).
public struct ObjectPreconditions: Sendable, Hashable, Codable {
    /// The live generation must be this one (0: there must be no live object).
    public var ifGenerationMatch: Int64?
    /// The live generation must not be this one (0: there must be a live object).
    public var ifGenerationNotMatch: Int64?
    /// The target generation's metageneration must be this one.
    public var ifMetagenerationMatch: Int64?
    /// The target generation's metageneration must not be this one.
    public var ifMetagenerationNotMatch: Int64?

    /// Creates preconditions; all are optional.
    public init(
        ifGenerationMatch: Int64? = nil,
        ifGenerationNotMatch: Int64? = nil,
        ifMetagenerationMatch: Int64? = nil,
        ifMetagenerationNotMatch: Int64? = nil
    ) {
        self.ifGenerationMatch = ifGenerationMatch
        self.ifGenerationNotMatch = ifGenerationNotMatch
        self.ifMetagenerationMatch = ifMetagenerationMatch
        self.ifMetagenerationNotMatch = ifMetagenerationNotMatch
    }

    /// No preconditions.
    public static let none = ObjectPreconditions()

    /// Whether these preconditions pass when the object does not exist, whatever they would say of
    /// an existing one (none, or `ifGenerationMatch=0`): an upload may then be decided as the first
    /// of its object before reading it, since an existing object fails the append instead.
    var holdForAnAbsentObject: Bool {
        (ifGenerationMatch ?? 0) == 0 && ifGenerationNotMatch == nil && ifMetagenerationMatch == nil
            && ifMetagenerationNotMatch == nil
    }

    /// Checks the preconditions against the generation a request targets (`nil`: none exists).
    public func check(_ target: ObjectVersion?, object: String) throws(SluiceError) {
        let generation = target?.generation ?? 0
        if let expected = ifGenerationMatch, expected != generation {
            throw Self.failed(object, "ifGenerationMatch=\(expected) but the generation is \(generation)")
        }
        if let unexpected = ifGenerationNotMatch, unexpected == generation {
            throw Self.failed(object, "ifGenerationNotMatch=\(unexpected) and the generation is \(generation)")
        }
        if let expected = ifMetagenerationMatch {
            guard let target, target.metageneration == expected else {
                let actual = target.map { String($0.metageneration) } ?? "absent"
                throw Self.failed(object, "ifMetagenerationMatch=\(expected) but the metageneration is \(actual)")
            }
        }
        if let unexpected = ifMetagenerationNotMatch, let target, target.metageneration == unexpected {
            throw Self.failed(object, "ifMetagenerationNotMatch=\(unexpected) and the metageneration is \(unexpected)")
        }
    }

    private static func failed(_ object: String, _ why: String) -> SluiceError {
        SluiceError(.failedPrecondition, "precondition failed for object \(object): \(why)")
    }
}
