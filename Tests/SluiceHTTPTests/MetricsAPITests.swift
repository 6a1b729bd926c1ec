import CoreMetrics
import Foundation
import Hummingbird
import HummingbirdTesting
import SluiceCore
import SluiceEngine
import SluiceHTTP
import SluiceWorkflows
import Testing

@Suite("/metrics reports requests, executions and effects in Prometheus' text format")
struct MetricsAPITests {
    private func scrape(_ client: some TestClientProtocol) async throws -> String {
        try await client.execute(uri: "/metrics", method: .get) { response in
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            return String(buffer: response.body)
        }
    }

    @Test("requests are counted by route pattern, method and status, and timed")
    func requestsAreCountedByRouteAndStatus() async throws {
        let fixture = APIFixture()
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { _ in }
            try await client.execute(uri: APIFixture.base + "/workflows/nope", method: .get) { _ in }
            let text = try await scrape(client)
            #expect(text.contains(#"sluice_http_requests_total{route="/healthz",method="GET",status="200"} 1"#))
            #expect(
                text.contains(
                    #"sluice_http_requests_total{route="/v1/projects/{project}/locations/{location}/workflows/{workflow}",method="GET",status="404"} 1"#
                ))
            #expect(
                text.contains(
                    #"sluice_http_request_duration_seconds_count{route="/healthz",method="GET",status="200"} 1"#))
        }
    }

    @Test("an execution is counted when it starts and when it ends, by state, with its duration")
    func executionsAreCountedAndTimed() async throws {
        let fixture = APIFixture()
        try await fixture.catalog.deploy(name: "one", source: "main:\n  steps:\n    - r:\n        return: 1\n")
        let id = try ExecutionID("e1")
        try await fixture.runner.start(id, ExecutionStart(workflow: "one", revision: 1, argument: .null))
        _ = try await fixture.runner.run(id)
        try await fixture.app().test(.router) { client in
            let text = try await scrape(client)
            #expect(text.contains("sluice_executions_started_total 1"))
            #expect(text.contains(#"sluice_executions_finished_total{state="succeeded"} 1"#))
            #expect(text.contains(#"sluice_execution_duration_seconds_count{state="succeeded"} 1"#))
        }
    }

    @Test("each live effect is timed by function and outcome")
    func effectsAreTimed() async throws {
        let fixture = APIFixture()
        try await fixture.catalog.deploy(
            name: "calls",
            source: "main:\n  steps:\n    - c:\n        call: http.get\n        args:\n          url: http://x\n")
        let id = try ExecutionID("e2")
        try await fixture.runner.start(id, ExecutionStart(workflow: "calls", revision: 1, argument: .null))
        _ = try await fixture.runner.run(id)
        try await fixture.app().test(.router) { client in
            let text = try await scrape(client)
            #expect(text.contains(#"sluice_effect_duration_seconds_count{function="http.get",outcome="error"} 1"#))
            #expect(text.contains(#"sluice_executions_finished_total{state="failed"} 1"#))
        }
    }

    @Test("collectors registered with onScrape run before each scrape")
    func collectorsRunBeforeScrape() async throws {
        let fixture = APIFixture()
        fixture.metrics.onScrape { [factory = fixture.metrics.factory] in
            Gauge(label: "sluice_test_gauge", factory: factory).record(7)
        }
        try await fixture.app().test(.router) { client in
            let text = try await scrape(client)
            #expect(text.contains("sluice_test_gauge 7"))
        }
    }
}
