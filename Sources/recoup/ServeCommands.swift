import ArgumentParser
import Foundation
import Logging
import RecoupKPI
import RecoupServer
import RecoupStore

/// `recoup serve`: the HTTP API of API.md.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve scores, queues, queries, KPIs and reports over HTTP (API.md; docs/API.md).",
        discussion:
            "Stops gracefully on SIGTERM or SIGINT. New commits, score files and tokens are picked up without a restart."
    )

    @OptionGroup var storeOptions: StoreOptions
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080
    @Option(help: "Queue definitions (default: $RECOUP_QUEUES, else ./queues.yaml).") var queues: String?
    @Option(help: "Report definitions folder (default: $RECOUP_REPORTS, else ./reports).") var reports: String?
    @Option(name: .customLong("query-time-limit"), help: "Seconds a query may run.") var queryTimeLimit: Double = 10
    @Option(name: .customLong("query-max-rows"), help: "Most rows a query may return.") var queryMaxRows = 100_000
    @Option(name: .customLong("request-timeout"), help: "Seconds a request may take.") var requestTimeout: Double = 30
    @Option(name: .customLong("max-body"), help: "Largest request body in bytes.") var maxBody = 1 << 20
    @Option(name: .customLong("poll-interval"), help: "Seconds between looks for new commits, scores and tokens.")
    var pollInterval: Double = 1
    @Option(name: .customLong("metrics-scope"), help: "Scope /metrics needs (default: none).") var metricsScope: String?
    @Option(name: .customLong("log-format"), help: "json or text.") var logFormat = "json"
    @Option(
        name: .customLong("audit-sync"),
        help: "written: answer once the audit line is written, fsync right behind; synced: answer after its fsync.")
    var auditSync = "written"
    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error, critical.")
    var logLevel = "info"

    func run() throws {
        try runReportingErrors {
            // A long-lived process: decoded columns stay in memory for the next question.
            BlockCache.shared.budget = BlockCache.defaultBudget
            guard let level = Logger.Level(rawValue: logLevel) else {
                throw RecoupError(.usage, "--log-level \(logLevel): unknown level")
            }
            guard logFormat == "json" || logFormat == "text" else {
                throw RecoupError(.usage, "--log-format \(logFormat): expected json or text")
            }
            let json = logFormat == "json"
            LoggingSystem.bootstrap { label in
                var h: any LogHandler =
                    json ? JSONLogHandler(label: label) : StreamLogHandler.standardError(label: label)
                h.logLevel = level
                return h
            }
            var config = ServerConfiguration(
                store: storeOptions.path,
                reportsDirectory: reports ?? ProcessInfo.processInfo.environment["RECOUP_REPORTS"] ?? "./reports")
            config.host = host
            config.port = port
            config.queryTimeLimit = queryTimeLimit
            config.queryRowLimit = queryMaxRows
            config.requestTimeout = requestTimeout
            config.maxBodyBytes = maxBody
            config.pollInterval = pollInterval
            guard let durability = AuditDurability(rawValue: auditSync) else {
                throw RecoupError(.usage, "--audit-sync \(auditSync): expected written or synced")
            }
            config.auditDurability = durability
            if let m = metricsScope {
                guard let s = Scope(rawValue: m) else {
                    throw RecoupError(.usage, "--metrics-scope \(m): unknown scope")
                }
                config.metricsScope = s
            }
            let queuesPath = QueueFile.resolvePath(queues)
            let definitions = try QueueFile.load(path: queuesPath, required: queues != nil)
            _ = try Store.open(config.store)
            let server = try APIServer(config: config, queues: definitions)
            let done = DispatchSemaphore(value: 0)
            let failure = ErrorBox()
            Task {
                do { try await server.run() } catch { failure.error = error }
                done.signal()
            }
            done.wait()
            if let e = failure.error { throw RecoupError(.unavailable, "the server stopped: \(e)") }
        }
    }
}

final class ErrorBox: @unchecked Sendable {
    var error: (any Error)?
}

/// `recoup token create|list|revoke`.
struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "API tokens (API.md): shown once at creation, stored only salted and hashed.",
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a token and print it (once).")
        @OptionGroup var storeOptions: StoreOptions
        @Option(help: "Who or what uses the token (unique among live tokens).") var name: String
        @Option(
            name: .customLong("scope"), parsing: .upToNextOption,
            help: "scores:read, query:run, reports:read or admin (repeatable).") var scopes: [String] = []

        func run() throws {
            try runReportingErrors {
                _ = try Store.open(storeOptions.path)
                let (record, text) = try TokenStore.create(store: storeOptions.path, name: name, scopes: scopes)
                FileHandle.standardError.write(
                    Data(
                        "created token \(record.id) `\(record.name)` with \(record.scopes.joined(separator: ", ")); it is shown only now:\n"
                            .utf8))
                print(text)
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the tokens (never their secrets).")
        @OptionGroup var storeOptions: StoreOptions
        @Option(help: "table, csv or json.") var format: OutputFormat?

        func run() throws {
            try runReportingErrors {
                let tokens = try TokenStore.load(store: storeOptions.path)
                let table = textTable(
                    columns: ["id", "name", "scopes", "created", "revoked"],
                    rows: tokens.map {
                        [$0.id, $0.name, $0.scopes.joined(separator: " "), $0.created, $0.revoked ?? ""]
                    })
                print(table.render(KPIFormat(rawValue: OutputFormat.resolve(format).rawValue)!), terminator: "")
            }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a token by name or id; a running server refuses it within a second.")
        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: "The token's name or id.") var token: String

        func run() throws {
            try runReportingErrors {
                let t = try TokenStore.revoke(store: storeOptions.path, nameOrID: token)
                print("revoked \(t.id) `\(t.name)`")
            }
        }
    }
}

/// `recoup audit`: the audit log of account-level reads, filtered.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Read the audit log of requests that returned account-level data.",
        discussion: "Lines that kept only a count and digest of their ids (more than 100) do not match --account.")

    @OptionGroup var storeOptions: StoreOptions
    @Option(help: "Only records at or after this date or time (YYYY-MM-DD or an ISO 8601 UTC time).") var since: String?
    @Option(help: "Only this token (name or id).") var token: String?
    @Option(help: "Only records that returned this account.") var account: String?
    @Option(help: "table, csv or json (json: the log's own lines).") var format: OutputFormat?

    func run() throws {
        try runReportingErrors {
            if let since, CivilDate.parse(String(since.prefix(10))) == nil {
                throw RecoupError(.usage, "--since \(since): expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ")
            }
            let entries = try AuditReader.read(store: storeOptions.path, since: since, token: token, account: account)
            let f = OutputFormat.resolve(format)
            if f == .json {
                for e in entries { print(e.line) }
                return
            }
            let table = textTable(
                columns: [
                    "time", "token", "method", "path", "status", "count", "as_of", "model_version", "store_commit",
                ],
                rows: entries.map { e in
                    let x = e.entry
                    return [
                        x.time, x.token, x.method, x.path, x.status.map(String.init) ?? "", String(x.count),
                        x.as_of ?? "",
                        x.model_version ?? "", x.store_commit.map(String.init) ?? "",
                    ]
                })
            print(table.render(KPIFormat(rawValue: f.rawValue)!), terminator: "")
        }
    }
}

/// A table of texts, printed like the KPI tables.
func textTable(columns: [String], rows: [[String]]) -> KPITable {
    KPITable(columns: columns, rows: rows.map { $0.map { KPIValue.text($0) } })
}
