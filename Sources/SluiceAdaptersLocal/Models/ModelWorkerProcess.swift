import Foundation
import SluiceCore
import Subprocess
import Synchronization
import SystemPackage

/// One long-lived model worker: a child process that reads one JSON request per line on standard
/// input and writes one JSON answer per line on standard output. Its standard error is Sluice's,
/// so a worker's logs land beside the server's.
///
/// The process starts on the first request and again on the first request after it exits, for
/// whatever reason (a crash, a timeout that killed it). A request in flight when the process dies
/// fails with `unavailable`, which a workflow's retry policy retries on a fresh process. The owner
/// sends one request at a time (``ModelWorkerPool`` guarantees it).
actor ModelWorkerProcess {
    let command: [String]
    /// The longest answer line accepted; a longer one kills the worker.
    let lineLimit: Int
    private var life: Life?
    private var lives = 0

    /// One run of the process: where its requests go, and its id once it has started.
    private final class Life: Sendable {
        let number: Int
        let jobs: AsyncStream<Job>.Continuation
        let processID = Mutex<pid_t?>(nil)

        init(number: Int, jobs: AsyncStream<Job>.Continuation) {
            self.number = number
            self.jobs = jobs
        }

        /// Kills the worker's whole process group, so what it started dies with it.
        func kill() {
            jobs.finish()
            if let pid = processID.withLock({ $0 }) { _ = Glibc.kill(-pid, SIGKILL) }
        }
    }

    struct Job: Sendable {
        let line: [UInt8]
        let reply: Reply
    }

    /// Resumes its waiter exactly once, whichever of the answer, the process's end and the
    /// timeout comes first.
    final class Reply: Sendable {
        private let written = Atomic<Bool>(false)
        private let waiter = Mutex<CheckedContinuation<Result<[UInt8], SluiceError>, Never>?>(nil)
        private let early = Mutex<Result<[UInt8], SluiceError>?>(nil)

        func wait() async -> Result<[UInt8], SluiceError> {
            await withCheckedContinuation { continuation in
                let ready: Result<[UInt8], SluiceError>? = early.withLock { early in
                    if let result = early { return result }
                    waiter.withLock { $0 = continuation }
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        }

        /// Whether the request was written to the process.
        var delivered: Bool { written.load(ordering: .acquiring) }

        func markDelivered() { written.store(true, ordering: .releasing) }

        /// False when the reply was already given.
        @discardableResult
        func give(_ result: Result<[UInt8], SluiceError>) -> Bool {
            early.withLock { early in
                guard early == nil else { return false }
                early = result
                if let waiter = waiter.withLock({ $0.take() }) {
                    waiter.resume(returning: result)
                }
                return true
            }
        }
    }

    init(command: [String], lineLimit: Int = 32 << 20) {
        self.command = command
        self.lineLimit = lineLimit
    }

    deinit { life?.jobs.finish() }

    /// Sends one request line and waits for its answer line. A request that never reached the
    /// process (it had just died) is sent once more, to a fresh process.
    func ask(_ line: [UInt8], timeout: Duration) async -> Result<[UInt8], SluiceError> {
        let first = await attempt(line, timeout: timeout)
        guard case .failure = first.result, !first.delivered else { return first.result }
        return await attempt(line, timeout: timeout).result
    }

    private func attempt(_ line: [UInt8], timeout: Duration) async -> (
        result: Result<[UInt8], SluiceError>, delivered: Bool
    ) {
        var current = life ?? start()
        let reply = Reply()
        let job = Job(line: line, reply: reply)
        if case .terminated = current.jobs.yield(job) {
            retire(current)
            current = start()
            if case .terminated = current.jobs.yield(job) {
                reply.give(.failure(SluiceError(.unavailable, "model worker \(name) has exited")))
            }
        }
        let started = current
        let timer = Task {
            try await Task.sleep(for: timeout)
            if reply.give(.failure(SluiceError(.unavailable, "model worker \(name) did not answer within \(timeout)")))
            {
                started.kill()
            }
        }
        let result = await reply.wait()
        timer.cancel()
        if case .failure = result { retire(current) }
        return (result, reply.delivered)
    }

    /// Stops the process after the request in flight, if any.
    func stop() {
        life?.jobs.finish()
        life = nil
    }

    private var name: String { command.first ?? "" }

    private func retire(_ ended: Life) {
        ended.kill()
        if life === ended { life = nil }
    }

    private func start() -> Life {
        lives += 1
        let (jobs, sink) = AsyncStream<Job>.makeStream()
        let started = Life(number: lives, jobs: sink)
        life = started
        let command = command
        let lineLimit = lineLimit
        Task { [weak self] in
            let why = await Self.run(command: command, life: started, jobs: jobs, lineLimit: lineLimit)
            // Whatever was still queued will never be answered by this process.
            sink.finish()
            for await job in jobs { job.reply.give(.failure(why)) }
            await self?.retire(started)
        }
        return started
    }

    /// Runs the process until its input ends or its output does; returns why it ended.
    private static func run(
        command: [String], life: Life, jobs: AsyncStream<Job>, lineLimit: Int
    ) async -> SluiceError {
        let program = command.first ?? ""
        let exited = SluiceError(.unavailable, "model worker \(program) has exited")
        var options = PlatformOptions()
        // Its own process group (id = its pid), which ``Life/kill()`` signals as a whole.
        options.processGroupID = 0
        do {
            _ = try await Subprocess.run(
                program.contains("/") ? .path(FilePath(program)) : .name(program),
                arguments: Arguments(Array(command.dropFirst())),
                platformOptions: options,
                input: .inputWriter,
                output: .sequence,
                error: .currentStandardError
            ) { execution in
                life.processID.withLock { $0 = execution.processIdentifier.value }
                let (answers, answerSink) = AsyncStream<[UInt8]>.makeStream()
                // Reading runs apart from the requests, so a process that dies while idle is
                // noticed at once and the next request starts a fresh one.
                let reading = Task {
                    var lines = JSONLines(limit: lineLimit)
                    do {
                        for try await buffer in execution.standardOutput {
                            let complete = buffer.withUnsafeBytes { lines.append(contentsOf: $0) }
                            guard let complete else { break }
                            for line in complete { answerSink.yield(line) }
                        }
                    } catch {}
                    answerSink.finish()
                    life.jobs.finish()
                }
                var answerLines = answers.makeAsyncIterator()
                for await job in jobs {
                    do {
                        _ = try await execution.standardInputWriter.write(job.line)
                        job.reply.markDelivered()
                    } catch {
                        job.reply.give(.failure(exited))
                        break
                    }
                    guard let answer = await answerLines.next() else {
                        job.reply.give(.failure(exited))
                        break
                    }
                    job.reply.give(.success(answer))
                }
                try? await execution.standardInputWriter.finish()
                life.kill()
                reading.cancel()
                await reading.value
            }
        } catch {
            return SluiceError(.unavailable, "cannot run model worker \(program): \(error)")
        }
        return exited
    }
}

/// Splits a byte stream into lines; `nil` once a line grows past the limit.
struct JSONLines {
    let limit: Int
    private var partial: [UInt8] = []

    init(limit: Int) { self.limit = limit }

    mutating func append(contentsOf bytes: UnsafeRawBufferPointer) -> [[UInt8]]? {
        var complete: [[UInt8]] = []
        var start = bytes.startIndex
        while let newline = bytes[start...].firstIndex(of: 0x0A) {
            partial.append(contentsOf: bytes[start..<newline])
            if !partial.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) { complete.append(partial) }
            partial.removeAll(keepingCapacity: true)
            start = newline + 1
        }
        partial.append(contentsOf: bytes[start...])
        return partial.count > limit ? nil : complete
    }
}
