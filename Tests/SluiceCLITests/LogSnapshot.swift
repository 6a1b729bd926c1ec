import Foundation

/// Every event in a log as the CLI prints it, read page by page with `sluice events query --json`.
struct LogSnapshot {
    struct Event {
        var position: Int64
        var stream: String
        var version: Int64
        var round: Int
        var sequence: Int
    }

    var events: [Event] = []

    static func read(binary: SluiceBinary, database: String) async throws -> LogSnapshot {
        var snapshot = LogSnapshot()
        var after: Int64 = 0
        while true {
            let outcome = try await binary.run([
                "events", "query", "--db", database, "--json", "--limit", "10000", "--after", String(after),
            ])
            guard outcome.status == 0 else { throw QueryFailed(stderr: outcome.stderr) }
            let lines = outcome.stdout.split(separator: "\n")
            for line in lines {
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
                let data = object["data"] as? [String: Any] ?? [:]
                snapshot.events.append(
                    Event(
                        position: (object["position"] as? NSNumber)?.int64Value ?? -1,
                        stream: object["stream"] as? String ?? "",
                        version: (object["version"] as? NSNumber)?.int64Value ?? -1,
                        round: (data["round"] as? NSNumber)?.intValue ?? -1,
                        sequence: (data["seq"] as? NSNumber)?.intValue ?? -1
                    )
                )
            }
            guard outcome.stderr.contains("more events match"), let last = snapshot.events.last else { break }
            after = last.position
        }
        return snapshot
    }

    struct QueryFailed: Error {
        var stderr: String
    }
}
