import Foundation

/// One measured figure of a `sluice bench` run, printed as a JSON line with `--json`.
///
/// `baseline` is what the figure is compared with (a physical limit measured in the same run,
/// or the issue's target where no such limit exists); `ratio` is value / baseline.
struct BenchFigure: Codable, Sendable {
    let name: String
    let value: Double
    let unit: String
    let baseline: Double?
    let ratio: Double?

    init(name: String, value: Double, unit: String, baseline: Double? = nil) {
        self.name = name
        self.value = value
        self.unit = unit
        self.baseline = baseline
        self.ratio = baseline.flatMap { $0 == 0 ? nil : value / $0 }
    }

    /// Prints figures as JSON lines or as an aligned table.
    static func report(_ figures: [BenchFigure], json: Bool) {
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            for figure in figures {
                let data = (try? encoder.encode(figure)) ?? Data()
                StandardOutput.line(String(decoding: data, as: UTF8.self))
            }
            return
        }
        let width = figures.map(\.name.count).max() ?? 0
        for figure in figures {
            var line = figure.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
            line += String(format: "%14.3f %@", figure.value, figure.unit)
            if let baseline = figure.baseline, let ratio = figure.ratio {
                line += String(format: "   (baseline %.3f, ratio %.3f)", baseline, ratio)
            }
            StandardOutput.line(line)
        }
    }
}

/// Percentiles of a set of durations.
struct LatencySample {
    private(set) var nanoseconds: [Int64] = []

    mutating func record(_ duration: Duration) {
        nanoseconds.append(
            duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }

    mutating func merge(_ other: LatencySample) { nanoseconds += other.nanoseconds }

    /// The percentile `p` (0...100) in milliseconds.
    func percentileMilliseconds(_ p: Double) -> Double {
        guard !nanoseconds.isEmpty else { return 0 }
        let sorted = nanoseconds.sorted()
        let index = min(sorted.count - 1, max(0, Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1))
        return Double(sorted[index]) / 1_000_000
    }
}

extension Duration {
    /// The duration in seconds as a double.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
