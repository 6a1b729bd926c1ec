public import SluiceCore

extension ResourceStreams {
    /// `function/NAME`: the function's configuration and its delivery events.
    public static func function(_ name: FunctionName) -> StreamName {
        StreamName(unchecked: "function/\(name.rawValue)")
    }
}
