public import SluiceCore

/// GCS's naming rules, checked before anything is stored.
public enum ResourceNames {
    /// 3-63 characters (up to 222 with dots, each dot-separated part at most 63) of lowercase
    /// letters, digits, `-`, `_` and `.`, starting and ending with a letter or digit, not starting
    /// with `goog`, not an IPv4 address.
    public static func validateBucket(_ name: String) throws(SluiceError) {
        let bytes = Array(name.utf8)
        func isAlphanumeric(_ byte: UInt8) -> Bool { (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) }
        let allowed = bytes.allSatisfy { isAlphanumeric($0) || $0 == 0x2D || $0 == 0x5F || $0 == 0x2E }
        let dotted = bytes.contains(0x2E)
        let lengthOK = bytes.count >= 3 && bytes.count <= (dotted ? 222 : 63)
        let partsOK = name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy {
            !$0.isEmpty && $0.utf8.count <= 63
        }
        let isIPv4 = name.split(separator: ".").count == 4 && name.split(separator: ".").allSatisfy { UInt8($0) != nil }
        guard allowed, lengthOK, partsOK, let first = bytes.first, let last = bytes.last, isAlphanumeric(first),
            isAlphanumeric(last), !name.hasPrefix("goog"), !isIPv4
        else {
            throw SluiceError(
                .invalidArgument,
                "bucket name '\(name)' is invalid: use 3-63 lowercase letters, digits, '-', '_' or '.', starting and ending with a letter or digit"
            )
        }
    }

    /// 1-1024 bytes of UTF-8 without CR or LF, not `.` or `..`, not under `.well-known/acme-challenge/`.
    public static func validateObject(_ name: String) throws(SluiceError) {
        let count = name.utf8.count
        guard count >= 1, count <= 1_024, !name.contains("\r"), !name.contains("\n"), name != ".", name != "..",
            !name.hasPrefix(".well-known/acme-challenge/")
        else {
            throw SluiceError(
                .invalidArgument, "object name is invalid: 1-1024 bytes of UTF-8, no CR or LF, not '.' or '..'")
        }
    }
}
