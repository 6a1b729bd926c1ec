import Foundation

/// Runs the built `sluice` executable as a child process, the way a user does.
struct SluiceBinary {
    let url: URL

    /// The executable built beside this test bundle, or the one `SLUICE_BINARY` names.
    static func locate() throws -> SluiceBinary {
        if let explicit = ProcessInfo.processInfo.environment["SLUICE_BINARY"] {
            return SluiceBinary(url: URL(fileURLWithPath: explicit))
        }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("sluice")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return SluiceBinary(url: candidate) }
            directory.deleteLastPathComponent()
        }
        throw BinaryNotFound(searchedFrom: CommandLine.arguments[0])
    }

    /// Runs to completion and returns the exit status and everything printed.
    func run(_ arguments: [String], input: String = "") async throws -> Outcome {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        let stdout = Pipe()
        let stderr = Pipe()
        let stdin = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = stdin
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let output = PipeCollector(stdout.fileHandleForReading)
        let errors = PipeCollector(stderr.fileHandleForReading)
        await process.exited()
        return Outcome(status: process.terminationStatus, stdout: await output.text(), stderr: await errors.text())
    }

    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    struct BinaryNotFound: Error, CustomStringConvertible {
        var searchedFrom: String
        var description: String {
            "no sluice executable near \(searchedFrom): run `swift build` first or set SLUICE_BINARY"
        }
    }
}

/// Reads a pipe to its end on a thread of its own, so a child never blocks on a full pipe.
final class PipeCollector: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var data = Data()

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    /// Waits for end of file, off the cooperative pool, and returns what was read.
    func text() async -> String {
        await OffPool.run { self.blockingText() }
    }

    private func blockingText() -> String {
        done.wait()
        done.signal()
        return String(decoding: data, as: UTF8.self)
    }
}
