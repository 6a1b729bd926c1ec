import SluiceAdapters
import SluiceAdaptersLocal
import SluiceResources

/// The runtimes `sluice serve` gives command and HTTP functions.
enum LocalFunctionRuntimes {
    @Sendable static func make(_ target: FunctionTarget) -> (any FunctionRuntime)? {
        switch target {
        case .command(let arguments): CommandFunctionRuntime(command: arguments)
        case .http(let url): HTTPFunctionRuntime(url: url)
        case .startWorkflow: nil
        }
    }
}
