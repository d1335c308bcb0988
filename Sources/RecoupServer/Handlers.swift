import Foundation
import Hummingbird
import RecoupKPI
import RecoupQuery
import RecoupStore

/// The endpoints of API.md; each takes the current state once and reads only it.
extension APIServer {
    func health() -> Response {
        let s = holder.state
        return Self.json(
            "{\"status\":\"ok\",\"store_commit\":\(s.commit),\"model_version\":" + JSON.optional(s.modelVersion)
                + ",\"scores_as_of\":" + JSON.optional(s.scores?.asOf) + ",\"scores\":\(s.scores?.count ?? 0)"
                + ",\"queues\":\(s.queueOrder.count)}\n")
    }

    func metricsResponse() -> Response {
        Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: metrics.render(state: holder.state))))
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
        out.writeString("{\"as_of\":" + JSON.string(scores.asOf) + ",\"model_version\":" + JSON.string(scores.modelVersion)
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
        out.writeString("],\"not_found\":[" + missing.map(JSON.string).joined(separator: ",") + "]}\n")
        await auditRead(request, context, ids: found, state: state)
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: out))
    }

    func queueList() throws -> Response {
        let state = holder.state
        var items: [String] = []
        for name in state.queueOrder {
            let q = state.queues[name]!
            items.append("{\"name\":" + JSON.string(name) + ",\"description\":" + JSON.string(q.definition.description)
                + ",\"filter\":" + JSON.string(q.definition.filter) + ",\"order\":" + JSON.string(q.definition.order)
                + ",\"size\":\(q.count)}")
        }
        return Self.json("{\"store_commit\":\(state.commit),\"model_version\":" + JSON.optional(state.modelVersion)
            + ",\"as_of\":" + JSON.optional(state.scores?.asOf) + ",\"queues\":[" + items.joined(separator: ",") + "]}\n")
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
        out.writeString("{\"queue\":" + JSON.string(name) + ",\"as_of\":" + JSON.optional(state.scores?.asOf)
            + ",\"model_version\":" + JSON.optional(state.modelVersion) + ",\"store_commit\":\(state.commit)"
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
        return Self.json(result.json(rowPerLine: false))
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
        return Self.json("{\"kpi\":" + JSON.string(name) + ",\"store_commit\":\(state.commit),\"columns\":["
            + table.columns.map(JSON.string).joined(separator: ",") + "],\"rows\":" + table.json(compact: true) + "}\n")
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

    func auditRead(_ request: Request, _ context: AppContext, ids: [String], state: ServerState) async {
        await audit.append(AuditRecord(
            time: Date(), token: context.token?.name ?? "", tokenID: context.token?.id ?? "", method: request.method.rawValue,
            path: request.uri.description, status: 200, accountIDs: ids, asOf: state.scores?.asOf,
            modelVersion: state.modelVersion, storeCommit: state.commit))
    }

    /// A path parameter, percent-decoded (ids may hold any printable character).
    static func pathParameter(_ context: AppContext, _ name: String) -> String {
        let raw = context.parameters.get(name) ?? ""
        guard raw.utf8.contains(UInt8(ascii: "%")) else { return raw }
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
}
