import Foundation

/// A real crash on demand, for the tests of what the server does after one (the crash-loop guard,
/// the backtracer and the listening socket): with `SLUICE_FAILPOINT_TRAP_ON_HTTP` set to a URL
/// prefix, a workflow's HTTP call to a URL with that prefix traps the process where the HTTP
/// client would, as the port-overflow trap inside AsyncHTTPClient once did. A fault raised by the
/// process itself is what a crash is; a signal sent from outside is not. Unset, it does nothing.
enum CrashFailpoint {
    static let variable = "SLUICE_FAILPOINT_TRAP_ON_HTTP"
    private static let urlPrefix = ProcessInfo.processInfo.environment[variable].flatMap { $0.isEmpty ? nil : $0 }

    static func trapIfArmed(forURL url: String?) {
        guard let urlPrefix, let url, url.hasPrefix(urlPrefix) else { return }
        fatalError("\(variable) trapped the HTTP call to \(url)")
    }
}
