import Foundation
import OrderedCollections
import SluiceWorkflows

/// Performs effects for real: the wall clock, sleeps, UUIDs, log lines on stderr, and HTTP.
struct LiveEffectHost: Sendable {
    func perform(_ request: EffectRequest) async -> Result<WorkflowValue, WorkflowError> {
        let args = request.arguments
        do {
            switch request.function {
            case "sys.now":
                return .success(.double(Date().timeIntervalSince1970))
            case "sys.sleep":
                guard let seconds = args["seconds"]?.numberValue, seconds >= 0 else {
                    return .failure(.valueError("sys.sleep: seconds must be a non-negative number"))
                }
                try await Task.sleep(for: .seconds(seconds))
                return .success(.null)
            case "sys.sleep_until":
                guard let time = args["time"]?.stringValue else {
                    return .failure(.typeError("sys.sleep_until: time must be an RFC 3339 string"))
                }
                let target = try WorkflowTime.parse(time)
                let delay = target - Date().timeIntervalSince1970
                if delay > 0 { try await Task.sleep(for: .seconds(delay)) }
                return .success(.null)
            case "sys.log":
                let payload = args["text"] ?? args["json"] ?? args["data"] ?? .null
                let severity = args["severity"]?.stringValue ?? "DEFAULT"
                let text = payload.stringValue ?? ((try? payload.jsonString()) ?? "")
                FileHandle.standardError.write(Data("[\(severity)] \(text)\n".utf8))
                return .success(.null)
            case "uuid.generate":
                return .success(.string(UUID().uuidString.lowercased()))
            case "events.create_callback_endpoint":
                let method = args["http_callback_method"]?.stringValue ?? "POST"
                return .success(
                    .object([
                        "url": .string("http://localhost/callbacks/\(UUID().uuidString.lowercased())"),
                        "method": .string(method),
                    ]))
            case "events.await_callback":
                // `workflows run` has no callback server: waiting can only end in the documented timeout.
                let timeout = args["timeout"]?.numberValue ?? 43_200
                try await Task.sleep(for: .seconds(timeout))
                return .failure(.timeout("Timeout waiting for a callback after \(timeout) seconds"))
            case let name where name.hasPrefix("http."):
                return await HTTPEffect.perform(function: name, arguments: args)
            default:
                return .failure(
                    .systemError(
                        "\(request.function) is not available in `sluice workflows run` (no connector routing)"))
            }
        } catch let error as WorkflowError {
            return .failure(error)
        } catch {
            return .failure(.systemError("effect cancelled"))
        }
    }
}
