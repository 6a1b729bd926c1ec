// SluiceLogSQLite
