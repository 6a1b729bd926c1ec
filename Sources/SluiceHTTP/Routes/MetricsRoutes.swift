import Hummingbird
import NIOCore

/// `GET /metrics`: Prometheus' text format, version 0.0.4.
struct MetricsRoutes: Sendable {
    let metrics: SluiceMetrics

    func add(to routes: RoleRoutes) {
        routes(.viewer).get("/metrics") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: await metrics.scrape())))
        }
    }
}
