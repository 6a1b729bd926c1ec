import Foundation
import SluiceCore

extension StackDesired {
    /// The model document a model spec stands for: the file it names, or the runtime descriptor
    /// (`sluice.endpoint.v1` / `sluice.worker.v1`, read by `ModelRuntimes`) its `url` or
    /// `command` describes, with sorted keys so that applying the same stack again is unchanged.
    static func modelJSON(_ spec: StackFile.ModelSpec, source: any StackSource) throws(SluiceError) -> [UInt8] {
        let model = "model \(spec.name)"
        var descriptor: [String: Any]
        switch (spec.file, spec.url, spec.command) {
        case (let file?, nil, nil):
            guard spec.workers == nil, spec.timeoutSeconds == nil else {
                throw SluiceError(
                    .invalidArgument, "\(model): workers and timeoutSeconds apply to url and command only")
            }
            return try source.read(file)
        case (nil, let url?, nil):
            guard spec.workers == nil else {
                throw SluiceError(.invalidArgument, "\(model): workers applies to command only")
            }
            guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme), parsed.host != nil else {
                throw SluiceError(.invalidArgument, "\(model): url \(url) is not an http(s) URL")
            }
            descriptor = ["format": "sluice.endpoint.v1", "url": url]
        case (nil, nil, let command?):
            guard let program = command.first, !program.isEmpty else {
                throw SluiceError(.invalidArgument, "\(model): command needs a program")
            }
            descriptor = ["format": "sluice.worker.v1", "command": command, "workers": spec.workers ?? 1]
        default:
            throw SluiceError(.invalidArgument, "\(model): give exactly one of file, url or command")
        }
        if let timeout = spec.timeoutSeconds {
            guard timeout > 0, timeout <= 3_600 else {
                throw SluiceError(.invalidArgument, "\(model): timeoutSeconds must be between 0 and 3600")
            }
            descriptor["timeoutSeconds"] = timeout
        }
        do {
            return Array(try JSONSerialization.data(withJSONObject: descriptor, options: [.sortedKeys]))
        } catch {
            throw SluiceError(.invalidArgument, "\(model): \(error)")
        }
    }
}
