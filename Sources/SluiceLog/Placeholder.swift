// SluiceLog
