import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A child process started with `posix_spawn`, for the tests that keep a child running, signal it
/// and watch it exit (`sluice serve`, `events append`, `executions run`).
///
/// Foundation's `Process` is not used: on Linux its `run()` reads each `/proc/self/fd` entry's
/// whole 256-byte name field, past the end of glibc's directory buffer when an entry sits at its
/// tail, and now and then that crashes the whole test process (swift-corelibs-foundation #5472;
/// it did in this repository's CI). Here the child closes every descriptor from 3 up with
/// `posix_spawn_file_actions_addclosefrom_np` (glibc 2.34 and later) instead.
final class SpawnedChild: @unchecked Sendable {
    /// Where a child's standard output or error goes.
    enum Output {
        case null
        case pipe(Pipe)
    }

    /// How the child ended.
    enum Termination: Equatable {
        case exit
        case uncaughtSignal
    }

    let processIdentifier: pid_t
    private let condition = NSCondition()
    /// The raw `waitpid` status once the child is reaped; guarded by `condition`.
    private var waitStatus: Int32?

    /// Starts `executable` with `arguments` and exactly `environment`; standard input comes from
    /// `standardInput`'s read end (or /dev/null). A thread of its own reaps the child.
    init(
        executable: URL, arguments: [String], environment: [String: String], standardInput: Pipe? = nil,
        standardOutput: Output, standardError: Output
    ) throws {
        guard let addCloseFrom = Self.addCloseFrom else {
            throw SpawnFailed(reason: "posix_spawn_file_actions_addclosefrom_np is missing (glibc before 2.34)")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let standardInput {
            posix_spawn_file_actions_adddup2(&actions, standardInput.fileHandleForReading.fileDescriptor, 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        for (descriptor, output) in [(Int32(1), standardOutput), (Int32(2), standardError)] {
            switch output {
            case .null: posix_spawn_file_actions_addopen(&actions, descriptor, "/dev/null", O_WRONLY, 0)
            case .pipe(let pipe):
                posix_spawn_file_actions_adddup2(&actions, pipe.fileHandleForWriting.fileDescriptor, descriptor)
            }
        }
        _ = addCloseFrom(&actions, 3)

        let argv = ([executable.path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable.path, &actions, nil, argv, envp)
        guard result == 0 else {
            throw SpawnFailed(reason: "posix_spawn of \(executable.path) failed: \(String(cString: strerror(result)))")
        }
        processIdentifier = pid
        // The child holds its own copies; the parent's would keep the pipes from ending.
        try? standardInput?.fileHandleForReading.close()
        for case .pipe(let pipe) in [standardOutput, standardError] { try? pipe.fileHandleForWriting.close() }
        Thread.detachNewThread { [self] in reap() }
    }

    var isRunning: Bool {
        condition.lock()
        defer { condition.unlock() }
        return waitStatus == nil
    }

    /// Blocks until the child has ended.
    func waitUntilExit() {
        condition.lock()
        while waitStatus == nil { condition.wait() }
        condition.unlock()
    }

    /// Waits for the child to end without holding a cooperative thread.
    func exited() async {
        await OffPool.run { self.waitUntilExit() }
    }

    /// The exit code, or the signal that ended the child; 0 while it runs.
    var terminationStatus: Int32 {
        guard let status = ended else { return 0 }
        return status & 0x7f == 0 ? (status >> 8) & 0xff : status & 0x7f
    }

    var terminationReason: Termination {
        guard let status = ended else { return .exit }
        return status & 0x7f == 0 ? .exit : .uncaughtSignal
    }

    private var ended: Int32? {
        condition.lock()
        defer { condition.unlock() }
        return waitStatus
    }

    private func reap() {
        var status: Int32 = 0
        while waitpid(processIdentifier, &status, 0) == -1 && errno == EINTR {}
        condition.lock()
        waitStatus = status
        condition.broadcast()
        condition.unlock()
    }

    private typealias AddCloseFrom =
        @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) ->
        Int32
    /// Looked up at run time: Swift's Glibc module does not declare it.
    private static let addCloseFrom: AddCloseFrom? = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np").map {
        unsafeBitCast($0, to: AddCloseFrom.self)
    }

    struct SpawnFailed: Error, CustomStringConvertible {
        var reason: String
        var description: String { reason }
    }
}
