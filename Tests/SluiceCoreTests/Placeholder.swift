// SluiceCoreTests
