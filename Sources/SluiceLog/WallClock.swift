import Foundation

/// The real clock, for production wiring; libraries take a clock function instead of calling this.
public enum WallClock {
    /// Microseconds since the Unix epoch.
    @Sendable public static func microsecondsSinceEpoch() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1_000_000).rounded())
    }
}
