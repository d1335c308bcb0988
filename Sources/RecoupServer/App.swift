import Foundation
import Hummingbird
import Logging
import RecoupKPI
import RecoupQuery
import RecoupStore

/// What `recoup serve` is configured with.
public struct ServerConfiguration: Sendable {
    public var store: String
    public var reportsDirectory: String
    public var host = "127.0.0.1"
    public var port = 8080
    /// Largest request body; more is a 413.
    public var maxBodyBytes = 1 << 20
    /// Most ids in one `POST /v1/scores:batch`.
    public var maxBatchIDs = 10_000
    /// Largest `limit` of a queue page.
    public var maxQueuePage = 1_000
    public var queryTimeLimit: Double = 10
    public var queryRowLimit = 100_000
    /// Longest query text, in bytes.
    public var maxQueryLength = 64 * 1024
    /// Seconds a KPI, query or batch may take before the request is answered 503.
    public var requestTimeout: Double = 30
    /// Seconds between looks at the store for a new commit, score file or token file.
    public var pollInterval: Double = 1
    /// Scope `/metrics` needs; nil: none.
    public var metricsScope: Scope?
    /// Whether responses wait for the fsync of their audit line, or only for its write.
    public var auditDurability: AuditDurability = .written
    /// Seconds an idle keep-alive connection stays open.
    public var idleTimeout: Int64 = 60

    public init(store: String, reportsDirectory: String) {
        self.store = store
        self.reportsDirectory = reportsDirectory
    }
}

/// The HTTP API of API.md over one store.
public final class APIServer: Sendable {
    public let config: ServerConfiguration
    public let holder: StateHolder
    public let audit: AuditLog
    public let metrics: ServerMetrics
    public let logger: Logger
    let reports: ReportLibrary

    public init(config: ServerConfiguration, queues: [QueueDefinition], logger: Logger = Logger(label: "recoup.serve")) throws {
        self.config = config
        self.logger = logger
        holder = try StateHolder(store: config.store, queues: queues, logger: logger)
        audit = try AuditLog(store: config.store, durability: config.auditDurability)
        metrics = ServerMetrics()
        reports = ReportLibrary(directory: config.reportsDirectory, store: config.store)
    }

    /// Every route, as `METHOD path` with `{parameters}` (what the OpenAPI document must list).
    public func makeRouter() -> Router<AppContext> {
        let router = Router(context: AppContext.self)
        router.add(middleware: MetricsRecorder(metrics: metrics))
        router.add(middleware: JSONErrorMiddleware())

        router.get("/v1/health") { _, _ in self.health() }
        router.get("/openapi.yaml") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml"], body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.yaml)))
        }
        if let scope = config.metricsScope {
            router.group().add(middleware: RequireScope(scope: scope, holder: holder)).get("/metrics") { _, _ in self.metricsResponse() }
        } else {
            router.get("/metrics") { _, _ in self.metricsResponse() }
        }

        let scores = router.group().add(middleware: RequireScope(scope: .scoresRead, holder: holder))
        scores.get("/v1/scores/{account_id}") { request, context in try await self.score(request, context) }
        scores.post("/v1/scores:batch") { request, context in try await self.batch(request, context) }
        scores.get("/v1/queues") { _, _ in try self.queueList() }
        scores.get("/v1/queues/{name}") { request, context in try await self.queuePage(request, context) }

        let query = router.group().add(middleware: RequireScope(scope: .queryRun, holder: holder))
        query.post("/v1/query") { request, context in try await self.query(request, context) }

        let reports = router.group().add(middleware: RequireScope(scope: .reportsRead, holder: holder))
        reports.get("/v1/kpi/{name}") { request, context in try await self.kpi(request, context) }
        reports.get("/v1/reports") { _, _ in Self.json(self.reports.listJSON()) }
        reports.get("/v1/reports/{name}/latest") { request, context in try self.reportLatest(request, context) }
        return router
    }

    public func makeApplication() -> Application<RouterResponder<AppContext>> {
        Application(
            router: makeRouter(),
            server: .http1(configuration: .init(idleTimeout: .seconds(config.idleTimeout))),
            configuration: .init(address: .hostname(config.host, port: config.port), serverName: "recoup"),
            logger: logger)
    }

    /// Looks for new commits, scores and tokens every `pollInterval` seconds until cancelled.
    public func startPolling() -> Task<Void, Never> {
        let holder = holder, interval = config.pollInterval
        return Task.detached {
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: UInt64(interval * 1e9))
                if Task.isCancelled { break }
                _ = await Self.blocking { holder.refresh() }
            }
        }
    }

    /// Serves until SIGTERM or SIGINT, then finishes the requests under way and returns.
    public func run() async throws {
        let poller = startPolling()
        defer {
            poller.cancel()
            audit.stop()
        }
        logger.info("serving", metadata: [
            "address": "\(config.host):\(config.port)", "store": "\(config.store)",
            "store_commit": "\(holder.state.commit)", "model_version": "\(holder.state.modelVersion ?? "none")",
        ])
        try await makeApplication().runService()
        logger.info("stopped")
    }
}
