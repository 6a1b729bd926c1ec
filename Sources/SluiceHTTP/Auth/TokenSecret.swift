import Crypto
import Foundation

/// Bearer secrets: `sluice_<id>_<43 base64url characters>`, 256 random bits after the id.
///
/// The id inside the secret lets the server find the one record to compare against, and the
/// comparison of digests takes the same time wherever they differ. A plain SHA-256 suffices
/// (no slow KDF) because the secret is random, not a password a person chose.
enum TokenSecret {
    static let prefix = "sluice_"

    /// A new id and the secret that carries it.
    static func generate() -> (id: String, secret: String) {
        let id = hex(SymmetricKey(size: SymmetricKeySize(bitCount: 64)).withUnsafeBytes { Array($0) })
        let random = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        let encoded = random.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return (id, prefix + id + "_" + encoded)
    }

    /// The id a presented secret claims, or nil when it is not shaped like a Sluice secret.
    static func id(of secret: String) -> String? {
        guard secret.hasPrefix(prefix) else { return nil }
        let rest = secret.dropFirst(prefix.count)
        guard let underscore = rest.firstIndex(of: "_") else { return nil }
        let id = rest[..<underscore]
        guard id.count == 16, id.allSatisfy(\.isHexDigit) else { return nil }
        return String(id)
    }

    static func digest(_ secret: String) -> [UInt8] {
        Array(SHA256.hash(data: Data(secret.utf8)))
    }

    /// Equal digests, compared in time that does not depend on where they differ.
    static func matches(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in lhs.indices { difference |= lhs[index] ^ rhs[index] }
        return difference == 0
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    static func bytes(hex text: String) -> [UInt8]? {
        guard text.count % 2 == 0 else { return nil }
        var result: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            guard let byte = UInt8(text[index..<next], radix: 16) else { return nil }
            result.append(byte)
            index = next
        }
        return result
    }
}
