import Foundation

/// The log's own threads (writer, syncer, checkpointer), named where `top -H`, `perf` and
/// `/proc/PID/task/*/comm` show them: Foundation's `Thread.name` stays inside Foundation on Linux,
/// and without a kernel name they all read as the thread that started them.
enum NamedThread {
    /// Starts `body` on a new thread called `name` (the kernel keeps 15 bytes of it).
    static func start(_ name: String, niceness: Int32 = 0, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread {
            nameCurrentThread(name)
            // On Linux the nice value is per thread, and `who` 0 is the calling thread.
            if niceness != 0 { _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, niceness) }
            body()
        }
        thread.name = name
        thread.start()
    }

    /// Gives the calling thread its kernel name, through `/proc/thread-self/comm` (the Glibc module
    /// does not import `pthread_setname_np`). Best effort: a thread left unnamed works the same.
    private static func nameCurrentThread(_ name: String) {
        let descriptor = open("/proc/thread-self/comm", O_WRONLY)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        let bytes = Array(name.utf8.prefix(15))
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    }
}
