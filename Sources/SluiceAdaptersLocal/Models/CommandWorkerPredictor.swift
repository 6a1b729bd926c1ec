public import SluiceAdapters
public import SluiceCore

/// A model served by a pool of local worker processes speaking JSON lines, for models in any
/// language (a Python scikit-learn or PyTorch script, a compiled server, ...).
///
/// Protocol: Sluice writes one request per line on the worker's standard input,
/// `{"instances": [...], "parameters": {...}, "idempotencyKey": "..."}`, and reads one answer per
/// line from its standard output, `{"predictions": [...]}` (one per instance) or
/// `{"error": "message"}` for a request the worker refuses (`invalidArgument`). Standard output
/// is for answers only; a worker logs to standard error, which is Sluice's.
///
/// Each worker handles one request at a time; `workers` of them run side by side. A worker that
/// crashes, writes something that is not an answer, or exceeds `timeout` is killed and started
/// again for the next request; the request it was answering fails with `unavailable`, so the
/// workflow's retry policy decides whether to try again.
public final class CommandWorkerPredictor: Predictor {
    /// The program and its arguments; a first element without `/` is looked up on `PATH`.
    public let command: [String]
    /// How many worker processes run side by side.
    public let workers: Int
    /// How long one request may take.
    public let timeout: Duration
    private let pool: ModelWorkerPool

    public init(command: [String], workers: Int = 1, timeout: Duration = .seconds(60)) throws(SluiceError) {
        guard let program = command.first, !program.isEmpty else {
            throw SluiceError(.invalidArgument, "a model worker needs a command")
        }
        guard (1...64).contains(workers) else {
            throw SluiceError(.invalidArgument, "a model worker pool has 1 to 64 workers, not \(workers)")
        }
        self.command = command
        self.workers = workers
        self.timeout = timeout
        pool = ModelWorkerPool(command: command, workers: workers)
    }

    public func predict(instances: [JSONValue]) async throws(SluiceError) -> [JSONValue] {
        try await predict(PredictionRequest(instances: instances, idempotencyKey: ""))
    }

    public func predict(_ request: PredictionRequest) async throws(SluiceError) -> [JSONValue] {
        let line = PredictionWire.requestBody(request, includingKey: true) + [0x0A]
        let worker = await pool.acquire()
        let answer = await worker.ask(line, timeout: timeout)
        await pool.release(worker)
        let backend = "model worker \(command[0])"
        return try PredictionWire.predictions(
            in: try answer.get(), instances: request.instances.count, backend: backend, errorCode: .invalidArgument)
    }

    /// Stops the worker processes; a later request starts them again.
    public func stop() async {
        await pool.stop()
    }
}
