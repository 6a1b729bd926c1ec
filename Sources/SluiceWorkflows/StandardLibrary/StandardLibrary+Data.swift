import Crypto
import OrderedCollections

/// The `json`, `base64` and `hash` modules.
extension StandardLibrary {
    static let data: [LibraryFunction] = [
        .pure("json.encode", ["data", "indent"], required: 1) { args, _ throws(WorkflowError) in
            .bytes(Array(try args.value("data").jsonString(layout: try layout(args["indent"])).utf8))
        },
        .pure("json.encode_to_string", ["data", "indent"], required: 1) { args, _ throws(WorkflowError) in
            .string(try args.value("data").jsonString(layout: try layout(args["indent"])))
        },
        .pure("json.decode", ["data"]) { args, _ throws(WorkflowError) in
            switch args.value("data") {
            case .bytes(let bytes): return try JSONReader.parse(bytes: bytes)
            case .string(let text): return try JSONReader.parse(text)
            case let other: throw .typeError("json.decode needs bytes or a string, not \(other.typeName)")
            }
        },
        .pure("base64.encode", ["data", "padding"], required: 1) { args, _ throws(WorkflowError) in
            let padding = args["padding"].map { $0 != .bool(false) } ?? true
            return .string(Base64.encode(try args.bytes("data"), padding: padding))
        },
        .pure("base64.decode", ["data", "padding"], required: 1) { args, _ throws(WorkflowError) in
            .bytes(try Base64.decode(try args.string("data")))
        },
        .pure("hash.compute_checksum", ["data", "algorithm"]) { args, _ throws(WorkflowError) in
            let data = try args.bytes("data")
            switch try args.string("algorithm").uppercased() {
            case "MD5": return .bytes(Array(Insecure.MD5.hash(data: data)))
            case "SHA1": return .bytes(Array(Insecure.SHA1.hash(data: data)))
            case "SHA256": return .bytes(Array(SHA256.hash(data: data)))
            case "SHA384": return .bytes(Array(SHA384.hash(data: data)))
            case "SHA512": return .bytes(Array(SHA512.hash(data: data)))
            case let other: throw .valueError("unsupported hash algorithm \(other)")
            }
        },
        .pure("hash.compute_hmac", ["key", "data", "algorithm"]) { args, _ throws(WorkflowError) in
            let key = SymmetricKey(data: try args.bytes("key"))
            let data = try args.bytes("data")
            switch try args.string("algorithm").uppercased() {
            case "MD5": return .bytes(Array(HMAC<Insecure.MD5>.authenticationCode(for: data, using: key)))
            case "SHA1": return .bytes(Array(HMAC<Insecure.SHA1>.authenticationCode(for: data, using: key)))
            case "SHA256": return .bytes(Array(HMAC<SHA256>.authenticationCode(for: data, using: key)))
            case "SHA384": return .bytes(Array(HMAC<SHA384>.authenticationCode(for: data, using: key)))
            case "SHA512": return .bytes(Array(HMAC<SHA512>.authenticationCode(for: data, using: key)))
            case let other: throw .valueError("unsupported HMAC algorithm \(other)")
            }
        },
    ]

    private static func layout(_ indent: WorkflowValue?) throws(WorkflowError) -> WorkflowValue.JSONLayout {
        switch indent {
        case nil, .null?, .bool(false)?: return .compact
        case .bool(true)?: return .init(prefix: "", indent: "  ")
        case .map(let map)?:
            return .init(prefix: map["prefix"]?.stringValue ?? "", indent: map["indent"]?.stringValue ?? "  ")
        case let other?: throw .typeError("indent must be a boolean or a map, not \(other.typeName)")
        }
    }
}

/// Standard base64 with optional padding, without Foundation.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8], padding: Bool) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i < bytes.count {
            let b0 = bytes[i]
            let b1 = i + 1 < bytes.count ? bytes[i + 1] : 0
            let b2 = i + 2 < bytes.count ? bytes[i + 2] : 0
            out.append(alphabet[Int(b0 >> 2)])
            out.append(alphabet[Int((b0 & 0x03) << 4 | b1 >> 4)])
            if i + 1 < bytes.count {
                out.append(alphabet[Int((b1 & 0x0F) << 2 | b2 >> 6)])
            } else if padding {
                out.append(61)
            }
            if i + 2 < bytes.count { out.append(alphabet[Int(b2 & 0x3F)]) } else if padding { out.append(61) }
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Accepts the standard and URL-safe alphabets, with or without padding, and skips line
    /// breaks. Decodes in one pass into a buffer sized up front: the example pipeline decodes
    /// each uploaded image here, and building small arrays per quantum made it a tenth of the
    /// pipeline's allocations.
    static func decode(_ text: String) throws(WorkflowError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count / 4 * 3 + 2)
        var quantum: (UInt8, UInt8, UInt8) = (0, 0, 0)
        var filled = 0
        for byte in text.utf8 {
            let value: UInt8
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = byte - 65
            case UInt8(ascii: "a")...UInt8(ascii: "z"): value = byte - 97 + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = byte - 48 + 52
            case UInt8(ascii: "+"), UInt8(ascii: "-"): value = 62
            case UInt8(ascii: "/"), UInt8(ascii: "_"): value = 63
            case UInt8(ascii: "="), 0x0A, 0x0D: continue
            default: throw .valueError("invalid base64 input")
            }
            switch filled {
            case 0: quantum.0 = value
            case 1: quantum.1 = value
            case 2: quantum.2 = value
            default:
                out.append(quantum.0 << 2 | quantum.1 >> 4)
                out.append((quantum.1 & 0x0F) << 4 | quantum.2 >> 2)
                out.append((quantum.2 & 0x03) << 6 | value)
                filled = 0
                continue
            }
            filled += 1
        }
        switch filled {
        case 1: throw .valueError("invalid base64 length")
        case 2: out.append(quantum.0 << 2 | quantum.1 >> 4)
        case 3:
            out.append(quantum.0 << 2 | quantum.1 >> 4)
            out.append((quantum.1 & 0x0F) << 4 | quantum.2 >> 2)
        default: break
        }
        return out
    }
}
