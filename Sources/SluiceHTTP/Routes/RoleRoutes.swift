import Hummingbird

/// One router group per role, so each route states the least role it needs where it is added:
/// `routes(.invoker).post(...)`.
struct RoleRoutes {
    private let groups: [Role: RouterGroup<SluiceRequestContext>]

    init(_ table: RouteTable<SluiceRequestContext>) {
        var groups: [Role: RouterGroup<SluiceRequestContext>] = [:]
        for role in Role.allCases { groups[role] = table.group().add(middleware: RoleMiddleware(role)) }
        self.groups = groups
    }

    func callAsFunction(_ role: Role) -> RouterGroup<SluiceRequestContext> {
        guard let group = groups[role] else { preconditionFailure("every role has a group") }
        return group
    }
}
