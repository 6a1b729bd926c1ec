import Foundation
import SluiceAdaptersLocal
import SluiceCore
import SluiceStack

/// Installs a stack's models as `NAME.json` in the models directory (what `sluice serve` loads at
/// start) and, in a running server, into its registry at once.
struct DirectoryModelInstaller: ModelInstaller {
    let directory: String
    let registry: ModelRegistry?

    func installed(_ name: String) async throws -> [UInt8]? {
        FileManager.default.contents(atPath: try path(name)).map(Array.init)
    }

    func install(_ name: String, json: [UInt8]) async throws {
        let model = try ModelRuntimes.predictor(json: json)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Data(json).write(to: URL(fileURLWithPath: try path(name)), options: .atomic)
        await registry?.register(name, model)
    }

    func runsCommand(_ json: [UInt8]) async -> Bool {
        ModelRuntimes.runsCommand(json: json)
    }

    func remove(_ name: String) async throws {
        let file = try path(name)
        if FileManager.default.fileExists(atPath: file) { try FileManager.default.removeItem(atPath: file) }
        await registry?.unregister(name)
    }

    private func path(_ name: String) throws -> String {
        guard !name.isEmpty, !name.contains("/"), !name.hasPrefix(".") else {
            throw SluiceError(.invalidArgument, "model name \(name) is not a plain file name")
        }
        return directory + "/" + name + ".json"
    }
}
