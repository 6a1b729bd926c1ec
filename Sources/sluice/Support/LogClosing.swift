import SluiceLogSQLite

extension SQLiteEventLog {
    /// Runs `body`, then closes the log whether or not it threw, so a CLI command never leaves
    /// the writer running.
    func closing<T>(after body: () async throws -> T) async throws -> T {
        do {
            let value = try await body()
            await close()
            return value
        } catch {
            await close()
            throw error
        }
    }
}
