// SluiceLogTests
