import Foundation

/// A `multipart/related` upload body (RFC 2387), as Cloud Storage's multipart upload sends it:
/// a JSON metadata part, then the media part.
struct MultipartRelated {
    struct Part {
        var headers: [String: String]
        var body: [UInt8]
    }

    var parts: [Part]

    /// The boundary from `multipart/related; boundary="..."`.
    static func boundary(of contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.trimmingCharacters(in: .whitespaces)
            guard pair.lowercased().hasPrefix("boundary=") else { continue }
            var value = String(pair.dropFirst("boundary=".count))
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 {
                value = String(value.dropFirst().dropLast())
            }
            return value.isEmpty ? nil : value
        }
        return nil
    }

    /// Splits `body` at `--boundary` lines; `nil` when it is not well formed.
    init?(_ body: [UInt8], boundary: String) {
        let delimiter = Array("--\(boundary)".utf8)
        var cuts: [Int] = []
        var index = 0
        while let found = Self.find(delimiter, in: body, from: index) {
            cuts.append(found)
            index = found + delimiter.count
        }
        guard cuts.count >= 2 else { return nil }
        var parts: [Part] = []
        for (start, end) in zip(cuts, cuts.dropFirst()) {
            var from = start + delimiter.count
            if body[from..<min(body.count, from + 2)].elementsEqual([13, 10]) { from += 2 }
            var to = end
            if to >= 2, body[(to - 2)..<to].elementsEqual([13, 10]) { to -= 2 }
            guard from <= to, let blank = Self.find([13, 10, 13, 10], in: Array(body[from..<to]), from: 0) else {
                return nil
            }
            let head = String(decoding: body[from..<(from + blank)], as: UTF8.self)
            var headers: [String: String] = [:]
            for line in head.components(separatedBy: "\r\n") {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                    in: .whitespaces)
            }
            parts.append(Part(headers: headers, body: Array(body[(from + blank + 4)..<to])))
        }
        self.parts = parts
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard needle.count <= haystack.count, start <= haystack.count - needle.count else { return nil }
        var index = start
        while index <= haystack.count - needle.count {
            if haystack[index] == needle[0], haystack[index..<(index + needle.count)].elementsEqual(needle) {
                return index
            }
            index += 1
        }
        return nil
    }
}
