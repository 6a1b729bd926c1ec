/// The Unicode general categories `\p{...}` accepts, as bits of a mask.
///
/// Swift exposes each scalar's general category but not its script, so `\p{Greek}` and the other script names are
/// refused rather than approximated.
enum RegexUnicodeCategory {
    /// The two-letter category names, in bit order.
    private static let names = [
        "Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "Nd", "Nl", "No", "Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po",
        "Sm", "Sc", "Sk", "So", "Zs", "Zl", "Zp", "Cc", "Cf", "Cs", "Co", "Cn",
    ]

    /// The scalar set for a class name: `L`, `Lu`, ..., or `Any`; nil for names this engine does not know.
    static func set(named name: String) -> RegexScalarSet? {
        if name == "Any" { return RegexScalarSet(ranges: [0...0x10FFFF]) }
        if let index = names.firstIndex(of: name) { return RegexScalarSet(categories: 1 << UInt32(index)) }
        // One-letter groups are the union of their two-letter members; RE2's `C` leaves out unassigned `Cn`.
        guard name.count == 1 else { return nil }
        var mask: UInt32 = 0
        for (index, member) in names.enumerated() where member.hasPrefix(name) && member != "Cn" {
            mask |= 1 << UInt32(index)
        }
        return mask == 0 ? nil : RegexScalarSet(categories: mask)
    }

    /// The mask bit of the scalar's general category.
    static func bit(of scalar: Unicode.Scalar) -> UInt32 {
        let index: Int
        switch scalar.properties.generalCategory {
        case .uppercaseLetter: index = 0
        case .lowercaseLetter: index = 1
        case .titlecaseLetter: index = 2
        case .modifierLetter: index = 3
        case .otherLetter: index = 4
        case .nonspacingMark: index = 5
        case .spacingMark: index = 6
        case .enclosingMark: index = 7
        case .decimalNumber: index = 8
        case .letterNumber: index = 9
        case .otherNumber: index = 10
        case .connectorPunctuation: index = 11
        case .dashPunctuation: index = 12
        case .openPunctuation: index = 13
        case .closePunctuation: index = 14
        case .initialPunctuation: index = 15
        case .finalPunctuation: index = 16
        case .otherPunctuation: index = 17
        case .mathSymbol: index = 18
        case .currencySymbol: index = 19
        case .modifierSymbol: index = 20
        case .otherSymbol: index = 21
        case .spaceSeparator: index = 22
        case .lineSeparator: index = 23
        case .paragraphSeparator: index = 24
        case .control: index = 25
        case .format: index = 26
        case .surrogate: index = 27
        case .privateUse: index = 28
        case .unassigned: index = 29
        @unknown default: index = 29
        }
        return 1 << UInt32(index)
    }
}
