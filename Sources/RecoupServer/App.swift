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

    // MARK: Handlers

    func health() -> Response {
        let s = holder.state
        return Self.json(
            "{\"status\":\"ok\",\"store_commit\":\(s.commit),\"model_version\":" + JSONText.optional(s.modelVersion)
                + ",\"scores_as_of\":" + JSONText.optional(s.scores?.asOf) + ",\"scores\":\(s.scores?.count ?? 0)"
                + ",\"queues\":\(s.queueOrder.count)}\n")
    }

    func metricsResponse() -> Response {
        Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: metrics.render())))
    }

    func scoresOrFail(_ s: ServerState) throws -> ScoreIndex {
        guard let scores = s.scores else {
            throw APIError(.serviceUnavailable, "no_scores", "the store has no scores yet: run `recoup train` and `recoup score`")
        }
        return scores
    }

    func score(_ request: Request, _ context: AppContext) async throws -> Response {
        let state = holder.state
        let scores = try scoresOrFail(state)
        let id = Self.pathParameter(context, "account_id")
        guard let body = scores.json(id) else {
            throw APIError(.notFound, "unknown_account", "no score for account `\(id)`")
        }
        await auditRead(request, context, ids: [id], state: state)
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
    }

    func batch(_ request: Request, _ context: AppContext) async throws -> Response {
        let state = holder.state
        let scores = try scoresOrFail(state)
        let object = try await readJSONObject(request, allowed: ["account_ids"])
        guard case .array(let list)? = object["account_ids"] else {
            throw APIError.badRequest("invalid_field", "`account_ids` must be an array of account id strings")
        }
        guard list.count <= config.maxBatchIDs else {
            throw APIError(.contentTooLarge, "too_many_accounts", "at most \(config.maxBatchIDs) account ids per request; got \(list.count)")
        }
        var ids: [String] = [], seen = Set<String>()
        for v in list {
            guard case .string(let s) = v else { throw APIError.badRequest("invalid_field", "`account_ids` must hold only strings") }
            if seen.insert(s).inserted { ids.append(s) }
        }
        var found: [String] = [], missing: [String] = []
        var out = ByteBufferAllocator().buffer(capacity: 256 + ids.count * 600)
        out.writeString("{\"as_of\":" + JSONText.string(scores.asOf) + ",\"model_version\":" + JSONText.string(scores.modelVersion)
            + ",\"store_commit\":\(state.commit),\"scores\":[")
        for id in ids {
            if var j = scores.json(id) {
                if !found.isEmpty { out.writeInteger(UInt8(ascii: ",")) }
                out.writeBuffer(&j)
                found.append(id)
            } else {
                missing.append(id)
            }
        }
        out.writeString("],\"not_found\":[" + missing.map(JSONText.string).joined(separator: ",") + "]}\n")
        await auditRead(request, context, ids: found, state: state)
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: out))
    }

    func queueList() throws -> Response {
        let state = holder.state
        var items: [String] = []
        for name in state.queueOrder {
            let q = state.queues[name]!
            items.append("{\"name\":" + JSONText.string(name) + ",\"description\":" + JSONText.string(q.definition.description)
                + ",\"filter\":" + JSONText.string(q.definition.filter) + ",\"order\":" + JSONText.string(q.definition.order)
                + ",\"size\":\(q.count)}")
        }
        return Self.json("{\"store_commit\":\(state.commit),\"model_version\":" + JSONText.optional(state.modelVersion)
            + ",\"as_of\":" + JSONText.optional(state.scores?.asOf) + ",\"queues\":[" + items.joined(separator: ",") + "]}\n")
    }

    func queuePage(_ request: Request, _ context: AppContext) async throws -> Response {
        let state = holder.state
        let name = Self.pathParameter(context, "name")
        guard let q = state.queues[name] else {
            throw APIError.notFound("unknown_queue", "no queue `\(name)`; queues: " + state.queueOrder.joined(separator: ", "))
        }
        let params = request.uri.queryParameters
        for (k, _) in params where k != "limit" && k != "offset" {
            throw APIError.badRequest("unknown_parameter", "unknown parameter `\(k)` (limit, offset)")
        }
        let limit = try Self.intParameter(params.get("limit"), name: "limit", default: 100, range: 1...config.maxQueuePage)
        let offset = try Self.intParameter(params.get("offset"), name: "offset", default: 0, range: 0...Int(Int32.max))
        let start = min(offset, q.count), end = min(q.count, start + limit)
        var out = ByteBufferAllocator().buffer(capacity: 256 + (end - start) * 600)
        out.writeString("{\"queue\":" + JSONText.string(name) + ",\"as_of\":" + JSONText.optional(state.scores?.asOf)
            + ",\"model_version\":" + JSONText.optional(state.modelVersion) + ",\"store_commit\":\(state.commit)"
            + ",\"total\":\(q.count),\"offset\":\(offset),\"limit\":\(limit),\"accounts\":[")
        if let scores = state.scores { scores.write(q.spans[start..<end], into: &out) }
        out.writeString("]}\n")
        await auditRead(request, context, ids: Array(q.accountIDs[start..<end]), state: state)
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: out))
    }

    func query(_ request: Request, _ context: AppContext) async throws -> Response {
        let state = holder.state
        let object = try await readJSONObject(request, allowed: ["query", "params"])
        guard case .string(let text)? = object["query"] else {
            throw APIError.badRequest("invalid_field", "`query` must be a string")
        }
        guard text.utf8.count <= config.maxQueryLength else {
            throw APIError.badRequest("query_too_long", "the query has \(text.utf8.count) bytes; at most \(config.maxQueryLength)")
        }
        var parameters: [String: String] = [:]
        switch object["params"] {
        case nil, .null?: break
        case .object(let p)?:
            for (k, v) in p {
                guard let s = v.parameterText else {
                    throw APIError.badRequest("invalid_field", "parameter `\(k)` must be a string, number or boolean")
                }
                parameters[k.hasPrefix("$") ? String(k.dropFirst()) : k] = s
            }
        default: throw APIError.badRequest("invalid_field", "`params` must be an object of name: value")
        }
        let options = QueryOptions(timeLimit: config.queryTimeLimit, rowLimit: config.queryRowLimit, parameters: parameters)
        let cancel = CancelToken()
        let snapshot = state.snapshot
        let result: QueryResult
        do {
            result = try await offload(timeout: config.requestTimeout, onTimeout: { cancel.cancel() }) {
                try QueryEngine.run(text, snapshot: snapshot, options: options, cancel: cancel)
            }
        } catch let e as QueryError {
            throw APIError.from(queryError: e, text: text)
        }
        if let col = result.columns.firstIndex(where: { $0.name == "account_id" }) {
            var ids: [String] = []
            for row in result.rows { if case .text(let id) = row[col] { ids.append(id) } }
            await auditRead(request, context, ids: ids, state: state)
        }
        return Self.json(JSONText.queryResult(result))
    }

    func kpi(_ request: Request, _ context: AppContext) async throws -> Response {
        let state = holder.state
        let name = Self.pathParameter(context, "name")
        guard KPIRunner.names.contains(name) else {
            let hint = Suggest.closest(name, in: KPIRunner.names).map { "; did you mean `\($0)`?" } ?? ""
            throw APIError.notFound("unknown_kpi", "unknown KPI `\(name)`\(hint)")
        }
        let p = try KPIRequest.parameters(request.uri.queryParameters)
        let snapshot = state.snapshot
        let table = try await offload(timeout: config.requestTimeout, onTimeout: {}) {
            try KPIRunner.run(name, snapshot: snapshot, parameters: p)
        }
        return Self.json("{\"kpi\":" + JSONText.string(name) + ",\"store_commit\":\(state.commit),\"columns\":["
            + table.columns.map(JSONText.string).joined(separator: ",") + "],\"rows\":" + JSONText.rowsAsObjects(table) + "}\n")
    }

    func reportLatest(_ request: Request, _ context: AppContext) throws -> Response {
        let name = Self.pathParameter(context, "name")
        guard ReportLibrary.isName(name) else { throw APIError.notFound("unknown_report", "no report `\(name)`") }
        guard let run = reports.latestRun(name) else {
            if reports.isDefined(name) {
                throw APIError.notFound("report_not_run", "the report `\(name)` has not been run yet")
            }
            throw APIError.notFound("unknown_report", "no report `\(name)`; reports: " + reports.names().joined(separator: ", "))
        }
        let wantsJSON = request.headers[.accept]?.contains("application/json") == true
        let file = run.folder + (wantsJSON ? "/report.json" : "/report.html")
        guard let data = FileManager.default.contents(atPath: file) else {
            throw APIError.notFound("report_not_run", "the latest run of `\(name)` (\(run.asOf)) has no \(wantsJSON ? "report.json" : "report.html")")
        }
        return Response(
            status: .ok, headers: [.contentType: wantsJSON ? "application/json" : "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    // MARK: Helpers

    func auditRead(_ request: Request, _ context: AppContext, ids: [String], state: ServerState) async {
        await audit.append(AuditRecord(
            time: Date(), token: context.token?.name ?? "", tokenID: context.token?.id ?? "", method: request.method.rawValue,
            path: request.uri.description, status: 200, accountIDs: ids, asOf: state.scores?.asOf,
            modelVersion: state.modelVersion, storeCommit: state.commit))
    }

    /// A path parameter, percent-decoded (ids may hold any printable character).
    static func pathParameter(_ context: AppContext, _ name: String) -> String {
        let raw = context.parameters.get(name) ?? ""
        return raw.removingPercentEncoding ?? raw
    }

    static func json(_ text: String) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func intParameter(_ raw: String?, name: String, default d: Int, range: ClosedRange<Int>) throws -> Int {
        guard let raw else { return d }
        guard let v = Int(raw), range.contains(v) else {
            throw APIError.badRequest("invalid_parameter", "`\(name)` must be an integer in \(range.lowerBound)...\(range.upperBound); got `\(raw)`")
        }
        return v
    }

    /// The body as a JSON object with only the allowed members (400 otherwise; 413 past the body limit).
    func readJSONObject(_ request: Request, allowed: Set<String>) async throws -> [String: JSONValue] {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > config.maxBodyBytes {
            throw APIError(.contentTooLarge, "body_too_large", "the body has \(length) bytes; at most \(config.maxBodyBytes)")
        }
        // Read by hand so a chunked body without a length stops at the limit with our 413.
        var buffer = ByteBuffer()
        for try await chunk in request.body {
            guard buffer.readableBytes + chunk.readableBytes <= config.maxBodyBytes else {
                throw APIError(.contentTooLarge, "body_too_large", "the body is larger than \(config.maxBodyBytes) bytes")
            }
            var chunk = chunk
            buffer.writeBuffer(&chunk)
        }
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: Data(buffer: buffer))
        } catch {
            throw APIError.badRequest("malformed_json", "the body is not valid JSON")
        }
        guard case .object(let object) = value else { throw APIError.badRequest("malformed_json", "the body must be a JSON object") }
        for key in object.keys where !allowed.contains(key) {
            throw APIError.badRequest("unknown_field", "unknown field `\(key)`; this endpoint takes " + allowed.sorted().map { "`\($0)`" }.joined(separator: ", "))
        }
        return object
    }

    /// Runs blocking work (a query, a KPI) on a thread outside Swift's cooperative pool, answering 503
    /// when it outlasts `timeout` seconds (`onTimeout` may stop the work).
    func offload<T: Sendable>(timeout: Double, onTimeout: @escaping @Sendable () -> Void, _ work: @escaping @Sendable () throws -> T) async throws -> T {
        let once = ResumeOnce<T>()
        return try await withCheckedThrowingContinuation { (c: CheckedContinuation<T, any Error>) in
            once.set(c)
            DispatchQueue.global().async { once.resume(Result { try work() }) }
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
                if once.resume(.failure(APIError(.serviceUnavailable, "request_timeout", "the request took longer than \(timeout) s"))) {
                    onTimeout()
                }
            }
        }
    }

    static func blocking<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { c in DispatchQueue.global().async { c.resume(returning: work()) } }
    }
}

