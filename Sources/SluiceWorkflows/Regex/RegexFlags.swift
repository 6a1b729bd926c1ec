/// The flags `(?i)`, `(?m)`, `(?s)` and `(?U)`, as they stand at a point of the pattern.
struct RegexFlags: Sendable, Equatable {
    /// `i`: letters match their other cases.
    var caseInsensitive = false
    /// `m`: `^` and `$` also match at line breaks.
    var multiline = false
    /// `s`: `.` also matches `\n`.
    var dotMatchesNewline = false
    /// `U`: `*` is lazy and `*?` greedy, and likewise for the other repetitions.
    var ungreedy = false
}
