import Foundation
public import SluiceAdapters
import Subprocess
import SystemPackage

/// Runs a function as a local command: the CloudEvent as structured JSON on standard input,
/// exit status 0 acknowledges the event, standard output and error are captured for the log.
///
/// The command is started directly (no shell), so arguments are never re-parsed. A command that
/// outlives its timeout gets SIGTERM, then SIGKILL after `terminationGrace`.
public struct CommandFunctionRuntime: FunctionRuntime {
    /// The program and its arguments; a first element without `/` is looked up on `PATH`.
    public var command: [String]
    /// Variables added to the inherited environment.
    public var environment: [String: String]
    /// The most bytes kept of each of standard output and standard error.
    public var captureLimit: Int
    /// How long a timed-out command has between SIGTERM and SIGKILL.
    public var terminationGrace: Duration

    public init(
        command: [String],
        environment: [String: String] = [:],
        captureLimit: Int = 64 * 1024,
        terminationGrace: Duration = .seconds(2)
    ) {
        self.command = command
        self.environment = environment
        self.captureLimit = captureLimit
        self.terminationGrace = terminationGrace
    }

    /// A command that exits without reading its input must not kill Sluice with SIGPIPE; the
    /// failed write surfaces as an error instead.
    private static let pipeSignalIgnored: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    public func invoke(_ invocation: FunctionInvocation) async -> FunctionOutcome {
        Self.pipeSignalIgnored
        let started = ContinuousClock.now
        guard let program = command.first, !program.isEmpty else {
            return FunctionOutcome(
                status: .unreachable("function \(invocation.function) has no command"), duration: .zero)
        }
        let limit = captureLimit
        let input: FileDescriptor
        do {
            input = try StandardInputFile.holding(invocation.event.structuredJSON + "\n")
        } catch {
            return FunctionOutcome(
                status: .unreachable("cannot prepare the input of \(program): \(error)"), duration: .zero)
        }
        let run = Task { () throws -> (TerminationStatus, CapturedText, CapturedText) in
            var options = PlatformOptions()
            options.teardownSequence = [.gracefulShutDown(allowedDurationToNextStep: terminationGrace)]
            let result = try await Subprocess.run(
                program.contains("/") ? .path(FilePath(program)) : .name(program),
                arguments: Arguments(Array(command.dropFirst())),
                environment: .inherit.updating(variables(for: invocation)),
                platformOptions: options,
                input: .fileDescriptor(input, closeAfterSpawningProcess: true),
                output: .sequence,
                error: .sequence
            ) { execution in
                async let output = BoundedCapture.collect(execution.standardOutput, limit: limit)
                let errors = try await BoundedCapture.collect(execution.standardError, limit: limit)
                return (try await output, errors)
            }
            return (result.terminationStatus, result.closureResult.0, result.closureResult.1)
        }
        let timer = Task {
            try await Task.sleep(for: invocation.timeout)
            run.cancel()
        }
        defer { timer.cancel() }
        let duration = { ContinuousClock.now - started }
        do {
            let (status, output, errors) = try await run.value
            if run.isCancelled {
                return FunctionOutcome(status: .timedOut, output: output, errorOutput: errors, duration: duration())
            }
            switch status {
            case .exited(0):
                return FunctionOutcome(status: .succeeded, output: output, errorOutput: errors, duration: duration())
            case .exited(let code):
                return FunctionOutcome(
                    status: .failed("exit status \(code)"), output: output, errorOutput: errors, duration: duration())
            case .signaled(let signal):
                return FunctionOutcome(
                    status: .failed("killed by signal \(signal)"), output: output, errorOutput: errors,
                    duration: duration())
            }
        } catch {
            // Subprocess has closed `input` on this path too; closing it again could close a
            // descriptor another invocation has been handed since.
            if run.isCancelled { return FunctionOutcome(status: .timedOut, duration: duration()) }
            return FunctionOutcome(status: .unreachable("cannot run \(program): \(error)"), duration: duration())
        }
    }

    /// The configured variables plus the invocation's identity, as Cloud Run sets `K_*` values.
    private func variables(for invocation: FunctionInvocation) -> [Environment.Key: String?] {
        var result: [Environment.Key: String?] = [:]
        for (name, value) in environment {
            if let key = Environment.Key(rawValue: name) { result[key] = value }
        }
        result["K_SERVICE"] = invocation.function
        result["SLUICE_ATTEMPT"] = String(invocation.attempt)
        result["SLUICE_IDEMPOTENCY_KEY"] = invocation.idempotencyKey
        return result
    }
}
