import OrderedCollections

/// Snapshots encode every value with a one-letter type tag so bytes, ints and doubles survive exactly.
extension WorkflowValue: Codable {
    private enum Tag: String, CodingKey {
        case n, t, i, d, s, b, l, m
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Tag.self)
        guard let tag = container.allKeys.first else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "no type tag"))
        }
        switch tag {
        case .n: self = .null
        case .t: self = .bool(try container.decode(Bool.self, forKey: .t))
        case .i: self = .int(try container.decode(Int64.self, forKey: .i))
        case .d: self = .double(try container.decode(Double.self, forKey: .d))
        case .s: self = .string(try container.decode(String.self, forKey: .s))
        case .b: self = .bytes(try container.decode([UInt8].self, forKey: .b))
        case .l: self = .list(try container.decode([WorkflowValue].self, forKey: .l))
        case .m:
            var nested = try container.nestedUnkeyedContainer(forKey: .m)
            var map = OrderedDictionary<String, WorkflowValue>()
            while !nested.isAtEnd {
                let key = try nested.decode(String.self)
                map[key] = try nested.decode(WorkflowValue.self)
            }
            self = .map(map)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Tag.self)
        switch self {
        case .null: try container.encode(true, forKey: .n)
        case .bool(let b): try container.encode(b, forKey: .t)
        case .int(let i): try container.encode(i, forKey: .i)
        case .double(let d): try container.encode(d, forKey: .d)
        case .string(let s): try container.encode(s, forKey: .s)
        case .bytes(let b): try container.encode(b, forKey: .b)
        case .list(let l): try container.encode(l, forKey: .l)
        case .map(let m):
            var nested = container.nestedUnkeyedContainer(forKey: .m)
            for (key, value) in m {
                try nested.encode(key)
                try nested.encode(value)
            }
        }
    }
}
