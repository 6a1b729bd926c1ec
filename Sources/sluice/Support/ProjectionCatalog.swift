import SluiceLog

/// Every projection the `sluice` binary registers on the log. Later targets (resources, engine)
/// add theirs here; the log catches a newly added one up from the start when it opens.
enum ProjectionCatalog {
    static let all: [any Projection] = [EventTypeStatsProjection()]
}
