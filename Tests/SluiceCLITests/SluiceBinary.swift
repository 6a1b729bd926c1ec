import Foundation
import Subprocess
import SystemPackage

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
    ///
    /// Through swift-subprocess rather than Foundation's `Process`: on Linux, `Process.run()` scans
    /// `/proc/self/fd` with a 256-byte over-read that can crash the test process
    /// (swift-corelibs-foundation #5472); swift-subprocess closes descriptors with `close_range`.
    func run(_ arguments: [String], input: String = "") async throws -> Outcome {
        let result = try await Subprocess.run(
            .path(FilePath(url.path)), arguments: Arguments(arguments), input: .string(input),
            output: .string(limit: Self.outputLimit), error: .string(limit: Self.outputLimit))
        let status: Int32 =
            switch result.terminationStatus {
            case .exited(let code): code
            case .signaled(let signal): 128 + signal
            }
        return Outcome(status: status, stdout: result.standardOutput, stderr: result.standardError)
    }

    /// The most either stream of a run may print; the CLI's outputs in tests are far smaller.
    static let outputLimit = 64 << 20

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
