/// A class fragment as an escape or POSIX name yields it: `\d`, `\W`, `\pL`, `\P{Lu}`, `[:^alpha:]`. It holds
/// either ranges or categories, never both.
struct RegexScalarSet: Sendable {
    /// Code point ranges in the set.
    var ranges: [ClosedRange<UInt32>] = []
    /// ``RegexUnicodeCategory`` bits of categories in the set.
    var categories: UInt32 = 0
    /// The fragment means everything outside the ranges and categories.
    var isInverted = false

    /// `\d`, `[[:digit:]]`.
    static let digits = RegexScalarSet(ranges: [0x30...0x39])
    /// `\s`: RE2's Perl space, which leaves out `\v`.
    static let perlSpace = RegexScalarSet(ranges: [0x09...0x0A, 0x0C...0x0D, 0x20...0x20])
    /// `\w`, `[[:word:]]`.
    static let word = RegexScalarSet(ranges: [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A])

    /// The set with its meaning turned around.
    var inverted: RegexScalarSet {
        var copy = self
        copy.isInverted.toggle()
        return copy
    }

    /// A class holding just this fragment.
    func characterClass(foldsCase: Bool, foldingBudget: inout Int) -> RegexCharacterClass {
        var result = RegexCharacterClass()
        result.insert(RegexScalarSet(ranges: ranges, categories: categories))
        result.isNegated = isInverted
        result.foldsCase = foldsCase
        result.finalize(foldingBudget: &foldingBudget)
        return result
    }
}
