import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Whether the previous `sluice serve` on this data directory ended in a crash (a Swift trap or
/// another fatal signal), as opposed to a clean stop or a SIGKILL.
///
/// The engine fails an execution that makes no progress across several restarts, but only when
/// those restarts followed crashes: a run killed (or stopped) while it waits on a slow call is
/// not evidence of anything, while a run that traps the process at every start keeps the whole
/// server down. A fatal signal's handler writes one byte to `crash-record` in the data directory,
/// calls the handler it replaced (Swift's backtracer prints the crash report), and ends the
/// process with the signal. SIGKILL cannot be caught and leaves no record, and neither does a
/// fatal signal sent by another process: only a fault of this process's own code counts.
enum CrashRecord {
    /// The signals a trap, a bad access or an abort raise.
    private static let fatalSignals: [Int32] = [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGFPE, SIGABRT]

    /// Reads what the previous process left and arms the handlers for this one. Returns whether
    /// the previous process crashed.
    static func arm(dataDirectory: String) -> Bool {
        let path = dataDirectory + "/crash-record"
        let crashed =
            ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0 > 0
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return crashed }
        recordFD = fd
        for signal in fatalSignals {
            var action = Glibc.sigaction.init()
            action.__sigaction_handler.sa_sigaction = handleFatalSignal
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_ONSTACK | SA_SIGINFO
            guard sigaction(signal, &action, previousActions + Int(signal)) == 0 else { continue }
        }
        return crashed
    }
}

/// The open `crash-record`, written by the handler; -1 before ``CrashRecord/arm(dataDirectory:)``.
nonisolated(unsafe) private var recordFD: Int32 = -1
/// The handlers replaced, by signal number, restored before the signal is raised again.
nonisolated(unsafe) private let previousActions: UnsafeMutablePointer<sigaction> = {
    let actions = UnsafeMutablePointer<sigaction>.allocate(capacity: 65)
    actions.initialize(repeating: .init(), count: 65)
    return actions
}()

/// Records the crash, lets the replaced handler report it, then ends the process with the signal
/// (which stays blocked until this returns, and is then delivered with the default action).
///
/// A fatal signal another process sent (`kill -SEGV`, a watchdog's SIGABRT) is not a crash of
/// this code: it leaves no record, so it counts against no execution, and it gets no backtrace,
/// since Swift's backtracer, started for a signal that was not a fault, outlives the process and
/// keeps its sockets. Before a real crash's backtrace, every descriptor is marked close-on-exec,
/// so the backtracer never holds the listening socket a restarted server needs.
private func handleFatalSignal(
    _ signal: Int32, _ info: UnsafeMutablePointer<siginfo_t>?, _ context: UnsafeMutableRawPointer?
) {
    if !isSentByAnotherProcess(info) {
        var byte: UInt8 = 0x63
        _ = write(recordFD, &byte, 1)
        closeDescriptorsOnExec()
        let previous = previousActions[Int(signal)]
        if previous.sa_flags & SA_SIGINFO != 0, let report = previous.__sigaction_handler.sa_sigaction {
            report(signal, info, context)
        } else if let report = previous.__sigaction_handler.sa_handler,
            unsafeBitCast(report, to: Int.self) > 1
        {
            report(signal)
        }
    }
    var fallback = Glibc.sigaction.init()
    fallback.__sigaction_handler.sa_handler = SIG_DFL
    sigaction(signal, &fallback, nil)
    raise(signal)
}

/// Whether `kill` or `sigqueue` from another process sent the signal (a fault the kernel raises
/// has a positive code; `abort` and `raise` here come from this process).
private func isSentByAnotherProcess(_ info: UnsafeMutablePointer<siginfo_t>?) -> Bool {
    guard let info else { return false }
    return info.pointee.si_code <= 0 && info.pointee._sifields._kill.si_pid != getpid()
}

/// Marks every descriptor past standard error close-on-exec, with async-signal-safe calls only.
private func closeDescriptorsOnExec() {
    var limit = rlimit()
    let count =
        getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0
        ? min(Int32(clamping: limit.rlim_cur), 65_536) : 4_096
    var descriptor: Int32 = 3
    while descriptor < count {
        let flags = fcntl(descriptor, F_GETFD)
        if flags >= 0 { _ = fcntl(descriptor, F_SETFD, flags | FD_CLOEXEC) }
        descriptor += 1
    }
}