/// A continuation resumed by whichever of two racers comes first.
final class ResumeOnce<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, any Error>?
    private var result: Result<T, any Error>?

    func set(_ c: CheckedContinuation<T, any Error>) {
        lock.lock()
        if let result { lock.unlock(); c.resume(with: result); return }
        continuation = c
        lock.unlock()
    }

    /// True when this call resumed it.
    @discardableResult
    func resume(_ r: Result<T, any Error>) -> Bool {
        lock.lock()
        if result != nil { lock.unlock(); return false }
        result = r
        let c = continuation
        continuation = nil
        lock.unlock()
        c?.resume(with: r)
        return true
    }
}

/// Any JSON value, decoded strictly (for bodies whose members are checked by hand).
indirect enum JSONValue: Decodable, Sendable {
    case null, bool(Bool), int(Int64), double(Double), string(String), array([JSONValue]), object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int64.self) { self = .int(i) }
        else if let d = try? c.decode(Double.self) { self = .double(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    /// A query parameter's text: strings as they are, numbers and booleans as written.
    var parameterText: String? {
        switch self {
        case .string(let s): s
        case .int(let i): String(i)
        case .double(let d): String(d)
        case .bool(let b): b ? "true" : "false"
        default: nil
        }
    }
}

/// `GET /v1/kpi/{name}` parameters, checked like `recoup kpi` checks its options.
enum KPIRequest {
    static let names: Set<String> = ["as_of", "from", "to", "by", "grace", "month", "summary"]

    static func parameters(_ q: Hummingbird.Parameters) throws -> KPIParameters {
        for (k, _) in q where !names.contains(String(k)) {
            throw APIError.badRequest("unknown_parameter", "unknown parameter `\(k)`; KPIs take " + names.sorted().joined(separator: ", "))
        }
        func date(_ name: String) throws -> Int32? {
            guard let raw = q.get(name) else { return nil }
            guard let d = CivilDate.parse(raw) else {
                throw APIError.badRequest("invalid_parameter", "`\(name)` \(raw): expected a real date YYYY-MM-DD")
            }
            return d
        }
        var p = KPIParameters()
        p.asOf = try date("as_of")
        p.from = try date("from")
        p.to = try date("to")
        if let m = q.get("month") {
            guard let d = CivilDate.parse(m + "-01") else { throw APIError.badRequest("invalid_parameter", "`month` \(m): expected YYYY-MM") }
            p.month = d
        }
        if let g = q.get("grace") {
            guard let n = Int(g), (0...365).contains(n) else { throw APIError.badRequest("invalid_parameter", "`grace` \(g): expected days 0...365") }
            p.grace = n
        }
        if let s = q.get("summary") {
            guard s == "true" || s == "false" else { throw APIError.badRequest("invalid_parameter", "`summary` must be true or false") }
            p.summary = s == "true"
        }
        p.by = try (q.get("by") ?? "").split(separator: ",").map { raw in
            let d = raw.trimmingCharacters(in: .whitespaces)
            guard let dim = KPIDimension(rawValue: d) else {
                let hint = Suggest.closest(d, in: KPIDimension.allCases.map(\.rawValue)).map { "; did you mean `\($0)`?" } ?? ""
                throw APIError.badRequest("invalid_parameter", "unknown dimension `\(d)`\(hint); dimensions: "
                    + KPIDimension.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return dim
        }
        return p
    }
}
