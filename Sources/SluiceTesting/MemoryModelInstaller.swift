import Foundation
public import SluiceStack

/// Model files kept in memory, for stacks whose models a test does not load.
public actor MemoryModelInstaller: ModelInstaller {
    public private(set) var files: [String: [UInt8]] = [:]

    public init() {}

    public func installed(_ name: String) async throws -> [UInt8]? { files[name] }
    public func install(_ name: String, json: [UInt8]) async throws { files[name] = json }
    public func remove(_ name: String) async throws { files[name] = nil }

    /// As the model runtimes decide it: a document whose `format` decodes as `sluice.worker.v1`.
    public func runsCommand(_ json: [UInt8]) async -> Bool {
        struct Format: Decodable { var format: String }
        return (try? JSONDecoder().decode(Format.self, from: Data(json)))?.format == "sluice.worker.v1"
    }
}
