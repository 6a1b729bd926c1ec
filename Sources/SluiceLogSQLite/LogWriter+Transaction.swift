import SluiceCore
import SluiceLog

extension LogWriter {
    /// Writes a batch in one transaction. A version conflict fails only its own append; any
    /// other error rolls back the whole batch and is thrown.
    ///
    /// With `syncOffThread` the commit does not fsync: ``WALSyncer`` does, and readers stop short
    /// of it until then. Otherwise it commits at the connection's own `synchronous` level.
    func commit(_ batch: [PendingAppend], syncOffThread: Bool) throws(SluiceError)
        -> [Result<[AppendResult], SluiceError>]
    {
        if syncOffThread { try connection.statement("PRAGMA synchronous = NORMAL").step() }
        defer { if syncOffThread { _ = try? connection.statement("PRAGMA synchronous = FULL").step() } }
        try connection.statement("BEGIN IMMEDIATE").step()
        pendingNames = InternedNames.Pending()
        do {
            try reloadIfChangedElsewhere()
            turnWhenAppendingTableIsFull()
            var results: [Result<[AppendResult], SluiceError>] = []
            results.reserveCapacity(batch.count)
            var batchKeys: [String: AppendResult] = [:]
            var appended: [RecordedEvent] = []
            for append in batch {
                results.append(try write(append, batchKeys: &batchKeys, appended: &appended))
            }
            if !appended.isEmpty {
                for projection in projections {
                    try projection.apply(appended, in: projectionDatabase)
                    try recordProjectionPosition(projection, position: state.headPosition)
                }
            }
            try commitVisibly(syncOffThread: syncOffThread)
            names.publish(pendingNames)
            state.trimCaches()
            return results
        } catch {
            _ = try? connection.statement("ROLLBACK").step()
            state.invalidate()
            try? reloadState()
            throw error
        }
    }

    /// Turns appends to the other recent table once this one holds a round's worth of events and
    /// the other is empty, so no round has to settle more than that (a round otherwise starts by
    /// turning, see ``settleStep(minimumBacklog:)``).
    private func turnWhenAppendingTableIsFull() {
        let marks = state.marks
        let olderIsEmpty = marks.settled == marks.appendingFrom - 1
        if olderIsEmpty && state.headPosition - marks.appendingFrom + 1 >= Int64(settlement.roundEvents) {
            state.marks.turn(head: state.headPosition)
        }
    }

    /// Runs COMMIT. With the sync left to ``WALSyncer``, readers stop short of this commit from
    /// before it becomes visible until its sync.
    private func commitVisibly(syncOffThread: Bool) throws(SluiceError) {
        if syncOffThread { durable.willCommit() }
        do {
            try connection.statement("COMMIT").step()
        } catch {
            if syncOffThread { durable.commitFailed() }
            throw error
        }
    }

    /// Writes one append: every part's version is checked before anything is written, so a
    /// conflict on any part leaves the transaction as it was for the rest of the batch.
    private func write(
        _ append: PendingAppend,
        batchKeys: inout [String: AppendResult],
        appended: inout [RecordedEvent]
    ) throws(SluiceError) -> Result<[AppendResult], SluiceError> {
        if let key = append.idempotencyKey, let original = try idempotentResult(key, batchKeys: batchKeys) {
            var results = [original.asDuplicate]
            for index in append.parts.indices.dropFirst() {
                let partKey = StreamAppend.partKey(key, index: index)
                results.append(
                    try idempotentResult(partKey, batchKeys: batchKeys)?.asDuplicate
                        ?? StreamAppend.conditionResult(at: 0, duplicate: true))
            }
            return .success(results)
        }
        var currents: [(streamID: Int64, version: Int64)] = []
        currents.reserveCapacity(append.parts.count)
        for part in append.parts {
            let streamID = try internStream(part.stream.rawValue)
            let current = try streamVersion(streamID)
            guard part.expectedVersion.isSatisfied(by: current) else {
                return .failure(
                    VersionConflict(stream: part.stream, expected: part.expectedVersion, actual: current).error)
            }
            currents.append((streamID, current))
        }
        let timestamp = max(now(), state.lastTimestamp)
        var results: [AppendResult] = []
        results.reserveCapacity(append.parts.count)
        for (index, part) in append.parts.enumerated() {
            let (streamID, current) = currents[index]
            guard !part.events.isEmpty else {
                results.append(StreamAppend.conditionResult(at: current, duplicate: false))
                continue
            }
            let result = try insert(
                part, streamID: streamID, current: current, timestamp: timestamp, appended: &appended)
            if let key = append.idempotencyKey {
                let partKey = StreamAppend.partKey(key, index: index)
                try storeIdempotentResult(partKey, result)
                batchKeys[partKey] = result
            }
            results.append(result)
        }
        state.lastTimestamp = timestamp
        return .success(results)
    }

