/// JSON string literals written by hand, for the few places that splice raw JSON text (event
/// data, CloudEvents) where Codable cannot.
package enum JSONText {
    /// `text` as a JSON string literal, escaped per RFC 8259.
    package static func quote(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count + 2)
        appendQuoted(text, to: &result)
        return result
    }

    /// Appends `text` as a JSON string literal to `out`. Runs of bytes that need no escape are
    /// copied whole: this sits under every event the engine writes.
    package static func appendQuoted(_ text: String, to out: inout String) {
        out.append("\"")
        let utf8 = text.utf8
        var runStart = utf8.startIndex
        var index = runStart
        while index != utf8.endIndex {
            let byte = utf8[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else {
                utf8.formIndex(after: &index)
                continue
            }
            if runStart != index { out.append(contentsOf: text[runStart..<index]) }
            out.append(escape(byte))
            utf8.formIndex(after: &index)
            runStart = index
        }
        if runStart == utf8.startIndex {
            out.append(text)
        } else if runStart != utf8.endIndex {
            out.append(contentsOf: text[runStart...])
        }
        out.append("\"")
    }

    /// Appends `text` as a JSON string literal to UTF-8 bytes, copying runs that need no escape
    /// from the string's contiguous storage.
    package static func appendQuoted(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            var runStart = 0
            for index in 0..<bytes.count {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                if runStart != index { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index])) }
                out.append(contentsOf: escape(byte).utf8)
                runStart = index + 1
            }
            if runStart != bytes.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...])) }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// The escape of a quote, a backslash or a control character.
    private static func escape(_ byte: UInt8) -> String {
        switch byte {
        case UInt8(ascii: "\""): return "\\\""
        case UInt8(ascii: "\\"): return "\\\\"
        case UInt8(ascii: "\n"): return "\\n"
        case UInt8(ascii: "\r"): return "\\r"
        case UInt8(ascii: "\t"): return "\\t"
        case 0x08: return "\\b"
        case 0x0C: return "\\f"
        default:
            let hex = String(byte, radix: 16)
            return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        }
    }
}
