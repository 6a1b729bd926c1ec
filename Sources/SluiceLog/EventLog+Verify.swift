public import SluiceCore

extension EventLog {
    /// Checks what any log shows through its reads: positions from 1 to the head without a gap,
    /// each stream's versions from 1 without a gap, and times that never go back. A log that
    /// stores more (the SQLite log's hash chain and indexes) checks that too, in its own `verify`.
    public func verify(progress: @escaping @Sendable (Int64, Int64) -> Void) async throws(SluiceError)
        -> IntegrityReport
    {
        let head = try await headPosition()
        var report = IntegrityReport()
        var versions: [StreamName: Int64] = [:]
        var expectedPosition: Int64 = 1
        var previousTime = Int64.min
        while expectedPosition <= head {
            let page = try await readAll(from: expectedPosition, limit: Self.verifyPageSize)
            guard let last = page.last else { break }
            for event in page where event.position <= head {
                if event.position != expectedPosition {
                    report.add("position \(event.position) follows \(expectedPosition - 1): positions have a gap")
                }
                let expectedVersion = (versions[event.stream] ?? 0) + 1
                if event.version != expectedVersion {
                    report.add(
                        "stream \(event.stream) has version \(event.version) where \(expectedVersion) was expected")
                }
                if event.timestamp < previousTime {
                    report.add("position \(event.position) is recorded earlier than the event before it")
                }
                versions[event.stream] = event.version
                previousTime = event.timestamp
                expectedPosition = event.position + 1
                report.eventsChecked += 1
            }
            progress(report.eventsChecked, head)
            if last.position >= head { break }
        }
        if expectedPosition <= head {
            report.add("the log's head is position \(head), but its events end at \(expectedPosition - 1)")
        }
        report.streamsChecked = versions.count
        return report
    }

    /// Events read per page while verifying.
    static var verifyPageSize: Int { 1_000 }
}