    /// The result an idempotency key stored, in this batch or an earlier commit.
    private func idempotentResult(_ key: String, batchKeys: [String: AppendResult]) throws(SluiceError)
        -> AppendResult?
    {
        if let original = batchKeys[key] { return original }
        return try storedIdempotentResult(key)
    }

    /// Inserts a part's events at the head of the log, its stream at version `current`.
    private func insert(
        _ part: PendingAppend.Part,
        streamID: Int64,
        current: Int64,
        timestamp: Int64,
        appended: inout [RecordedEvent]
    ) throws(SluiceError) -> AppendResult {
        let insert = statements.insertRecent(into: state.marks.appending)
        let index = statements.insertPosition
        let firstPosition = state.headPosition + 1
        for offset in part.events.indices {
            let event = part.events[offset]
            let position = firstPosition + Int64(offset)
            let version = current + Int64(offset) + 1
            let hash = EventHasher.chain(
                previous: state.headHash,
                position: position,
                version: version,
                recordedAt: timestamp,
                content: event.contentDigest
            )
            let typeID = try internType(event.type)
            let correlationID = try event.metadata.correlationID.map { (value) throws(SluiceError) in
                try internCorrelation(value)
            }
            insert.rewind()
            insert.bind(position, at: 1)
            insert.bind(streamID, at: 2)
            insert.bind(version, at: 3)
            insert.bind(typeID, at: 4)
            insert.bind(timestamp, at: 5)
            withUnsafeBytes(of: (event.id.high.bigEndian, event.id.low.bigEndian)) { insert.bind(bytes: $0, at: 6) }
            insert.bind(correlationID, at: 7)
            insert.bind(event.metadata.causationID, at: 8)
            insert.bind(event.metadata.principal, at: 9)
            insert.bind(event.extraJSON, at: 10)
            insert.bind(event.data, at: 11)
            hash.withUnsafeBytes { insert.bind(bytes: $0, at: 12) }
            try insert.step()
            index.rewind()
            index.bind(position, at: 1)
            index.bind(streamID, at: 2)
            index.bind(version, at: 3)
            index.bind(typeID, at: 4)
            index.bind(correlationID, at: 5)
            index.bind(timestamp, at: 6)
            try index.step()
            state.headPosition = position
            state.headHash = hash
            if !projections.isEmpty {
                appended.append(
                    RecordedEvent(
                        position: position,
                        stream: part.stream,
                        version: version,
                        type: event.type,
                        data: event.data,
                        metadata: event.metadata,
                        timestamp: timestamp,
                        id: event.id
                    )
                )
            }
        }
        insert.rewind()
        index.rewind()
        let lastVersion = current + Int64(part.events.count)
        state.streamVersions[streamID] = lastVersion
        return AppendResult(
            firstPosition: firstPosition,
            lastPosition: state.headPosition,
            firstVersion: current + 1,
            lastVersion: lastVersion,
            wasDuplicate: false
        )
    }

    /// Reloads the head when another process committed since our last transaction.
    ///
    /// A settle round under way survives the reload when its table is still the older one and
    /// still holds exactly the round's positions (the other process only appended, to the other
    /// table): its rows are immutable, so what it copied stands. Otherwise every commit by
    /// another process would start the round over from its first slice.
    func reloadIfChangedElsewhere() throws(SluiceError) {
        let dataVersion = try connection.scalarInteger("PRAGMA data_version") ?? 0
        if dataVersion != state.dataVersion {
            let round = state.round
            state.invalidate()
            try reloadState()
            state.dataVersion = dataVersion
            if let round, round.holdsTheOlderTable(of: state.marks) { state.round = round }
        }
    }

