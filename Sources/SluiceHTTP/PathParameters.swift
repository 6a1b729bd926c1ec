import Foundation
import Hummingbird
import SluiceCore

extension Parameters {
    /// A path parameter, percent-decoded: Google's front end decodes a resource path before it
    /// reads names from it, so `topics/a%2Bb` names the topic `a+b`, and `topics/Bad%20Name` is
    /// refused as a name with a space rather than stored with a literal `%20`.
    func decoded(_ key: String) throws -> String {
        let raw = try require(key)
        guard raw.utf8.contains(UInt8(ascii: "%")) else { return raw }
        guard let value = PercentDecoding.decode(raw) else {
            throw GoogleErrorResponse.invalidArgument("the path segment '\(raw)' is not valid percent-encoding")
        }
        return value
    }
}
