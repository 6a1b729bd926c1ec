import ArgumentParser

/// `sluice bench`: micro-benchmarks printed as JSON lines.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Run benchmarks.",
        subcommands: [InterpreterBenchmark.self]
    )
}
