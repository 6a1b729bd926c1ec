import OrderedCollections
import SluiceWorkflows
import Testing

@Suite struct StandardLibraryTests {
    static let cases: [(String, WorkflowValue)] = [
        (#"default(null, "x")"#, "x"), ("default(1, 2)", 1), (#"keys({"a": 1, "b": 2})"#, ["a", "b"]),
        (#"len("héllo")"#, 5), ("len([1, 2])", 2), (#"int("42")"#, 42), ("int(3.99)", 3), ("int(-3.99)", -3),
        (#"double("2.5")"#, 2.5), ("double(2)", 2.0), ("string(42)", "42"), ("string(true)", "true"),
        (#"bool("true")"#, true), ("get_type(1)", "integer"), ("get_type(null)", "null"),
        (#"if(true, "a", "b")"#, "a"), (#"text.to_lower("AbC")"#, "abc"), (#"text.to_upper("abc")"#, "ABC"),
        (#"text.split("a,b,,c", ",")"#, ["a", "b", "", "c"]), (#"text.substring("Hello World", 6, 11)"#, "World"),
        (#"text.substring("abc", 1, 99)"#, "bc"), (#"text.replace_all("a-b-c", "-", "+")"#, "a+b+c"),
        (#"text.find_all("abab", "ab")"#, [["index": 0, "match": "ab"], ["index": 2, "match": "ab"]]),
        (#"text.match_regex("abc123", "[0-9]+$")"#, true),
        (#"text.find_all_regex("a1b22", "[0-9]+")"#, [["index": 1, "match": "1"], ["index": 3, "match": "22"]]),
        (#"text.replace_all_regex("John Smith", "(\\w+) (\\w+)", "\\2 \\1")"#, "Smith John"),
        (#"text.url_encode("a b&c")"#, "a%20b%26c"), (#"text.url_encode_plus("a b")"#, "a+b"),
        (#"text.url_decode("a%20b")"#, "a b"), (#"text.decode(text.encode("hé"))"#, "hé"),
        (#"base64.encode(text.encode("hello"))"#, "aGVsbG8="), (#"text.decode(base64.decode("aGVsbG8="))"#, "hello"),
        (
            #"base64.encode(hash.compute_checksum(text.encode("abc"), "SHA256"))"#,
            "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="
        ),
        (
            #"base64.encode(hash.compute_hmac(text.encode("k"), text.encode("m"), "SHA256"))"#,
            "tgCQ4wUil661oICInOL8S8qVfnVvrrTffTGADKHncew="
        ),
        (#"json.encode_to_string({"a": [1, 2.5, null]})"#, #"{"a":[1,2.5,null]}"#),
        (#"json.decode("{\"n\": 3}")"#, ["n": 3]), (#"text.decode(json.encode("x"))"#, #""x""#),
        ("math.abs(-4)", 4), ("math.floor(-3.5)", -4), ("math.max(3, 7.5)", 7.5), ("math.min(3, 7)", 3),
        ("math.sqrt(16)", 4.0), ("list.concat([1], 2)", [1, 2]), ("list.prepend([2], 1)", [1, 2]),
        (#"map.get({"a": {"b": 1}}, ["a", "b"])"#, 1), (#"map.get({"a": 1}, "z", 0)"#, 0),
        (#"map.delete({"a": 1, "b": 2}, "a")"#, ["b": 2]),
        (#"map.merge({"a": 1}, {"a": 2, "b": 3})"#, ["a": 2, "b": 3]),
        (#"map.merge_nested({"a": {"x": 1}}, {"a": {"y": 2}})"#, ["a": ["x": 1, "y": 2]]),
        ("time.format(0)", "1970-01-01T00:00:00Z"), (#"time.format(1.5, "Asia/Tokyo")"#, "1970-01-01T09:00:01.5+09:00"),
        // Daylight saving time: New York is UTC-5 in January and UTC-4 in July.
        (#"time.format(1767225600, "America/New_York")"#, "2025-12-31T19:00:00-05:00"),
        (#"time.format(1782864000, "America/New_York")"#, "2026-06-30T20:00:00-04:00"),
        (#"time.format(1782864000, "Europe/Berlin")"#, "2026-07-01T02:00:00+02:00"),
        (#"time.parse("2021-11-19T12:34:56.5Z")"#, 1_637_325_296.5),
        (#"sys.get_env("GOOGLE_CLOUD_LOCATION")"#, "local"),
        (#"sys.get_env("NOPE", "d")"#, "d"), (#"retry.always({})"#, true),
        (#"http.default_retry_predicate({"code": 503})"#, true),
        (#"http.default_retry_predicate_non_idempotent({"code": 502})"#, false),
    ]

    @Test("library functions return documented values", arguments: cases)
    func libraryFunctionsReturnDocumentedValues(expression: String, expected: WorkflowValue) throws {
        #expect(try Harness.evaluate(expression).get() == expected)
    }

    static let failures: [(String, String)] = [
        (#"json.decode("{")"#, "ValueError"), (#"json.encode(text.encode("x"))"#, "ValueError"),
        (#"base64.decode("@@")"#, "ValueError"), (#"sys.get_env("NOPE")"#, "KeyError"),
        (#"keys([1])"#, "TypeError"), (#"text.match_regex("a", "(")"#, "ValueError"),
        (#"time.parse("yesterday")"#, "ValueError"), ("len(1)", "TypeError"), (#"math.sqrt(-1)"#, "ValueError"),
        (#"time.format(0, "+99:99")"#, "ValueError"), (#"time.format(0, "Mars/Olympus_Mons")"#, "ValueError"),
        (#"time.format(0, "../../etc/passwd")"#, "ValueError"), (#"time.format(0, "America/../UTC")"#, "ValueError"),
        (#"time.parse("2026-02-30T00:00:00Z")"#, "ValueError"),
        (#"time.parse("2026-01-01T00:00:00+25:00")"#, "ValueError"),
    ]

    @Test("library functions raise documented errors", arguments: failures)
    func libraryFunctionsRaiseDocumentedErrors(expression: String, tag: String) throws {
        guard case .failure(let error) = try Harness.evaluate(expression) else {
            Issue.record("\(expression) did not fail")
            return
        }
        #expect(error.tags == [tag])
    }

    @Test func blockingFunctionsBecomeEffectsWithNamedArguments() throws {
        let source = """
            - c:
                call: http.post
                args:
                  url: http://example.test/x
                  body: {"a": 1}
                result: r
            - done:
                return: ${r.body}
            """
        var requests: [EffectRequest] = []
        let result = try Harness.run(source, host: { _ in .success(["body": "ok", "code": 200]) }, requests: &requests)
        #expect(try result.get() == "ok")
        #expect(requests.map(\.function) == ["http.post"])
        #expect(requests.first?.arguments == ["url": "http://example.test/x", "body": ["a": 1]])
    }

    @Test func httpErrorsFromTheHostCarryCodeAndBody() throws {
        let source = """
            - t:
                try:
                  call: http.get
                  args:
                    url: http://example.test
                except:
                  as: e
                  steps:
                    - r:
                        return: ${[e.code, e.body, e.tags]}
            """
        let host: Harness.Host = { _ in .failure(.httpError(code: 404, headers: [:], body: "gone")) }
        #expect(try Harness.run(source, host: host).get() == [404, "gone", ["HttpError"]])
    }

    @Test func sysNowInsideAnExpressionIsAnEffect() throws {
        #expect(try Harness.evaluate("sys.now() + 1").get() == 1001.0)
    }

    @Test func connectorCallsAreHandedToTheHost() throws {
        let source = """
            - c:
                call: googleapis.storage.v1.objects.get
                args:
                  bucket: b
                  object: o
                result: r
            - done:
                return: ${r}
            """
        #expect(
            try Harness.run(source, host: { .success(.string($0.function)) }).get()
                == "googleapis.storage.v1.objects.get")
    }
}
