import Hummingbird

/// The request context: Hummingbird's core plus the token that authorized the request.
public struct AppContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var token: StoredToken?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    /// Bodies are read by the handlers with their own limit; this one covers anything decoded otherwise.
    public var maxUploadSize: Int { 1 << 20 }
}

/// `Authorization: Bearer TOKEN` with the scope the routes behind it need: 401 without a token or with
/// one that is unknown or revoked, 403 when the token lacks the scope (`admin` has every scope).
struct RequireScope: RouterMiddleware {
    typealias Context = AppContext
    let scope: Scope
    let holder: StateHolder

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            throw APIError(.unauthorized, "unauthorized", "an `Authorization: Bearer TOKEN` header is needed")
        }
        let prefix = "Bearer "
        guard header.count > prefix.count, header.prefix(prefix.count).lowercased() == "bearer " else {
            throw APIError(.unauthorized, "unauthorized", "the Authorization header must be `Bearer TOKEN`")
        }
        let text = header.dropFirst(prefix.count).drop(while: { $0 == " " })
        guard let token = holder.tokens.verify(text) else {
            throw APIError(.unauthorized, "unauthorized", "unknown or revoked token")
        }
        guard token.allows(scope) else {
            throw APIError(.forbidden, "forbidden", "the token `\(token.name)` lacks the scope `\(scope.rawValue)`")
        }
        var context = context
        context.token = token
        return try await next(request, context)
    }
}
