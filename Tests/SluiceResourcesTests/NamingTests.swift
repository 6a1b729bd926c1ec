import SluiceCore
import Testing

@testable import SluiceResources

@Suite struct NamingTests {
    @Test(arguments: [
        "abc", "my-bucket", "my_bucket", "a.b.c", "123", "bucket.example.com",
        String(repeating: "a", count: 63),
        [String](repeating: String(repeating: "a", count: 63), count: 3).joined(separator: ".")
            + ".abcdefghijklmnopqrstuvwxyz",
    ])
    func validBucketNamesAreAccepted(_ name: String) throws {
        #expect(try BucketName(name).rawValue == name)
    }

    @Test(arguments: [
        "ab", String(repeating: "a", count: 64), "My-Bucket", "-abc", "abc-", "_abc", "abc.", "a..b",
        "192.168.5.4", "googbucket", "my-google-bucket", "g00gle-files", "has space",
        "bucket/slash", String(repeating: "a", count: 64) + ".b",
        String(repeating: "a.", count: 111) + "ab",
    ])
    func invalidBucketNamesAreRejected(_ name: String) {
        #expect(throws: SluiceError(.invalidArgument, "")) { try BucketName(name) }
    }

    @Test func aBucketNameLikeAnIPAddressButWithFiveComponentsIsAccepted() throws {
        _ = try BucketName("1.2.3.4.5")
    }

    @Test(arguments: [
        "a", "photos/cat.png", "../../etc/passwd", "/absolute", "tab\there", "emoji-😀", ".well-known/other",
        String(repeating: "x", count: 1024),
    ])
    func validObjectNamesAreAccepted(_ name: String) throws {
        #expect(try ObjectName(name).rawValue == name)
    }

    @Test(arguments: [
        "", ".", "..", "line\nfeed", "carriage\rreturn", ".well-known/acme-challenge/token",
        String(repeating: "x", count: 1025), String(repeating: "é", count: 513),
    ])
    func invalidObjectNamesAreRejected(_ name: String) {
        #expect(throws: SluiceError(.invalidArgument, "")) { try ObjectName(name) }
    }

    @Test(arguments: ["../../etc/passwd", "a/../b", "photos/..", "..", "/etc/passwd", "/", "nul\u{0}byte"])
    func namesThatReadAsPathsOutOfADirectoryAreRefusedForNewObjects(_ name: String) {
        #expect(throws: SluiceError(.invalidArgument, "")) { try ObjectName.forNewObject(name) }
    }

    @Test(arguments: ["a..b", "..hidden", "a/.../b", "a/./b", "photos/cat.png", "tab\there", "dir/", "a//b"])
    func namesWithDotsThatAreNotPathSegmentsAreAcceptedForNewObjects(_ name: String) throws {
        #expect(try ObjectName.forNewObject(name).rawValue == name)
    }

    @Test func objectStreamsEscapeControlCharactersAndPercentSigns() throws {
        let bucket = try BucketName("uploads")
        #expect(try ResourceStreams.object(bucket, ObjectName("a/b.png")).rawValue == "object/uploads/a/b.png")
        #expect(try ResourceStreams.object(bucket, ObjectName("50%\toff")).rawValue == "object/uploads/50%25%09off")
    }

    @Test(arguments: ["abc", "my-topic", "Topic_1.x~y+z%"])
    func validTopicNamesAreAccepted(_ name: String) throws {
        _ = try TopicName(name)
    }

    @Test(arguments: ["ab", "1topic", "goog-topic", "has space", "slash/es", String(repeating: "a", count: 256)])
    func invalidTopicNamesAreRejected(_ name: String) {
        #expect(throws: SluiceError(.invalidArgument, "")) { try TopicName(name) }
    }

    @Test func topicResourceNamesResolveToTheirIDs() throws {
        #expect(try TopicName(resource: "//pubsub.googleapis.com/projects/p/topics/uploads").rawValue == "uploads")
        #expect(try TopicName(resource: "projects/p/topics/uploads").rawValue == "uploads")
        #expect(try SubscriptionName(resource: "projects/p/subscriptions/sub-1").rawValue == "sub-1")
    }

    @Test func timestampsPrintAsRFC3339InUTC() {
        let time = Timestamp(microseconds: 1_700_000_000_123_456)
        #expect(time.rfc3339Milliseconds == "2023-11-14T22:13:20.123Z")
        #expect(time.rfc3339Microseconds == "2023-11-14T22:13:20.123456Z")
        #expect(Timestamp(microseconds: 951_782_400_000_000).rfc3339Milliseconds == "2000-02-29T00:00:00.000Z")
    }

    @Test func rfc3339PrintsExactlyTheFractionDigitsAskedFor() {
        let time = Timestamp(microseconds: 1_700_000_000_123_456)
        #expect(RFC3339.format(time, fractionDigits: 0) == "2023-11-14T22:13:20Z")
        #expect(RFC3339.format(time, fractionDigits: 1) == "2023-11-14T22:13:20.1Z")
        #expect(RFC3339.format(time, fractionDigits: 9) == "2023-11-14T22:13:20.123456000Z")
        #expect(RFC3339.format(Timestamp(microseconds: -1), fractionDigits: 6) == "1969-12-31T23:59:59.999999Z")
        let yearTenThousand = Timestamp(microseconds: 253_402_300_800_000_000)
        #expect(RFC3339.format(yearTenThousand, fractionDigits: 0) == "10000-01-01T00:00:00Z")
    }
}
