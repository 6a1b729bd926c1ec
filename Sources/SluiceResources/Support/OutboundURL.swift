public import Foundation
public import SluiceCore

/// The http(s) URLs Sluice calls out to: push endpoints, HTTP functions and model endpoints.
///
/// Checked when they are configured, and again before each call, for what is already stored:
/// AsyncHTTPClient traps on a port past 65535 (one push then took the server down at every
/// start, since the message is pushed again at start), and a URL with spaces, control
/// characters or credentials would be sent somewhere other than where it reads.
public enum OutboundURL {
    /// The URL, or INVALID_ARGUMENT naming `what` and the reason.
    @discardableResult
    public static func check(_ text: String, _ what: String) throws(SluiceError) -> URL {
        func fail(_ why: String) -> SluiceError { SluiceError(.invalidArgument, "\(what) \(why)") }
        guard !text.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F }) else {
            throw fail("must not contain spaces or control characters")
        }
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme)
        else {
            throw fail("must be an http or https URL")
        }
        guard let host = url.host, !host.isEmpty else { throw fail("must name a host") }
        if let written = writtenPort(text), !written.isEmpty {
            guard written.allSatisfy({ ("0"..."9").contains($0) }), let port = Int(written), (1...65_535).contains(port)
            else {
                throw fail("has port \(written), which is not between 1 and 65535")
            }
        }
        if let port = url.port, !(1...65_535).contains(port) {
            throw fail("has port \(port), which is not between 1 and 65535")
        }
        guard url.user == nil, url.password == nil else { throw fail("must not carry a user name or password") }
        return url
    }

    /// The port as the URL writes it (empty for `host:`), nil without one. Read from the text
    /// because `URL.port` wraps a number past 64 bits into range: `:18446744073709551617`
    /// reads as port 1.
    static func writtenPort(_ text: String) -> Substring? {
        guard let separator = text.range(of: "://") else { return nil }
        let authority = text[separator.upperBound...].prefix { !"/?#".contains($0) }
        let hostAndPort = authority.split(separator: "@", omittingEmptySubsequences: false).last ?? authority
        var afterHost = hostAndPort.drop { $0 != ":" }
        if hostAndPort.hasPrefix("[") {
            guard let close = hostAndPort.firstIndex(of: "]") else { return nil }
            afterHost = hostAndPort[hostAndPort.index(after: close)...]
        }
        guard afterHost.first == ":" else { return nil }
        return afterHost.dropFirst()
    }
}
