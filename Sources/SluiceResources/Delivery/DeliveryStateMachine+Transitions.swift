extension DeliveryStateMachine {
    mutating func enqueue(_ message: PubsubMessage, now: Timestamp) -> [Action] {
        guard entries[message.messageID] == nil else { return [] }
        if let filter = configuration.filter, !filter.matches(message.attributes) {
            return [.filteredOut(messageID: message.messageID)]
        }
        entries[message.messageID] = Entry(message: message, attempts: 0, availableAt: now, lease: nil)
        order.append(message.messageID)
        return []
    }

    mutating func resume(_ message: PubsubMessage, attempts: Int, now: Timestamp) -> [Action] {
        let actions = enqueue(message, now: now)
        guard attempts > 0, var entry = entries[message.messageID] else { return actions }
        entry.attempts = attempts
        entries[message.messageID] = entry
        return actions + fail(message.messageID, now: now)
    }

    mutating func pull(maxMessages: Int, now: Timestamp) -> [Action] {
        var actions: [Action] = []
        var seenKeys: Set<String> = []
        var index = orderStart
        while index < order.count, actions.count < maxMessages {
            let id = order[index]
            index += 1
            guard var entry = entries[id] else { continue }
            let key = entry.message.orderingKey
            if configuration.enableMessageOrdering, !key.isEmpty {
                // Only the oldest pending message of a key may be out; the rest wait behind it.
                guard seenKeys.insert(key).inserted else { continue }
            }
            guard entry.lease == nil, entry.availableAt <= now else { continue }
            entry.attempts += 1
            let ackID = "\(id)#\(entry.attempts)"
            let deadline = now.adding(seconds: configuration.ackDeadlineSeconds)
            entry.lease = (ackID, deadline)
            entries[id] = entry
            leases[ackID] = id
            if earliestDeadline.map({ deadline < $0 }) ?? true { earliestDeadline = deadline }
            actions.append(
                .deliver(
                    Delivery(ackID: ackID, message: entry.message, deliveryAttempt: entry.attempts, deadline: deadline))
            )
        }
        return actions
    }

    mutating func acknowledge(_ ackID: String, now: Timestamp) -> [Action] {
        if let rejection = check(ackID, now: now) { return [.rejected(ackID: ackID, reason: rejection)] }
        guard let id = Self.messageID(of: ackID), let entry = entries[id] else { return [] }
        if let lease = entry.lease { leases[lease.ackID] = nil }
        remove(id)
        return [.acknowledged(messageID: id, ackID: ackID)]
    }

    mutating func modifyDeadline(_ ackID: String, seconds: Int64, now: Timestamp) -> [Action] {
        guard (0...600).contains(seconds) else { return [.rejected(ackID: ackID, reason: .invalidDeadline)] }
        if let rejection = check(ackID, now: now) { return [.rejected(ackID: ackID, reason: rejection)] }
        // At-least-once: a stale ack id's deadline change is ignored, as Pub/Sub does.
        guard let id = leases[ackID], var entry = entries[id] else { return [] }
        if seconds == 0 { return fail(id, now: now) }
        let deadline = now.adding(seconds: seconds)
        entry.lease = (ackID, deadline)
        entries[id] = entry
        // A shortened lease must expire on time, not at the earliest deadline known before.
        if earliestDeadline.map({ deadline < $0 }) ?? true { earliestDeadline = deadline }
        return [.deadlineModified(ackID: ackID, deadline: deadline)]
    }

    /// Exactly-once: the ack id must be the current, unexpired lease. At-least-once: the
    /// message must still be pending.
    private func check(_ ackID: String, now: Timestamp) -> RejectionReason? {
        guard let id = Self.messageID(of: ackID), entries[id] != nil else { return .unknownAckID }
        guard configuration.enableExactlyOnceDelivery else { return nil }
        guard let lease = entries[id]?.lease, lease.ackID == ackID, lease.deadline > now else { return .leaseExpired }
        return nil
    }

    mutating func expire(now: Timestamp) -> [Action] {
        var actions: [Action] = []
        if let earliest = earliestDeadline, earliest <= now {
            let expiredLeases = leases.compactMap { ackID, id in
                entries[id].flatMap { entry in entry.lease.map { (ackID, id, $0.deadline) } }
            }.filter { $0.2 <= now }.sorted { ($0.2, $0.1) < ($1.2, $1.1) }
            for (_, id, _) in expiredLeases {
                actions += fail(id, now: now)
            }
            earliestDeadline = leases.values.compactMap { entries[$0]?.lease?.deadline }.min()
        }
        let retention = configuration.messageRetentionSeconds
        // Retention follows publish order, so the scan stops at the first message still kept.
        var index = orderStart
        while index < order.count {
            let id = order[index]
            index += 1
            guard let entry = entries[id] else { continue }
            guard entry.message.publishTime.adding(seconds: retention) <= now else { break }
            guard entry.lease == nil else { continue }
            remove(id)
            actions.append(.expired(messageID: id))
        }
        return actions
    }

    private mutating func fail(_ id: String, now: Timestamp) -> [Action] {
        guard var entry = entries[id] else { return [] }
        if let lease = entry.lease { leases[lease.ackID] = nil }
        entry.lease = nil
        if let policy = configuration.deadLetterPolicy, entry.attempts >= policy.maxDeliveryAttempts {
            remove(id)
            return [.deadLettered(messageID: id, topic: policy.deadLetterTopic, deliveryAttempt: entry.attempts)]
        }
        let backoff = configuration.retryPolicy?.backoffSeconds(afterFailures: entry.attempts) ?? 0
        entry.availableAt = now.adding(seconds: backoff)
        entries[id] = entry
        return [.redeliveryScheduled(messageID: id, at: entry.availableAt, deliveryAttempt: entry.attempts)]
    }

    private mutating func remove(_ id: String) {
        entries[id] = nil
        while orderStart < order.count, entries[order[orderStart]] == nil { orderStart += 1 }
        if orderStart > 1024, orderStart * 2 > order.count {
            order.removeFirst(orderStart)
            orderStart = 0
        }
    }

    static func messageID(of ackID: String) -> String? {
        guard let hash = ackID.lastIndex(of: "#") else { return nil }
        return String(ackID[..<hash])
    }
}
