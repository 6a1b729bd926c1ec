import SluiceCore
import SluiceLog

/// Renders events as an aligned table for people.
enum EventTable {
    static let dataWidth = 60

    static func render(_ events: [RecordedEvent]) -> String {
        let header = ["POSITION", "STREAM", "VERSION", "TYPE", "TIME", "CORRELATION", "DATA"]
        var rows = [header]
        for event in events {
            var data = event.data
            if data.count > dataWidth { data = String(data.prefix(dataWidth - 1)) + "…" }
            rows.append([
                String(event.position), event.stream.rawValue, String(event.version), event.type,
                Timestamps.iso8601(event.timestamp), event.metadata.correlationID ?? "-", data,
            ])
        }
        var widths = [Int](repeating: 0, count: header.count)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
