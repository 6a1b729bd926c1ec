import SluiceApp
import SluiceCore
import Testing

@Suite("serve's configuration: flags over environment over file over defaults")
struct ServeConfigurationTests {
    @Test("with nothing given, every setting has its documented default")
    func defaults() throws {
        let configuration = try ServeConfiguration.resolve(flags: [:], environment: [:])
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.port == 8080)
        #expect(configuration.databasePath == "./sluice-data/sluice.db")
        #expect(configuration.modelsDirectory == "./sluice-data/models")
        #expect(configuration.maxBodyBytes == 33_554_432)
        #expect(configuration.logLevel == "warning")
        #expect(!configuration.authRequired)
    }

    @Test("the environment beats the file and a flag beats both")
    func precedence() throws {
        let file = "port: 9000\nhost: 127.0.0.2\nmax_body_bytes: 100\n"
        let configuration = try ServeConfiguration.resolve(
            flags: ["port": "9002"],
            environment: ["SLUICE_PORT": "9001", "SLUICE_MAX_BODY_BYTES": "200"],
            fileText: file)
        #expect(configuration.port == 9002)
        #expect(configuration.maxBodyBytes == 200)
        #expect(configuration.host == "127.0.0.2")
    }

    @Test("objects up to 8 KiB are inline by default, and the limit can be set or turned off but not negative")
    func inlineObjectBytes() throws {
        #expect(try ServeConfiguration.resolve(flags: [:], environment: [:]).inlineObjectBytes == 8_192)
        let off = try ServeConfiguration.resolve(flags: [:], environment: ["SLUICE_INLINE_OBJECT_BYTES": "0"])
        #expect(off.inlineObjectBytes == 0)
        #expect(throws: SluiceError.self) {
            try ServeConfiguration.resolve(flags: ["inline_object_bytes": "-1"], environment: [:])
        }
    }

    @Test("the database and models default to the data directory")
    func dataDirectorySetsPaths() throws {
        let configuration = try ServeConfiguration.resolve(flags: [:], environment: ["SLUICE_DATA_DIR": "/var/lib/s"])
        #expect(configuration.databasePath == "/var/lib/s/sluice.db")
        #expect(configuration.modelsDirectory == "/var/lib/s/models")
        let explicit = try ServeConfiguration.resolve(
            flags: ["db": "/srv/log.db"], environment: ["SLUICE_DATA_DIR": "/var/lib/s"])
        #expect(explicit.databasePath == "/srv/log.db")
        #expect(explicit.modelsDirectory == "/srv/models")
    }

    @Test("an unknown key in the file is an error that names the key")
    func unknownFileKeyIsAnError() throws {
        let error = #expect(throws: SluiceError.self) {
            try ServeConfiguration.resolve(flags: [:], environment: [:], fileText: "prot: 80\n", filePath: "s.yaml")
        }
        #expect(error?.message.contains("'prot'") == true)
        #expect(error?.message.contains("s.yaml") == true)
    }

    @Test("a value of the wrong kind is an error that names the key")
    func badValueIsAnError() throws {
        let error = #expect(throws: SluiceError.self) {
            try ServeConfiguration.resolve(flags: [:], environment: ["SLUICE_PORT": "eighty"])
        }
        #expect(error?.message.contains("port") == true)
    }

    @Test("a file that is not a mapping is refused")
    func nonMappingFileIsRefused() throws {
        #expect(throws: SluiceError.self) {
            try ServeConfiguration.resolve(flags: [:], environment: [:], fileText: "- a\n- b\n")
        }
    }

    @Test("booleans read as YAML or text", arguments: ["true", "yes", "1"])
    func booleans(_ text: String) throws {
        #expect(try ServeConfiguration.resolve(flags: [:], environment: ["SLUICE_REQUIRE_AUTH": text]).requireAuth)
        #expect(
            try ServeConfiguration.resolve(flags: [:], environment: [:], fileText: "require_auth: true").requireAuth)
    }

    @Test(
        "loopback hosts need no tokens; any other host requires them",
        arguments: [
            ("127.0.0.1", true), ("127.1.2.3", true), ("localhost", true), ("::1", true), ("[::1]", true),
            ("0.0.0.0", false), ("192.168.1.4", false), ("::", false), ("example.com", false), ("127.0.0.256", false),
        ])
    func loopback(_ host: String, _ isLoopback: Bool) throws {
        let configuration = try ServeConfiguration.resolve(flags: ["host": host], environment: [:])
        #expect(configuration.isLoopback == isLoopback)
        #expect(configuration.authRequired == !isLoopback)
    }

    @Test("every key has a SLUICE_ variable and a flag named after it")
    func keyNames() {
        let key = ServeConfiguration.keys.first { $0.name == "max_body_bytes" }
        #expect(key?.environmentName == "SLUICE_MAX_BODY_BYTES")
        #expect(key?.flag == "--max-body-bytes")
    }
}
