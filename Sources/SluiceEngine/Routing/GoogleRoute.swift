import Foundation
import OrderedCollections
public import SluiceWorkflows
import Synchronization

/// Which Sluice resource a Google API call in a workflow addresses.
public enum GoogleRoute: Sendable, Hashable {
    /// `https://REGION-aiplatform.googleapis.com/v1/projects/P/locations/L/endpoints/E:predict`
    /// (or `.../models/M:predict`), or the `googleapis.aiplatform.v1...endpoints.predict` connector.
    case predict(model: String, body: WorkflowValue)
    /// `googleapis.workflowexecutions.v1.projects.locations.workflows.executions.run`: start a
    /// child execution and wait for its result.
    case runExecution(workflow: String, argument: WorkflowValue)
    /// `...executions.create`: start a child execution and return its resource at once.
    case createExecution(workflow: String, argument: WorkflowValue)
    /// `googleapis.pubsub.v1.projects.topics.publish`.
    case publish(topic: String, messages: [WorkflowValue])
    /// `googleapis.storage.v1.objects.get|insert|list|delete`: `method` is the last name part.
    case storage(method: String, arguments: WorkflowValue)
    /// Anything else on a Google API: refused with a message that names it.
    case unrouted(String)
    /// Not a Google API call at all.
    case notGoogle

    /// Classifies one effect request.
    public static func classify(_ request: EffectRequest) -> GoogleRoute {
        if request.function.hasPrefix("http.") {
            guard let url = request.arguments["url"]?.stringValue else { return .notGoogle }
            switch HTTPTarget.of(url) {
            case .notGoogle: return .notGoogle
            case .predict(let model): return .predict(model: model, body: request.arguments["body"] ?? .null)
            case .unrouted: return .unrouted(url)
            }
        }
        guard request.function.hasPrefix("googleapis.") else { return .notGoogle }
        let arguments = request.arguments
        switch request.function {
        case let name where name.hasPrefix("googleapis.aiplatform.") && name.hasSuffix(".endpoints.predict"):
            let endpoint = arguments["endpoint"]?.stringValue ?? ""
            return .predict(model: lastSegment(endpoint), body: arguments["body"] ?? .null)
        case let name where name.hasPrefix("googleapis.workflowexecutions.") && name.hasSuffix(".executions.run"):
            return .runExecution(
                workflow: lastSegment(arguments["workflow_id"]?.stringValue ?? arguments["name"]?.stringValue ?? ""),
                argument: arguments["argument"] ?? .null)
        case let name where name.hasPrefix("googleapis.workflowexecutions.") && name.hasSuffix(".executions.create"):
            let parent = arguments["parent"]?.stringValue ?? ""
            let body = arguments["body"] ?? .null
            return .createExecution(workflow: lastSegment(parent), argument: argumentOfBody(body))
        case let name where name.hasPrefix("googleapis.pubsub.") && name.hasSuffix(".topics.publish"):
            let topic = lastSegment(arguments["topic"]?.stringValue ?? "")
            return .publish(topic: topic, messages: arguments["body"]?["messages"]?.listValue ?? [])
        case let name where name.hasPrefix("googleapis.storage.v1.objects."):
            let method = String(name.dropFirst("googleapis.storage.v1.objects.".count))
            guard StorageConnector.methods.contains(method) else { return .unrouted(name) }
            return .storage(method: method, arguments: .map(arguments))
        default:
            return .unrouted(request.function)
        }
    }

    /// Where an `http.*` call's URL goes, remembered per URL: a workflow calls the same few URLs
    /// over and over, each call is classified up to three times (replay safety, planning,
    /// performing), and parsing it with `URLComponents` each time cost about 2% of the pipeline
    /// benchmark's CPU.
    enum HTTPTarget: Sendable {
        case notGoogle
        case predict(model: String)
        case unrouted

        /// URLs remembered at most; past it the memo starts over.
        static let memoLimit = 1_024
        private static let memo = Mutex<[String: HTTPTarget]>([:])

        static func of(_ url: String) -> HTTPTarget {
            if let known = memo.withLock({ $0[url] }) { return known }
            let target = classify(url)
            memo.withLock { memo in
                if memo.count >= memoLimit { memo.removeAll(keepingCapacity: true) }
                memo[url] = target
            }
            return target
        }

        private static func classify(_ url: String) -> HTTPTarget {
            guard let components = URLComponents(string: url), let host = components.host,
                host == "googleapis.com" || host.hasSuffix(".googleapis.com")
            else { return .notGoogle }
            if host.hasSuffix("-aiplatform.googleapis.com") || host == "aiplatform.googleapis.com",
                let model = predictTarget(path: components.path)
            {
                return .predict(model: model)
            }
            return .unrouted
        }
    }

    /// The endpoint or model id in `/v1/projects/P/locations/L/(endpoints|models)/ID:predict`.
    static func predictTarget(path: String) -> String? {
        // Substrings, not Strings: every prediction of every execution passes here, up to three times.
        let parts = path.split(separator: "/", maxSplits: 7)
        guard parts.count == 7, parts[0] == "v1" || parts[0] == "v1beta1", parts[1] == "projects",
            parts[3] == "locations",
            parts[5] == "endpoints" || parts[5] == "models", parts[6].hasSuffix(":predict")
        else { return nil }
        let id = parts[6].dropLast(":predict".count)
        return id.isEmpty ? nil : String(id)
    }

    private static func lastSegment(_ name: String) -> String {
        String(name.split(separator: "/").last ?? "")
    }

    /// Executions.create takes `{argument: "JSON text"}`; a map is accepted as the argument itself.
    private static func argumentOfBody(_ body: WorkflowValue) -> WorkflowValue {
        guard let argument = body["argument"] else { return .null }
        if let text = argument.stringValue, let parsed = try? JSONReader.parse(text) { return parsed }
        return argument
    }
}
