import SluiceCore
import SluiceResources
import Testing

@Suite struct ObjectLifecycleTests {
    @Test func aFirstUploadFinalizesGenerationOneMetagenerationOne() throws {
        let events = try Fixtures.decider().finalize(
            Fixtures.upload(), state: ObjectState(), generation: 100, now: Fixtures.time(0))
        #expect(events.map(\.type) == ["object.finalized"])
        let state = try ObjectState.folding(events)
        #expect(state.live?.generation == 100)
        #expect(state.live?.metageneration == 1)
        #expect(state.live?.timeCreated == Fixtures.time(0))
    }

    @Test func anOverwriteInAnUnversionedBucketFinalizesTheNewAndDeletesTheOld() throws {
        let decider = Fixtures.decider()
        var state = try ObjectState.folding(
            decider.finalize(Fixtures.upload(), state: ObjectState(), generation: 100, now: Fixtures.time(0)))
        let events = try decider.finalize(
            Fixtures.upload(size: 9), state: state, generation: 200, now: Fixtures.time(1))
        #expect(
            events == [
                .finalized(ObjectFinalized(object: events.first.flatMap(Self.object)!, overwroteGeneration: 100)),
                .deleted(ObjectRemoved(generation: 100, time: Fixtures.time(1), overwrittenByGeneration: 200)),
            ]
        )
        for event in events { try state.apply(event) }
        #expect(state.live?.generation == 200)
        #expect(state.noncurrent.isEmpty)
    }

    @Test func anOverwriteInAVersionedBucketArchivesTheOldGeneration() throws {
        let decider = Fixtures.decider(versioned: true)
        var state = try ObjectState.folding(
            decider.finalize(Fixtures.upload(), state: ObjectState(), generation: 100, now: Fixtures.time(0)))
        let events = try decider.finalize(Fixtures.upload(), state: state, generation: 200, now: Fixtures.time(1))
        #expect(events.map(\.type) == ["object.finalized", "object.archived"])
        for event in events { try state.apply(event) }
        #expect(state.live?.generation == 200)
        #expect(state.noncurrent[100]?.timeDeleted == Fixtures.time(1))
    }

    struct PreconditionCase: Sendable, CustomTestStringConvertible {
        var label: String
        var preconditions: ObjectPreconditions
        var passes: Bool
        var testDescription: String { label }
    }

    @Test(arguments: [
        PreconditionCase(label: "generation matches", preconditions: .init(ifGenerationMatch: 100), passes: true),
        PreconditionCase(label: "generation differs", preconditions: .init(ifGenerationMatch: 99), passes: false),
        PreconditionCase(label: "0 requires absence", preconditions: .init(ifGenerationMatch: 0), passes: false),
        PreconditionCase(label: "generation not match", preconditions: .init(ifGenerationNotMatch: 100), passes: false),
        PreconditionCase(label: "metageneration matches", preconditions: .init(ifMetagenerationMatch: 1), passes: true),
        PreconditionCase(
            label: "metageneration differs", preconditions: .init(ifMetagenerationMatch: 2), passes: false),
        PreconditionCase(
            label: "metageneration not match", preconditions: .init(ifMetagenerationNotMatch: 1), passes: false),
    ])
    func uploadPreconditionsAreCheckedAgainstTheLiveGeneration(_ testCase: PreconditionCase) throws {
        let decider = Fixtures.decider()
        let state = try ObjectState.folding(
            decider.finalize(Fixtures.upload(), state: ObjectState(), generation: 100, now: Fixtures.time(0)))
        let attempt = { () throws(SluiceError) -> [ObjectEvent] in
            try decider.finalize(
                Fixtures.upload(), state: state, generation: 200, now: Fixtures.time(1),
                preconditions: testCase.preconditions)
        }
        if testCase.passes {
            #expect(try attempt().count == 2)
        } else {
            #expect(throws: SluiceError(.failedPrecondition, "")) { try attempt() }
        }
    }

    @Test func ifGenerationMatchZeroAllowsOnlyTheFirstUpload() throws {
        let decider = Fixtures.decider()
        let create = ObjectPreconditions(ifGenerationMatch: 0)
        let events = try decider.finalize(
            Fixtures.upload(), state: ObjectState(), generation: 1, now: Fixtures.time(0), preconditions: create)
        let state = try ObjectState.folding(events)
        #expect(throws: SluiceError(.failedPrecondition, "")) {
            try decider.finalize(
                Fixtures.upload(), state: state, generation: 2, now: Fixtures.time(1), preconditions: create)
        }
    }

    @Test func aGenerationMustGrow() throws {
        let decider = Fixtures.decider()
        let state = try ObjectState.folding(
            decider.finalize(Fixtures.upload(), state: ObjectState(), generation: 100, now: Fixtures.time(0)))
        #expect(throws: SluiceError(.invalidArgument, "")) {
            try decider.finalize(Fixtures.upload(), state: state, generation: 100, now: Fixtures.time(1))
        }
    }

    @Test func aMetadataPatchBumpsTheMetagenerationAndRemovesNilKeys() throws {
        let decider = Fixtures.decider()
        var state = try ObjectState.folding(
            decider.finalize(Fixtures.upload(), state: ObjectState(), generation: 100, now: Fixtures.time(0)))
        let patch = ObjectMetadataPatch(contentType: "text/plain", metadata: ["owner": nil, "team": "ml"])
        for event in try decider.updateMetadata(patch, state: state, now: Fixtures.time(5)) { try state.apply(event) }
        #expect(state.live?.metageneration == 2)
        #expect(state.live?.metadata == ["team": "ml"])
        #expect(state.live?.contentType == "text/plain")
        #expect(state.live?.updated == Fixtures.time(5))
        #expect(state.live?.timeCreated == Fixtures.time(0))
    }

    @Test func deletingInAVersionedBucketArchivesAndDeletingAGenerationRemovesIt() throws {
        let decider = Fixtures.decider(versioned: true)
        var state = try ObjectState.folding(
            decider.finalize(Fixtures.upload(), state: ObjectState(), generation: 100, now: Fixtures.time(0)))
        let archive = try decider.delete(state: state, now: Fixtures.time(1))
        #expect(archive.map(\.type) == ["object.archived"])
        for event in archive { try state.apply(event) }
        #expect(state.live == nil)
        let purge = try decider.delete(state: state, generation: 100, now: Fixtures.time(2))
        #expect(purge.map(\.type) == ["object.deleted"])
        for event in purge { try state.apply(event) }
        #expect(state.noncurrent.isEmpty)
    }

    @Test func deletingAMissingObjectIsNotFound() {
        #expect(throws: SluiceError(.notFound, "")) {
            try Fixtures.decider().delete(state: ObjectState(), now: Fixtures.time(0))
        }
    }

    @Test func eventsThatContradictTheStateAreReportedAsCorruption() {
        var state = ObjectState()
        #expect(throws: SluiceError(.corruptStore, "")) {
            try state.apply(.deleted(ObjectRemoved(generation: 1, time: Fixtures.time(0))))
        }
    }

    static func object(_ event: ObjectEvent) -> ObjectVersion? {
        if case .finalized(let payload) = event { return payload.object }
        return nil
    }
}
