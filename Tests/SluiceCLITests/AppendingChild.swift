import Foundation

/// A `sluice events append` child fed numbered JSON lines as fast as it takes them, until it dies.
final class AppendingChild {
    private let binary: SluiceBinary
    private let arguments: [String]
    private var process: SpawnedChild?
    private var collector: PipeCollector?

    init(binary: SluiceBinary, database: String, stream: String, extraArguments: [String] = []) {
        self.binary = binary
        arguments =
            ["events", "append", "--db", database, "--stream", stream, "--type", "test.appended"] + extraArguments
    }

    /// Starts the child and a feeder thread writing `{"round": R, "seq": N}` lines.
    func start(round: Int) throws {
        let input = Pipe()
        let output = Pipe()
        process = try SpawnedChild(
            executable: binary.url, arguments: arguments, environment: ProcessInfo.processInfo.environment,
            standardInput: input, standardOutput: .pipe(output), standardError: .null)
        collector = PipeCollector(output.fileHandleForReading)
        let writer = input.fileHandleForWriting
        Thread.detachNewThread {
            var sequence = 0
            while sequence < 1_000_000 {
                var chunk = ""
                for _ in 0..<64 {
                    chunk += "{\"round\": \(round), \"seq\": \(sequence)}\n"
                    sequence += 1
                }
                do { try writer.write(contentsOf: Data(chunk.utf8)) } catch { break }
            }
            try? writer.close()
        }
    }

    /// Kills the child with SIGKILL and returns the complete lines it printed before dying.
    func kill() async -> [String] {
        guard let process else { return [] }
        Foundation.kill(process.processIdentifier, SIGKILL)
        await process.exited()
        let text = await collector?.text() ?? ""
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.removeLast()  // the text after the last newline: empty, or a line cut short by the kill
        return lines
    }
}
