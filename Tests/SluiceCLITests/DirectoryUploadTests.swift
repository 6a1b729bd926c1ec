import Foundation
import SluiceTesting
import Testing

@Suite("sluice upload of a directory stores every file under it, with progress")
struct DirectoryUploadTests {
    /// A directory with three files in two levels, a hidden file and a symbolic link out of it.
    func sampleTree() throws -> URL {
        let root = ScratchSpace.url("sluice-tree-\(UUID())")
        let nested = root.appendingPathComponent("b")
        try FileManager.default.createDirectory(at: nested, withIntermediateDirectories: true)
        try Data("{\"n\": 1}".utf8).write(to: root.appendingPathComponent("a.json"))
        try Data("two".utf8).write(to: nested.appendingPathComponent("c.txt"))
        try Data([0, 1, 2]).write(to: nested.appendingPathComponent("d.bin"))
        try Data("secret".utf8).write(to: root.appendingPathComponent(".hidden"))
        try FileManager.default.createSymbolicLink(
            atPath: root.appendingPathComponent("outside").path, withDestinationPath: "/etc")
        return root
    }

    func bucket(_ binary: SluiceBinary) async throws -> String {
        let database = try ServeProcess.temporaryDatabase()
        #expect(try await binary.run(["buckets", "create", "tree", "--db", database]).status == 0)
        return database
    }

    static func objects(_ text: String) -> [[String: Any]] {
        text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    @Test(
        "each regular file becomes prefix + its relative path with a guessed type; links and hidden files are skipped")
    func directoryFilesBecomeObjectsUnderThePrefix() async throws {
        let binary = try SluiceBinary.locate()
        let database = try await bucket(binary)
        let upload = try await binary.run([
            "upload", "tree", try sampleTree().path, "--prefix", "in/", "--db", database,
        ])
        #expect(upload.status == 0, "\(upload.stderr)")
        let stored = Self.objects(upload.stdout)
        #expect(stored.compactMap { $0["name"] as? String }.sorted() == ["in/a.json", "in/b/c.txt", "in/b/d.bin"])
        let types = Dictionary(
            uniqueKeysWithValues: stored.map { ($0["name"] as? String ?? "", $0["contentType"] as? String ?? "") })
        #expect(types["in/a.json"] == "application/json")
        #expect(types["in/b/c.txt"] == "text/plain")
        #expect(types["in/b/d.bin"] == "application/octet-stream")
        #expect(upload.stderr.contains("upload: 3/3 (100%)"))
        #expect(upload.stderr.contains("upload: 3 stored, 0 skipped, 0 failed"))
    }

    @Test("with --no-clobber a second run skips what the first stored and writes no new generation")
    func noClobberSkipsExistingObjects() async throws {
        let binary = try SluiceBinary.locate()
        let database = try await bucket(binary)
        let tree = try sampleTree().path
        #expect(try await binary.run(["upload", "tree", tree, "--no-clobber", "--db", database]).status == 0)
        let again = try await binary.run(["upload", "tree", tree, "--no-clobber", "--db", database])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.isEmpty)
        #expect(again.stderr.contains("upload: 0 stored, 3 skipped, 0 failed"))
        let finalized = try await binary.run([
            "events", "query", "--type", "object.finalized", "--json", "--db", database,
        ])
        #expect(Self.objects(finalized.stdout).count == 3)
    }

    @Test("a file that cannot be stored is reported and fails the command; the others are stored")
    func aBadObjectNameFailsOnlyThatFile() async throws {
        let binary = try SluiceBinary.locate()
        let database = try await bucket(binary)
        let tree = try sampleTree()
        try Data("x".utf8).write(to: tree.appendingPathComponent("bad\nname"))
        let upload = try await binary.run(["upload", "tree", tree.path, "--db", database])
        #expect(upload.status != 0)
        #expect(Self.objects(upload.stdout).count == 3)
        #expect(upload.stderr.contains("upload failed:"))
        #expect(upload.stderr.contains("3 stored, 0 skipped, 1 failed"))
    }

    @Test("a directory cannot be given --name")
    func aDirectoryRefusesName() async throws {
        let binary = try SluiceBinary.locate()
        let upload = try await binary.run([
            "upload", "tree", try sampleTree().path, "--name", "x", "--db", try await bucket(binary),
        ])
        #expect(upload.status != 0)
        #expect(upload.stderr.contains("--prefix"))
    }
}
