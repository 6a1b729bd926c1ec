// SluiceLogSQLiteTests
