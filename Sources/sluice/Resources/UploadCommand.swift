import ArgumentParser
import Foundation
import NIOHTTP1
import SluiceCore
import SluiceResources

/// `sluice upload BUCKET PATH`: stores a file as an object, or every file under a directory as
/// objects named by their relative paths; prints each stored object resource as a JSON line.
struct UploadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upload", abstract: "Upload a file, or a directory's files, into a bucket.",
        discussion:
            "A directory is walked recursively (symbolic links and hidden files are skipped); each file becomes "
            + "the object --prefix + its path relative to the directory. Progress goes to standard error, one "
            + "object resource per stored file to standard output. With --no-clobber an object that already "
            + "exists is skipped (ifGenerationMatch=0), so an interrupted bulk upload can simply be run again.")
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var remote: ServerOptions
    @Argument(help: "The bucket.") var bucket: String
    @Argument(help: "The file or directory to upload.") var path: String
    @Option(help: "The object name of a single file (default: the file's name).") var name: String?
    @Option(help: "For a directory: put before every object name, e.g. images/.") var prefix: String = ""
    @Option(help: "The content type (default: guessed from each file's extension).") var contentType: String?
    @Flag(help: "Skip objects that already exist instead of writing a new generation.") var noClobber = false
    @Option(help: "Uploads in flight at once for a directory (1-64).") var parallel: Int = 8

    func validate() throws {
        guard (1...64).contains(parallel) else { throw ValidationError("--parallel must be 1-64, not \(parallel)") }
    }

    func run() async throws {
        let files = try UploadSource.files(at: path, name: name, prefix: prefix)
        if let client = try remote.client() {
            try await upload(files, with: ObjectUploader.server(client, bucket: bucket))
            return
        }
        let resources = try await ResourceContext.open(database)
        try await resources.closing {
            try await upload(files, with: ObjectUploader.local(resources.storage, bucket: bucket))
        }
    }

    private func upload(_ files: [UploadSource.File], with uploader: ObjectUploader) async throws {
        var progress = files.count > 1 ? ProgressReporter("upload", total: files.count) : nil
        var tally = UploadTally()
        try await withThrowingTaskGroup(of: (UploadSource.File, Result<ObjectUploader.Outcome, any Error>).self) {
            group in
            var pending = files[...]
            func startNext() {
                guard let file = pending.popFirst() else { return }
                let type = contentType ?? ContentTypes.guess(forName: file.objectName)
                let clobber = !noClobber
                group.addTask {
                    do {
                        let bytes = try InputFile.bytes(file.path)
                        return (file, .success(try await uploader.upload(file.objectName, bytes, type, clobber)))
                    } catch {
                        return (file, .failure(error))
                    }
                }
            }
            for _ in 0..<parallel { startNext() }
            while let (file, result) = try await group.next() {
                switch result {
                case .success(.stored(let resource)):
                    tally.stored += 1
                    StandardOutput.line(resource)
                case .success(.skipped):
                    tally.skipped += 1
                case .failure(let error):
                    tally.failed.append("\(file.path): \(error)")
                }
                progress?.advance()
                startNext()
            }
        }
        if files.count > 1 || !tally.failed.isEmpty {
            for failure in tally.failed { StandardOutput.errorLine("upload failed: \(failure)") }
            StandardOutput.errorLine(tally.summary)
        } else if tally.skipped == 1 {
            StandardOutput.errorLine("\(files[0].objectName) exists; skipped (--no-clobber)")
        }
        if !tally.failed.isEmpty { throw ExitCode.failure }
    }

    /// What a bulk upload did, for its closing line.
    private struct UploadTally {
        var stored = 0
        var skipped = 0
        var failed: [String] = []
        var summary: String { "upload: \(stored) stored, \(skipped) skipped, \(failed.count) failed" }
    }
}

/// Stores one object, locally or through a server; both report an existing object under
/// `--no-clobber` as skipped.
struct ObjectUploader: Sendable {
    enum Outcome: Sendable {
        /// The object resource JSON.
        case stored(String)
        case skipped
    }

    /// (object name, bytes, content type, overwrite allowed).
    let upload: @Sendable (String, [UInt8], String, Bool) async throws -> Outcome

    static func server(_ client: SluiceAPIClient, bucket: String) -> ObjectUploader {
        ObjectUploader { name, bytes, type, clobber in
            let path =
                "/upload/storage/v1/b/\(SluiceAPIClient.encoded(bucket))/o?uploadType=media&name="
                + SluiceAPIClient.encoded(name) + (clobber ? "" : "&ifGenerationMatch=0")
            do {
                return .stored(
                    String(decoding: try await client.call(.POST, path, body: bytes, contentType: type), as: UTF8.self))
            } catch let failure as SluiceAPIClient.Failure where failure.status == 412 && !clobber {
                return .skipped
            }
        }
    }

    static func local(_ storage: StorageService, bucket: String) -> ObjectUploader {
        ObjectUploader { name, bytes, type, clobber in
            do {
                let object = try await storage.upload(
                    bucket: bucket, object: name, bytes: bytes, contentType: type,
                    preconditions: clobber ? .none : ObjectPreconditions(ifGenerationMatch: 0), metadata: .cli)
                return .stored(String(decoding: NotificationPlanner.resourceJSON(object), as: UTF8.self))
            } catch let error as SluiceError
                where error.code == .failedPrecondition && !clobber && error.message.contains("ifGenerationMatch")
            {
                return .skipped
            }
        }
    }
}
