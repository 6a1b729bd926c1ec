import ArgumentParser

/// `sluice bench`: benchmarks that print figures, one JSON object per figure with `--json`.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure Sluice on this machine.",
        subcommands: [LogBenchmark.self, InterpreterBenchmark.self, PipelineBenchmark.self, HTTPBenchmark.self]
    )
}
