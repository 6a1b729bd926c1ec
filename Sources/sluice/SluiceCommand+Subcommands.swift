import ArgumentParser

extension SluiceCommand {
    /// Every top-level subcommand, in the order `--help` lists them.
    static let allSubcommands: [any ParsableCommand.Type] = [
        ServeCommand.self,
        MigrateCommand.self,
        EventsCommand.self,
        WorkflowsCommand.self,
        ExecutionsCommand.self,
        BucketsCommand.self,
        TopicsCommand.self,
        SubscriptionsCommand.self,
        FunctionsCommand.self,
        ApplyCommand.self,
        DestroyCommand.self,
        TraceCommand.self,
        UploadCommand.self,
        PublishCommand.self,
        TokensCommand.self,
        AdminCommand.self,
        BenchCommand.self,
    ]
}
