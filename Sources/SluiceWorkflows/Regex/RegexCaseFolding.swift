/// Simple (one-scalar) case folding, as `(?i)` uses it.
///
/// Two scalars match each other case-insensitively when they share a ``fold(_:)``: the lowercase of the uppercase,
/// which puts `k`, `K` and the Kelvin sign together, or `σ`, `ς` and `Σ`. Mappings that produce several scalars
/// (`ß` to `SS`) are not simple foldings and are ignored, as in RE2. So are the Turkic `ı` and
/// `İ`, which Unicode's case folding leaves out (their cases are `I` and `i` only in Turkish).
enum RegexCaseFolding {
    /// Dotless `ı` and dotted `İ`: each folds only to itself.
    private static let turkic: Set<UInt32> = [0x130, 0x131]

    /// The representative of the scalar's case-folding orbit.
    static func fold(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        if scalar.value < 0x80 {
            return ("A"..."Z").contains(scalar) ? Unicode.Scalar(scalar.value + 0x20)! : scalar
        }
        if turkic.contains(scalar.value) { return scalar }
        let upper = single(scalar.properties.uppercaseMapping) ?? scalar
        return single(upper.properties.lowercaseMapping) ?? upper
    }

    /// The scalar and the members of its orbit reachable from it: its fold, lowercase, uppercase and titlecase.
    static func orbit(_ scalar: Unicode.Scalar) -> [Unicode.Scalar] {
        var members = [scalar]
        func add(_ candidate: Unicode.Scalar?) {
            if let candidate, !members.contains(candidate) { members.append(candidate) }
        }
        if scalar.value < 0x80 {
            switch scalar {
            case "A"..."Z": add(Unicode.Scalar(scalar.value + 0x20))
            case "a"..."z": add(Unicode.Scalar(scalar.value - 0x20))
            default: break
            }
            return members
        }
        if turkic.contains(scalar.value) { return members }
        let properties = scalar.properties
        add(fold(scalar))
        add(single(properties.lowercaseMapping))
        add(single(properties.uppercaseMapping))
        add(single(properties.titlecaseMapping))
        return members
    }

    /// Whether the scalar has other cases, so that `(?i)` changes what it matches.
    static func hasOtherCases(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value < 0x80 { return ("A"..."Z").contains(scalar) || ("a"..."z").contains(scalar) }
        if turkic.contains(scalar.value) { return false }
        return orbit(scalar).count > 1 || fold(scalar) != scalar
            || scalar.properties.changesWhenCaseFolded || scalar.properties.changesWhenCaseMapped
    }

    private static func single(_ text: String) -> Unicode.Scalar? {
        var iterator = text.unicodeScalars.makeIterator()
        guard let first = iterator.next(), iterator.next() == nil else { return nil }
        return first
    }
}
