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
/// process with the signal: the backtracer alone would return from a signal sent by another
/// process and let it run on. SIGKILL cannot be caught and leaves no record.
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
private func handleFatalSignal(
    _ signal: Int32, _ info: UnsafeMutablePointer<siginfo_t>?, _ context: UnsafeMutableRawPointer?
) {
    var byte: UInt8 = 0x63
    _ = write(recordFD, &byte, 1)
    let previous = previousActions[Int(signal)]
    if previous.sa_flags & SA_SIGINFO != 0, let report = previous.__sigaction_handler.sa_sigaction {
        report(signal, info, context)
    } else if let report = previous.__sigaction_handler.sa_handler,
        unsafeBitCast(report, to: Int.self) > 1
    {
        report(signal)
    }
    var fallback = Glibc.sigaction.init()
    fallback.__sigaction_handler.sa_handler = SIG_DFL
    sigaction(signal, &fallback, nil)
    raise(signal)
}
