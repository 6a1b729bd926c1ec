import SluiceLog

extension ExecutionFilter {
    /// Reads the filter grammar by recursive descent:
    ///
    ///     expression  = factor { ["AND"] factor }
    ///     factor      = term { "OR" term }
    ///     term        = ["NOT" | "-"] simple
    ///     simple      = "(" expression ")" | field comparison value
    ///
    /// Nesting is bounded, so a filter of a thousand parentheses is refused, not a deep recursion.
    struct Parser {
        static let maximumDepth = 32

        let text: [Character]
        var index = 0
        var depth = 0

        /// What is left to read, for error messages.
        var rest: String { String(text[min(index, text.count)...].prefix(20)) }

        /// Whether only spaces are left.
        mutating func atEnd() -> Bool {
            skipSpaces()
            return index == text.count
        }

        func error(_ message: String) -> GoogleErrorResponse {
            .invalidArgument("invalid filter: \(message) at character \(index + 1)")
        }

        mutating func expression() throws(GoogleErrorResponse) -> ExecutionFilter {
            var parts = [try factor()]
            while !atEnd(), text[index] != ")" {
                _ = keyword("AND")
                parts.append(try factor())
            }
            return parts.count == 1 ? parts[0] : .all(parts)
        }

        private mutating func factor() throws(GoogleErrorResponse) -> ExecutionFilter {
            var parts = [try term()]
            while keyword("OR") { parts.append(try term()) }
            return parts.count == 1 ? parts[0] : .any(parts)
        }

        private mutating func term() throws(GoogleErrorResponse) -> ExecutionFilter {
            if keyword("NOT") { return .not(try simple()) }
            skipSpaces()
            if index + 1 < text.count, text[index] == "-", !text[index + 1].isWhitespace {
                index += 1
                return .not(try simple())
            }
            return try simple()
        }

        private mutating func simple() throws(GoogleErrorResponse) -> ExecutionFilter {
            skipSpaces()
            guard index < text.count else { throw error("the filter ends where a restriction was expected") }
            guard text[index] == "(" else { return try restriction() }
            guard depth < Self.maximumDepth else { throw error("parentheses nest more than \(Self.maximumDepth) deep") }
            index += 1
            depth += 1
            let inner = try expression()
            guard index < text.count, text[index] == ")" else { throw error("a '(' is not closed") }
            index += 1
            depth -= 1
            return inner
        }

        private mutating func restriction() throws(GoogleErrorResponse) -> ExecutionFilter {
            let start = index
            while index < text.count, text[index].isLetter || text[index].isNumber || "_.".contains(text[index]) {
                index += 1
            }
            let name = String(text[start..<index])
            guard !name.isEmpty else { throw error("expected a field name, not '\(rest)'") }
            let labelKey = name.hasPrefix("labels.") ? String(name.dropFirst("labels.".count)) : nil
            let field = Field(rawValue: name)
            guard field != nil || labelKey?.isEmpty == false else {
                throw error(
                    "field '\(name)' cannot be filtered on (executionId, state, startTime, createTime, endTime, "
                        + "duration, workflowRevisionId and labels.KEY can)")
            }
            skipSpaces()
            guard let comparison = Comparison.allCases.first(where: { matches($0.rawValue) }) else {
                throw error("expected a comparison after '\(name)'")
            }
            index += comparison.rawValue.count
            let value = try operandText()
            guard let field else { return try label(labelKey ?? "", comparison, value) }
            return .restriction(field, comparison, try operand(value, for: field, comparison))
        }

        /// `labels.KEY` with `=`, `!=` or `:`; `:*` asks only that the key is set.
        private func label(_ key: String, _ comparison: Comparison, _ value: String)
            throws(GoogleErrorResponse) -> ExecutionFilter
        {
            guard [.equal, .notEqual, .has].contains(comparison) else {
                throw error("labels.\(key) can only be compared with =, != or :")
            }
            return .label(key, comparison, comparison == .has && value == "*" ? nil : value)
        }

        private func operand(_ value: String, for field: Field, _ comparison: Comparison)
            throws(GoogleErrorResponse) -> Operand
        {
            switch field {
            case .state:
                guard [.equal, .notEqual, .has].contains(comparison) else {
                    throw error("state can only be compared with = or !=")
                }
                guard ExecutionFilter.states.contains(value) else { throw error("'\(value)' is not a state") }
                return .text(value)
            case .executionId:
                return .text(value)
            case .workflowRevisionId:
                // `3` and `000003-000` name one revision.
                return .text(WorkflowsRoutes.revision(of: value).map(WorkflowsRoutes.revisionID) ?? value)
            case .startTime, .createTime, .endTime:
                guard Double(value) == nil, let time = Timestamps.parse(value) else {
                    throw error("'\(value)' is not an RFC 3339 timestamp")
                }
                return .time(time)
            case .duration:
                guard value.hasSuffix("s"), let seconds = Double(value.dropLast()), seconds.isFinite, seconds >= 0,
                    seconds < 1e12
                else {
                    throw error("'\(value)' is not a duration in seconds such as 20s or 1.5s")
                }
                return .duration(Int64((seconds * 1_000_000).rounded()))
            }
        }

        /// A quoted string (with `\"` and `\\` escapes) or a bare word.
        private mutating func operandText() throws(GoogleErrorResponse) -> String {
            skipSpaces()
            guard index < text.count else { throw error("a comparison has no value") }
            guard text[index] == "\"" else {
                let start = index
                while index < text.count, !text[index].isWhitespace, !"()\"".contains(text[index]) { index += 1 }
                guard index > start else { throw error("a comparison has no value") }
                return String(text[start..<index])
            }
            index += 1
            var value = ""
            while index < text.count, text[index] != "\"" {
                if text[index] == "\\", index + 1 < text.count { index += 1 }
                value.append(text[index])
                index += 1
            }
            guard index < text.count else { throw error("a quoted value is not closed") }
            index += 1
            return value
        }

        /// Consumes `word` when it stands alone: followed by a space, a parenthesis or the end.
        private mutating func keyword(_ word: String) -> Bool {
            skipSpaces()
            guard matches(word) else { return false }
            let end = index + word.count
            guard end == text.count || text[end].isWhitespace || text[end] == "(" else { return false }
            index = end
            return true
        }

        private func matches(_ prefix: String) -> Bool {
            text.count - index >= prefix.count && text[index..<index + prefix.count].elementsEqual(prefix)
        }

        private mutating func skipSpaces() {
            while index < text.count, text[index].isWhitespace { index += 1 }
        }
    }
}
