/// `pageSize` and `pageToken` of Google list methods, read as Google reads them: a size of 0 or
/// none means the default and one past the maximum is lowered to it, while a negative size, a
/// size that is not a number, or a token this server did not issue is INVALID_ARGUMENT.
enum ListPaging {
    static func pageSize(_ text: String?, default defaultSize: Int = 100, maximum: Int = 1_000) throws -> Int {
        guard let text, !text.isEmpty else { return defaultSize }
        guard let size = Int(text), size >= 0 else {
            throw GoogleErrorResponse.invalidArgument("pageSize must be a non-negative integer, not '\(text)'")
        }
        return size == 0 ? defaultSize : min(size, maximum)
    }

    /// Sluice's page tokens are non-negative integers (an offset or a log position).
    static func pageToken(_ text: String?) throws -> Int64? {
        guard let text, !text.isEmpty else { return nil }
        guard let token = Int64(text), token >= 0 else {
            throw GoogleErrorResponse.invalidArgument(
                "invalid page token '\(text)': pass back a nextPageToken unchanged")
        }
        return token
    }
}
