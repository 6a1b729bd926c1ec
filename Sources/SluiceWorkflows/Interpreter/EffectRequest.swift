public import OrderedCollections

/// Something non-deterministic the interpreter needs from its host: an HTTP call, the clock, a sleep, a UUID,
/// a callback, a connector call, a log line.
public struct EffectRequest: Sendable, Hashable, Codable {
    /// A stable id: the same program with the same history asks for the same effects with the same ids.
    public var id: String
    /// The standard library function or connector, e.g. `http.get`, `sys.sleep`, `googleapis.storage.v1.objects.get`.
    public var function: String
    /// The named arguments, with defaults filled in.
    public var arguments: OrderedDictionary<String, WorkflowValue>
    /// The routine that asked.
    public var routine: String
    /// The step that asked.
    public var step: String
    /// Whether this is the backoff sleep between two attempts of a `try` block.
    public var isRetryBackoff: Bool

    /// Creates a request; hosts and tests build them to drive performers directly.
    public init(
        id: String,
        function: String,
        arguments: OrderedDictionary<String, WorkflowValue>,
        routine: String,
        step: String,
        isRetryBackoff: Bool = false
    ) {
        self.id = id
        self.function = function
        self.arguments = arguments
        self.routine = routine
        self.step = step
        self.isRetryBackoff = isRetryBackoff
    }
}

/// What `advance()` reached.
public enum ExecutionProgress: Sendable, Hashable {
    /// The execution waits for these effects (every outstanding one, oldest first).
    case effects([EffectRequest])
    /// The execution returned this value.
    case finished(WorkflowValue)
    /// The execution failed with this error.
    case failed(WorkflowError)
}

/// A step that started, as GCP reports in `status.currentSteps` and step entries.
public struct StepProgress: Sendable, Hashable, Codable {
    /// The routine (workflow or subworkflow) of the step.
    public var routine: String
    /// The step name.
    public var step: String

    /// Creates a progress entry.
    public init(routine: String, step: String) {
        self.routine = routine
        self.step = step
    }
}

/// Values the host gives the execution: the built-in `GOOGLE_CLOUD_*` variables and user variables for
/// `sys.get_env`, and the limits it runs under.
public struct WorkflowEnvironment: Sendable, Hashable, Codable {
    /// Variables `sys.get_env` can read.
    public var variables: [String: String]
    /// Most steps one execution may run before a ResourceLimitError.
    public var maximumSteps: Int
    /// Most nested subworkflow calls before a RecursionError (main not counted).
    public var maximumCallDepth: Int

    /// Creates an environment; the `GOOGLE_CLOUD_*` variables default to local placeholders.
    public init(variables: [String: String] = [:], maximumSteps: Int = 100_000, maximumCallDepth: Int = 20) {
        var all: [String: String] = [
            "GOOGLE_CLOUD_PROJECT_ID": "local-project",
            "GOOGLE_CLOUD_PROJECT_NUMBER": "000000000000",
            "GOOGLE_CLOUD_LOCATION": "local",
            "GOOGLE_CLOUD_WORKFLOW_ID": "workflow",
            "GOOGLE_CLOUD_WORKFLOW_REVISION_ID": "000001-000",
            "GOOGLE_CLOUD_WORKFLOW_EXECUTION_ID": "execution",
        ]
        for (key, value) in variables { all[key] = value }
        self.variables = all
        self.maximumSteps = maximumSteps
        self.maximumCallDepth = maximumCallDepth
    }
}
