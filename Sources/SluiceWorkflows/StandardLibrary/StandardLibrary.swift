import OrderedCollections

/// Every standard library function by its dotted name.
enum StandardLibrary {
    static let functions: [String: LibraryFunction] = {
        var all: [String: LibraryFunction] = [:]
        for function in helpers + text + data + collections + system { all[function.name] = function }
        return all
    }()

    static func function(named name: String) -> LibraryFunction? { functions[name] }

    /// Whether a call target is a library function or a connector the host routes.
    static func isKnown(_ name: String) -> Bool {
        functions[name] != nil || name.hasPrefix("googleapis.") || name.hasPrefix("experimental.")
    }

    /// Whether calling the function needs the host (it becomes an effect).
    static func isEffect(_ name: String) -> Bool {
        guard let function = functions[name] else { return true }
        if case .effect = function.body { return true }
        return false
    }
}
