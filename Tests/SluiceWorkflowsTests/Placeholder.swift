// SluiceWorkflowsTests