    /// Reads the chain head and the settled mark from the database.
    func reloadState() throws(SluiceError) {
        state.headPosition = try tiers.headPosition()
        if let head = try tiers.hashAndTime(at: state.headPosition) {
            state.headHash = head.hash
            state.lastTimestamp = head.recordedAt
        } else {
            state.headPosition = 0
            state.headHash = EventHasher.genesis
            state.lastTimestamp = 0
        }
        state.marks = try tiers.marks()
        state.dataVersion = try connection.scalarInteger("PRAGMA data_version") ?? 0
    }

    private func streamVersion(_ streamID: Int64) throws(SluiceError) -> Int64 {
        if let version = state.streamVersions[streamID] { return version }
        let version = try tiers.streamVersion(streamID, marks: state.marks)
        state.streamVersions[streamID] = version
        return version
    }

    private func internStream(_ name: String) throws(SluiceError) -> Int64 {
        if let id = state.streamIDs[ExactString(name)] { return id }
        let (id, isNew) = try intern(name, table: "streams", column: "name")
        state.streamIDs[ExactString(name)] = id
        // A stream named for the first time has no events: no need to look for its version.
        if isNew { state.streamVersions[id] = 0 }
        pendingNames.streams.append((name, id))
        return id
    }

    private func internType(_ name: String) throws(SluiceError) -> Int64 {
        if let id = state.typeIDs[ExactString(name)] { return id }
        let id = try intern(name, table: "event_types", column: "name").id
        state.typeIDs[ExactString(name)] = id
        pendingNames.types.append((name, id))
        return id
    }

    private func internCorrelation(_ value: String) throws(SluiceError) -> Int64 {
        if let id = state.correlationIDs[ExactString(value)] { return id }
        let id = try intern(value, table: "correlations", column: "value").id
        state.correlationIDs[ExactString(value)] = id
        pendingNames.correlations.append((value, id))
        return id
    }

    /// Inserts first and looks up only when the value was already there: a value missing from
    /// the writer's caches is usually new (a new object's stream, a new journey's correlation id).
    /// The id of `value` in `table`, and whether this call inserted it.
    private func intern(_ value: String, table: String, column: String) throws(SluiceError)
        -> (id: Int64, isNew: Bool)
    {
        // Not `RETURNING id`: SQLite builds and tears down an ephemeral table for every RETURNING
        // statement, which cost the writer more than the insert itself (`id` is the rowid).
        let insert = try connection.statement("INSERT OR IGNORE INTO \(table) (\(column)) VALUES (?)")
        defer { insert.reset() }
        insert.bind(value, at: 1)
        try insert.step()
        if connection.changes == 1 { return (connection.lastInsertRowID, true) }
        guard let id = try connection.scalarInteger("SELECT id FROM \(table) WHERE \(column) = ?", [.text(value)])
        else {
            throw SluiceError(.storageFailure, "interning \(value) into \(table) stored nothing and found nothing")
        }
        return (id, false)
    }

    private func storedIdempotentResult(_ key: String) throws(SluiceError) -> AppendResult? {
        let select = try connection.statement(
            "SELECT first_position, last_position, first_version, last_version FROM idempotency_keys WHERE key = ?"
        )
        defer { select.reset() }
        select.bind(key, at: 1)
        guard try select.step() else { return nil }
        return AppendResult(
            firstPosition: select.int64(0),
            lastPosition: select.int64(1),
            firstVersion: select.int64(2),
            lastVersion: select.int64(3),
            wasDuplicate: false
        )
    }

    private func storeIdempotentResult(_ key: String, _ result: AppendResult) throws(SluiceError) {
        let insert = try connection.statement(
            "INSERT INTO idempotency_keys (key, first_position, last_position, first_version, last_version) VALUES (?, ?, ?, ?, ?)"
        )
        defer { insert.reset() }
        insert.bind(key, at: 1)
        insert.bind(result.firstPosition, at: 2)
        insert.bind(result.lastPosition, at: 3)
        insert.bind(result.firstVersion, at: 4)
        insert.bind(result.lastVersion, at: 5)
        try insert.step()
    }
}
