import OrderedCollections
import SluiceEngine
import SluiceWorkflows

/// Answers `http.*` effects from a script per URL and counts every call by idempotency key, like
/// a model server that logs what it was asked.
actor ScriptedPerformer: EffectPerformer {
    private var responses: [String: [Result<WorkflowValue, WorkflowError>]] = [:]
    private(set) var calls: [String] = []
    private var blocked: Set<String> = []
    private var replaySafe: Set<String> = []

    /// Calls to `url` are replay-safe: the runner may record them with its next append.
    func markReplaySafe(_ url: String) { replaySafe.insert(url) }

    nonisolated func isReplaySafe(_ request: EffectRequest) async -> Bool {
        await replaySafe.contains(request.arguments["url"]?.stringValue ?? request.function)
    }

    /// Each call to `url` takes the next scripted answer; the last one repeats.
    func script(_ url: String, _ answers: [Result<WorkflowValue, WorkflowError>]) {
        responses[url] = answers
    }

    /// Calls to `url` never return, like a call in flight when the process dies.
    func hang(_ url: String) { blocked.insert(url) }

    func calls(to suffix: String) -> [String] { calls.filter { $0.hasSuffix(suffix) } }

    nonisolated func perform(_ request: EffectRequest, context: EffectContext) async -> Result<
        WorkflowValue, WorkflowError
    > {
        await answer(request, context: context)
    }

    private func answer(_ request: EffectRequest, context: EffectContext) async -> Result<WorkflowValue, WorkflowError>
    {
        let url = request.arguments["url"]?.stringValue ?? request.function
        calls.append(context.idempotencyKey + " " + url)
        if blocked.contains(url) {
            while !Task.isCancelled { try? await Task.sleep(for: .seconds(60)) }
            return .failure(.systemError("cancelled"))
        }
        guard var answers = responses[url], let first = answers.first else {
            return .failure(.systemError("no script for \(url)"))
        }
        if answers.count > 1 {
            answers.removeFirst()
            responses[url] = answers
        }
        return first
    }

    static func ok(_ body: WorkflowValue) -> Result<WorkflowValue, WorkflowError> {
        .success(.object(["code": 200, "headers": .object([:]), "body": body]))
    }

    static func status(_ code: Int64) -> Result<WorkflowValue, WorkflowError> {
        .failure(.httpError(code: code, headers: .object([:]), body: .string("unavailable")))
    }
}
