/// The `orderBy` of an Executions list: `startTime`, `createTime` or `endTime`, each optionally
/// followed by `desc` (or `asc`), separated by commas. Google's default is `createTime desc`.
struct ExecutionOrder: Sendable, Equatable {
    /// A field an execution list can be ordered by.
    enum Field: String, Sendable, Equatable {
        case startTime, createTime, endTime
    }

    /// One ordering key.
    struct Key: Sendable, Equatable {
        var field: Field
        var descending: Bool
    }

    /// The keys, most significant first.
    var keys: [Key]

    /// Newest first, the order the log pages in without sorting.
    static let newestFirst = ExecutionOrder(keys: [Key(field: .createTime, descending: true)])

    /// Whether the order is creation order (forwards or backwards), which the log can page
    /// through by position instead of sorting every execution of the workflow.
    var followsCreation: Bool {
        keys.count == 1 && keys[0].field != .endTime
    }

    /// Parses `text`; none or an empty one is the default order.
    static func parse(_ text: String?) throws(GoogleErrorResponse) -> ExecutionOrder {
        guard let text, !text.allSatisfy(\.isWhitespace) else { return .newestFirst }
        var keys: [Key] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let words = part.split(whereSeparator: \.isWhitespace)
            guard let name = words.first, words.count <= 2, let field = Field(rawValue: String(name)) else {
                throw .invalidArgument(
                    "invalid orderBy '\(text)': order by startTime, createTime or endTime, optionally with desc")
            }
            let direction = words.count == 2 ? words[1].lowercased() : "asc"
            guard direction == "asc" || direction == "desc" else {
                throw .invalidArgument("invalid orderBy '\(text)': '\(words[1])' is neither asc nor desc")
            }
            keys.append(Key(field: field, descending: direction == "desc"))
        }
        return ExecutionOrder(keys: keys)
    }

    /// Whether `a` comes before `b`. An active execution has no end time yet; it sorts as ending
    /// after every ended one, since it will. Ties keep creation order, newest first.
    func orders(_ a: ExecutionListing, before b: ExecutionListing) -> Bool {
        for key in keys {
            let (left, right): (Int64, Int64) =
                switch key.field {
                case .startTime, .createTime: (a.startTime, b.startTime)
                case .endTime: (a.endTime ?? .max, b.endTime ?? .max)
                }
            if left != right { return key.descending ? left > right : left < right }
        }
        return false
    }
}
