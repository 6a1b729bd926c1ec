import Foundation

/// Progress of a long CLI operation on standard error: a bar redrawn in place on a terminal, a
/// line at every tenth otherwise (logs, CI), so standard output stays machine-readable.
struct ProgressReporter {
    let label: String
    let total: Int
    private(set) var done = 0
    private var lastTenth = -1
    private let isTerminal = isatty(STDERR_FILENO) == 1

    init(_ label: String, total: Int) {
        self.label = label
        self.total = max(total, 0)
        draw()
    }

    mutating func advance() {
        done = min(done + 1, total)
        draw()
    }

    private mutating func draw() {
        guard total > 0 else { return }
        let fraction = Double(done) / Double(total)
        if isTerminal {
            let width = 30
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
            FileHandle.standardError.write(Data("\r\(label) [\(bar)] \(done)/\(total)".utf8))
            if done == total { FileHandle.standardError.write(Data("\n".utf8)) }
            return
        }
        let tenth = Int(fraction * 10)
        guard tenth != lastTenth else { return }
        lastTenth = tenth
        StandardOutput.errorLine("\(label): \(done)/\(total) (\(tenth * 10)%)")
    }
}
