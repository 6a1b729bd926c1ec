import SluiceCore
import SluiceResources
import Testing

@Suite("Outbound URLs are refused unless their port is one a connection can use")
struct OutboundURLTests {
    @Test(
        "a port of 2^64 or more is refused, not wrapped into range",
        arguments: [
            "http://127.0.0.1:18446744073709551617/", "http://127.0.0.1:18446744073709551616/x",
            "http://[::1]:18446744073709551617/", "http://h:99999999999999999999999999/",
        ])
    func hugePortsAreRefused(_ url: String) {
        #expect(throws: SluiceError.self) { try OutboundURL.check(url, "push endpoint") }
    }

    @Test(
        "a port between 1 and 65535, with or without leading zeros, or no port is accepted",
        arguments: ["http://127.0.0.1:8080/push", "https://h:00443/", "http://[::1]:1/", "http://h/x?a=b:c"])
    func usablePortsAreAccepted(_ url: String) throws {
        try OutboundURL.check(url, "push endpoint")
    }
}
