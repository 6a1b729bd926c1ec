import Foundation
import SluiceCore
import Testing

@Suite("Percent-decoding agrees with Foundation's removingPercentEncoding")
struct PercentDecodingTests {
    static let samples = [
        "plain.json", "bench%2F14%2F61.json", "a+b%20c", "%E2%9C%93%20done", "%e2%9c%93", "100%25",
        "", "%", "%4", "%zz", "abc%", "%C3%28", "%FF", "caf%C3%A9/%2e%2E", "ünï%2Fcode",
    ]

    @Test("every sample decodes as Foundation decodes it, invalid ones to nil", arguments: samples)
    func agreesWithFoundation(_ sample: String) {
        #expect(PercentDecoding.decode(sample) == sample.removingPercentEncoding)
    }
}
