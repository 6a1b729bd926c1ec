import SluiceCore
import SluiceLog
import Synchronization
import Testing

extension EventLogConformance {
    static var reading: [Check] {
        [
            check("a stream reads forward from a version with a limit") { (log: any EventLog) async throws in
                for index in 1...10 {
                    _ = try await log.append(
                        [event("n", "{\"n\": \(index)}")], to: stream(index % 2 == 0 ? "even" : "odd"))
                }
                let events = try await log.readStream(stream("even"), from: 2, limit: 3)
                #expect(events.map(\.version) == [2, 3, 4])
                #expect(events.map(\.data) == ["{\"n\": 4}", "{\"n\": 6}", "{\"n\": 8}"])
                #expect(try await log.readStream(stream("missing"), from: 1, limit: 10).isEmpty)
                #expect(try await log.readStream(stream("even"), from: 6, limit: 10).isEmpty)
            },
            check("stream names with a prefix list in byte order, from a name on, without other names") {
                (log: any EventLog) async throws in
                for name in ["obj/b/z", "obj/b/a/2", "obj/b/a/10", "obj/c/a", "obj/b", "obj/bé", "obj/b/é", "other"] {
                    _ = try await log.append([event()], to: stream(name))
                }
                let all = try await log.streamNames(prefix: "obj/b/", from: nil, limit: 100).map(\.rawValue)
                #expect(all == ["obj/b/a/10", "obj/b/a/2", "obj/b/z", "obj/b/é"])
                let page = try await log.streamNames(prefix: "obj/b/", from: "obj/b/a/2", limit: 2).map(\.rawValue)
                #expect(page == ["obj/b/a/2", "obj/b/z"])
                let after = try await log.streamNames(prefix: "obj/b/", from: "obj/b/z\u{0}", limit: 10).map(\.rawValue)
                #expect(after == ["obj/b/é"])
                #expect(
                    try await log.streamNames(prefix: "obj/b/", from: "obj/a", limit: 1).map(\.rawValue) == [
                        "obj/b/a/10"
                    ])
                #expect(try await log.streamNames(prefix: "none/", from: nil, limit: 10).isEmpty)
                #expect(try await log.streamNames(prefix: "", from: "ot", limit: 10).map(\.rawValue) == ["other"])
            },
            check("verify finds a log written only by appends intact, and counts its events and streams") {
                (log: any EventLog) async throws in
                for index in 1...2_500 { _ = try await log.append([event()], to: stream("s\(index % 7)")) }
                let checked = Mutex<[Int64]>([])
                let report = try await log.verify { done, _ in checked.withLock { $0.append(done) } }
                #expect(report.isIntact, "\(report.problems)")
                #expect(report.eventsChecked == 2_500)
                #expect(report.streamsChecked == 7)
                #expect(checked.withLock { $0.last } == 2_500)
            },
            check("the whole log reads forward from a position") { (log: any EventLog) async throws in
                for index in 1...5 { _ = try await log.append([event()], to: stream("s\(index)")) }
                let events = try await log.readAll(from: 3, limit: 2)
                #expect(events.map(\.position) == [3, 4])
                #expect(try await log.readAll(from: 6, limit: 10).isEmpty)
            },
            check("a live tail delivers the backlog and then new events without gaps or duplicates") {
                (log: any EventLog) async throws in
                for _ in 0..<5 { _ = try await log.append([event()], to: stream("before")) }
                let received = try await withThrowingTaskGroup(of: [Int64].self) { group in
                    group.addTask {
                        var positions: [Int64] = []
                        for try await event in log.tail(after: 2, batchSize: 3) {
                            positions.append(event.position)
                            if positions.count == 3 + 40 { break }
                        }
                        return positions
                    }
                    group.addTask {
                        for index in 0..<20 {
                            _ = try await log.append([event(), event()], to: stream("live\(index % 3)"))
                        }
                        return []
                    }
                    var all: [Int64] = []
                    for try await positions in group { all += positions }
                    return all
                }
                #expect(received == Array(3...45))
            },
            check("a tail of some types delivers only those, in order, from the backlog and then live") {
                (log: any EventLog) async throws in
                for index in 0..<6 {
                    _ = try await log.append([event(index % 2 == 0 ? "wanted" : "other")], to: stream("before"))
                }
                let received = try await withThrowingTaskGroup(of: [Int64].self) { group in
                    group.addTask {
                        var positions: [Int64] = []
                        for try await event in log.tail(after: 2, types: ["wanted", "also"], batchSize: 2) {
                            #expect(event.type != "other")
                            positions.append(event.position)
                            if positions.count == 2 + 20 { break }
                        }
                        return positions
                    }
                    group.addTask {
                        for index in 0..<20 {
                            _ = try await log.append(
                                [event("other"), event(index % 2 == 0 ? "wanted" : "also"), event("other")],
                                to: stream("live\(index % 3)"))
                        }
                        return []
                    }
                    var all: [Int64] = []
                    for try await positions in group { all += positions }
                    return all
                }
                #expect(received == [3, 5] + stride(from: Int64(8), through: 65, by: 3))
            },
            check(
                "a tail of some types with a predicate delivers only the matching events, from the backlog and then live"
            ) {
                (log: any EventLog) async throws in
                func marked(_ index: Int) -> NewEvent {
                    var metadata = EventMetadata(principal: "tester")
                    if index % 3 == 0 { metadata.extra["skip"] = "yes" }
                    return NewEvent(type: "wanted", data: "{\"index\":\(index)}", metadata: metadata)
                }
                for index in 0..<6 { _ = try await log.append([marked(index)], to: stream("before")) }
                let unmarked = try FieldPredicate(root: .metadata, path: ["skip"], comparison: .equal, value: .null)
                let received = try await withThrowingTaskGroup(of: [Int64].self) { group in
                    group.addTask {
                        var positions: [Int64] = []
                        for try await event in log.tail(after: 0, types: ["wanted"], where: [unmarked], batchSize: 2) {
                            #expect(event.metadata.extra["skip"] == nil)
                            positions.append(event.position)
                            if positions.count == 4 + 8 { break }
                        }
                        return positions
                    }
                    group.addTask {
                        for index in 6..<18 { _ = try await log.append([marked(index)], to: stream("live")) }
                        return []
                    }
                    var all: [Int64] = []
                    for try await positions in group { all += positions }
                    return all
                }
                let expected: [Int64] = Array(1...18).filter { position in (position - 1) % 3 != 0 }
                #expect(received == expected)
            },
        ]
    }
}
