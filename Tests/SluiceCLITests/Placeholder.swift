// SluiceCLITests
