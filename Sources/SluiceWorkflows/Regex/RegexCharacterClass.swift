/// A set of scalars: code point ranges, Unicode general categories, and the complements of categories, optionally
/// negated and case-insensitive as a whole.
///
/// Membership of ASCII scalars is answered from a precomputed bitmap; other scalars search the sorted ranges and
/// look up their general category.
struct RegexCharacterClass: Sendable {
    /// How many scalars `(?i)` classes of one pattern may fold at parse time; past it, classes fold at match time only
    /// from the input scalar's side (which misses rare orbits such as a class holding only the Kelvin sign).
    static let foldingBudget = 20_000

    /// Sorted, non-overlapping ranges once ``finalize(foldingBudget:)`` has run.
    private(set) var ranges: [ClosedRange<UInt32>] = []
    /// Bits of ``RegexUnicodeCategory`` categories whose scalars belong to the class.
    private(set) var categories: UInt32 = 0
    /// Each mask adds every scalar whose category is not in it (from `\P{...}` inside brackets).
    private(set) var excludedCategories: [UInt32] = []
    /// `[^...]`, `\D`, `\PL`: the class matches what the rest does not.
    var isNegated = false
    /// `(?i)`: a scalar belongs when any member of its case-folding orbit does.
    var foldsCase = false
    /// Bit `n` is set when scalar `n` (0-63) belongs to the class, negation and folding included.
    private(set) var asciiLow: UInt64 = 0
    /// Bit `n` is set when scalar `64 + n` (64-127) belongs to the class.
    private(set) var asciiHigh: UInt64 = 0

    /// Adds a range of code points.
    mutating func insert(_ range: ClosedRange<UInt32>) { ranges.append(range) }

    /// Adds a set of scalars, or everything outside it when `inverted`.
    mutating func insert(_ set: RegexScalarSet, inverted: Bool = false) {
        if set.isInverted != inverted {
            // A fragment is either ranges or categories, so its complement is one of the two parts.
            if set.categories != 0 {
                excludedCategories.append(set.categories)
            } else {
                ranges += Self.complement(of: Self.normalized(set.ranges))
            }
        } else {
            ranges += set.ranges
            categories |= set.categories
        }
    }

    /// Sorts and merges the ranges, closes them under case folding if the class folds, and builds the ASCII bitmap.
    /// Must run once before ``contains(_:)``.
    mutating func finalize(foldingBudget: inout Int) {
        ranges = Self.normalized(ranges)
        if foldsCase {
            let size = ranges.reduce(0) { $0 + Int($1.upperBound - $1.lowerBound) + 1 }
            if size <= foldingBudget {
                foldingBudget -= size
                var folded: [ClosedRange<UInt32>] = []
                for range in ranges {
                    for value in range {
                        guard let scalar = Unicode.Scalar(value) else { continue }
                        let image = RegexCaseFolding.fold(scalar).value
                        if image != value { folded.append(image...image) }
                    }
                }
                ranges = Self.normalized(ranges + folded)
            }
        }
        asciiLow = 0
        asciiHigh = 0
        for value in UInt32(0)..<0x80 where slowContains(Unicode.Scalar(value)!) {
            if value < 64 { asciiLow |= 1 << UInt64(value) } else { asciiHigh |= 1 << UInt64(value - 64) }
        }
    }

    /// Whether the scalar belongs to the class, negation and case folding included.
    func contains(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 64 { return asciiLow >> UInt64(value) & 1 == 1 }
        if value < 0x80 { return asciiHigh >> UInt64(value - 64) & 1 == 1 }
        return slowContains(scalar)
    }

    private func slowContains(_ scalar: Unicode.Scalar) -> Bool {
        var found = rawContains(scalar)
        if !found && foldsCase {
            found = RegexCaseFolding.orbit(scalar).dropFirst().contains { rawContains($0) }
        }
        return found != isNegated
    }

    private func rawContains(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        var low = 0
        var high = ranges.count
        while low < high {
            let middle = (low + high) / 2
            if ranges[middle].upperBound < value {
                low = middle + 1
            } else {
                high = middle
            }
        }
        if low < ranges.count && ranges[low].contains(value) { return true }
        if categories == 0 && excludedCategories.isEmpty { return false }
        let bit = RegexUnicodeCategory.bit(of: scalar)
        return categories & bit != 0 || excludedCategories.contains { $0 & bit == 0 }
    }

    /// Sorted ranges with overlapping and adjacent ones merged.
    static func normalized(_ ranges: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        var merged: [ClosedRange<UInt32>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = merged.last, range.lowerBound <= last.upperBound &+ 1 {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        return merged
    }

    /// The code points from 0 to 0x10FFFF outside normalized `ranges`.
    static func complement(of ranges: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        var result: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        for range in ranges {
            if range.lowerBound > next { result.append(next...(range.lowerBound - 1)) }
            next = range.upperBound + 1
        }
        if next <= 0x10FFFF { result.append(next...0x10FFFF) }
        return result
    }
}
