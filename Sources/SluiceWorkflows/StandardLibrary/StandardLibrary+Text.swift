import OrderedCollections

/// The `text` module.
extension StandardLibrary {
    static let text: [LibraryFunction] = [
        .pure("text.to_lower", ["source"]) { args, _ throws(WorkflowError) in
            .string(try args.string("source").lowercased())
        },
        .pure("text.to_upper", ["source"]) { args, _ throws(WorkflowError) in
            .string(try args.string("source").uppercased())
        },
        .pure("text.split", ["source", "separator"]) { args, _ throws(WorkflowError) in
            let source = try args.string("source")
            let separator = try args.string("separator")
            if separator.isEmpty { return .list(source.unicodeScalars.map { .string(String($0)) }) }
            return .list(
                source.split(separator: separator, omittingEmptySubsequences: false).map { .string(String($0)) })
        },
        .pure("text.substring", ["source", "start", "end"]) { args, _ throws(WorkflowError) in
            let scalars = Array(try args.string("source").unicodeScalars)
            let start = Int(max(0, min(Int64(scalars.count), try args.int("start"))))
            let end = Int(max(Int64(start), min(Int64(scalars.count), try args.int("end"))))
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[start..<end])
            return .string(String(view))
        },
        .pure("text.find_all", ["source", "substr"]) { args, _ throws(WorkflowError) in
            let source = Array(try args.string("source").unicodeScalars)
            let needle = Array(try args.string("substr").unicodeScalars)
            guard !needle.isEmpty, needle.count <= source.count else { return .list([]) }
            var found: [WorkflowValue] = []
            var i = 0
            while i + needle.count <= source.count {
                if Array(source[i..<i + needle.count]) == needle {
                    found.append(
                        .object(["index": .int(Int64(i)), "match": .string(String(String.UnicodeScalarView(needle)))]))
                    i += needle.count
                } else {
                    i += 1
                }
            }
            return .list(found)
        },
        .pure("text.replace_all", ["source", "substr", "repl"]) { args, _ throws(WorkflowError) in
            let substr = try args.string("substr")
            let source = try args.string("source")
            guard !substr.isEmpty else { return .string(source) }
            let repl = try args.string("repl")
            // Checked before the text is built: a short source with many matches and a long
            // replacement would otherwise allocate gigabytes before the string limit applies.
            let growth = repl.utf8.count - substr.utf8.count
            if growth > 0 {
                let projected = source.utf8.count + source.ranges(of: substr).count * growth
                guard projected <= Limits.maximumStringBytes else {
                    throw .resourceLimit("string of \(projected) bytes exceeds the limit")
                }
            }
            return .string(source.replacing(substr, with: repl))
        },
        .pure("text.match_regex", ["source", "regex"]) { args, _ throws(WorkflowError) in
            let regex = try compileRegex(try args.string("regex"))
            let source = Array(try args.string("source").unicodeScalars)
            return .bool(
                try limitingSteps { () throws(RegularExpression.StepLimitExceeded) in try regex.matches(source) })
        },
        .pure("text.find_all_regex", ["source", "regex"]) { args, _ throws(WorkflowError) in
            let source = Array(try args.string("source").unicodeScalars)
            let regex = try compileRegex(try args.string("regex"))
            return .list(
                try limitingSteps { () throws(RegularExpression.StepLimitExceeded) in
                    try regex.allMatches(in: source, groupLimit: 0)
                }.map { match in
                    .object(["index": .int(Int64(match.range.lowerBound)), "match": .string(text(source[match.range]))])
                })
        },
        .pure("text.replace_all_regex", ["source", "regex", "repl"]) { args, _ throws(WorkflowError) in
            let source = Array(try args.string("source").unicodeScalars)
            let regex = try compileRegex(try args.string("regex"))
            let replacement = Array(try args.string("repl").unicodeScalars)
            var out = String.UnicodeScalarView()
            // Scalars appended; each is at least a byte, so past the limit in scalars is past it
            // in bytes. Counted as it goes: the view's own count walks the string.
            var appended = 0
            var last = 0
            let matches = try limitingSteps { () throws(RegularExpression.StepLimitExceeded) in
                try regex.allMatches(in: source, groupLimit: 9)
            }
            for match in matches {
                out.append(contentsOf: source[last..<match.range.lowerBound])
                appended += match.range.lowerBound - last
                var i = 0
                while i < replacement.count {
                    // `\0` to `\9` insert a group (nothing if it does not exist or took no part); any other
                    // backslash is kept as it is.
                    if replacement[i] == "\\", i + 1 < replacement.count, ("0"..."9").contains(replacement[i + 1]) {
                        let group = Int(replacement[i + 1].value) - 0x30
                        if group < match.groups.count, let range = match.groups[group] {
                            out.append(contentsOf: source[range])
                            appended += range.count
                        }
                        i += 2
                    } else {
                        out.append(replacement[i])
                        appended += 1
                        i += 1
                    }
                }
                last = match.range.upperBound
                guard appended <= Limits.maximumStringBytes else {
                    throw .resourceLimit("string of more than \(Limits.maximumStringBytes) bytes exceeds the limit")
                }
            }
            out.append(contentsOf: source[last...])
            return .string(String(out))
        },
        .pure("text.url_encode", ["source"]) { args, _ throws(WorkflowError) in
            .string(percentEncode(try args.string("source"), plus: false))
        },
        .pure("text.url_encode_plus", ["source"]) { args, _ throws(WorkflowError) in
            .string(percentEncode(try args.string("source"), plus: true))
        },
        .pure("text.url_decode", ["source"]) { args, _ throws(WorkflowError) in
            .string(try percentDecode(try args.string("source")))
        },
        .pure("text.encode", ["text", "charset"], required: 1) { args, _ throws(WorkflowError) in
            try checkCharset(args)
            return .bytes(Array(try args.string("text").utf8))
        },
        .pure("text.decode", ["data", "charset"], required: 1) { args, _ throws(WorkflowError) in
            try checkCharset(args)
            guard let text = String(validating: try args.bytes("data"), as: UTF8.self) else {
                throw .valueError("data is not valid UTF-8")
            }
            return .string(text)
        },
    ]

    private static func checkCharset(_ args: Arguments) throws(WorkflowError) {
        guard let charset = args["charset"], charset != .null else { return }
        let name = try args.string("charset").uppercased()
        guard ["UTF-8", "UTF8", "US-ASCII", "ASCII"].contains(name) else {
            throw .valueError("unsupported charset \(name)")
        }
    }

    /// Compiles an RE2 pattern for the `*_regex` functions; a refused pattern is a ValueError that says why.
    static func compileRegex(_ pattern: String) throws(WorkflowError) -> RegularExpression {
        do {
            return try RegularExpression(pattern)
        } catch {
            throw .valueError("invalid regular expression '\(pattern)': \(error.message)")
        }
    }

    /// Runs a match, turning a matcher that gave up into a ResourceLimitError.
    private static func limitingSteps<Result>(
        _ body: () throws(RegularExpression.StepLimitExceeded) -> Result
    ) throws(WorkflowError) -> Result {
        do {
            return try body()
        } catch {
            throw .resourceLimit("regular expression matching took more than \(RegularExpression.stepLimit) steps")
        }
    }

    private static func text(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    static func percentEncode(_ text: String, plus: Bool) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " ") where plus:
                out += "+"
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }

    static func percentDecode(_ text: String) throws(WorkflowError) -> String {
        var bytes: [UInt8] = []
        let utf8 = Array(text.utf8)
        var i = 0
        while i < utf8.count {
            if utf8[i] == UInt8(ascii: "%") {
                guard i + 2 < utf8.count,
                    let byte = UInt8(String(decoding: utf8[i + 1...i + 2], as: UTF8.self), radix: 16)
                else { throw .valueError("invalid percent-encoding in '\(text)'") }
                bytes.append(byte)
                i += 3
            } else {
                bytes.append(utf8[i] == UInt8(ascii: "+") ? 0x20 : utf8[i])
                i += 1
            }
        }
        guard let decoded = String(validating: bytes, as: UTF8.self) else {
            throw .valueError("decoded text is not UTF-8")
        }
        return decoded
    }
}
