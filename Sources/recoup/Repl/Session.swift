import Foundation
import RecoupKPI
import RecoupQuery
import RecoupStore

/// One REPL session: runs statements and meta-commands, prints results and errors, keeps settings.
final class ReplSession {
    let storePath: String
    let commit: Int?
    /// Prompts, line editing, Ctrl-C cancels a running query.
    let interactive: Bool
    var format: OutputFormat
    var timer: Bool
    var options = QueryOptions()
    /// Statements that failed (for the exit code when input is piped).
    private(set) var failures = 0
    private var fixedSnapshot: Snapshot?

    init(storePath: String, commit: Int?, interactive: Bool, format: OutputFormat, timer: Bool) {
        self.storePath = storePath
        self.commit = commit
        self.interactive = interactive
        self.format = format
        self.timer = timer
    }

    /// The store as given by `--commit`, else its latest commit (looked up again for every query,
    /// so an import during the session is seen).
    func snapshot() throws -> Snapshot {
        if let fixedSnapshot { return fixedSnapshot }
        let s = try Store.open(storePath, commit: commit)
        if commit != nil { fixedSnapshot = s }
        return s
    }

    // MARK: output

    func out(_ s: String) {
        fputs(s, stdout)
        fflush(stdout)
    }

    func err(_ s: String) {
        fflush(stdout)
        fputs(s, stderr)
        fflush(stderr)
    }

    // MARK: statements

    /// Runs one query; `line` is where it starts in `source` (errors then point at that line).
    func runQuery(_ text: String, source: String = "query", line: Int = 1) {
        // Leading newlines keep the engine's line numbers equal to the file's.
        let padded = String(repeating: "\n", count: max(0, line - 1)) + text
        let started = DispatchTime.now()
        let outcome: Result<QueryResult, Error>
        do {
            let snap = try snapshot()
            outcome =
                interactive
                ? runCancellable(padded, snap)
                : Result { try QueryEngine.run(padded, snapshot: snap, options: options) }
        } catch {
            outcome = .failure(error)
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        switch outcome {
        case .success(let r):
            let width = format == .table && isatty(STDOUT_FILENO) != 0 ? ResultRendering.terminalWidth() : nil
            out(ResultRendering.render(r, format: format, width: width, footer: format == .table))
            if timer { out(String(format: "Time: %.3f s\n", seconds)) }
        case .failure(let e as QueryError) where e.code == "RQ900":
            failures += 1
            err(interactive ? "\ncancelled\n" : "cancelled\n")
        case .failure(let e as QueryError):
            failures += 1
            err(e.render(padded, name: source))
        case .failure(let e as RecoupError):
            failures += 1
            err("error: " + e.message + "\n" + (e.details.map { $0 + "\n" } ?? ""))
        case .failure(let e):
            failures += 1
            err("error: \(e)\n")
        }
    }

    /// The query on its own thread; Ctrl-C meanwhile cancels it through the token.
    private func runCancellable(_ text: String, _ snap: Snapshot) -> Result<QueryResult, Error> {
        final class Box: @unchecked Sendable { var result: Result<QueryResult, Error>? }
        let box = Box()
        let token = CancelToken()
        let done = DispatchSemaphore(value: 0)
        let options = self.options
        Interrupt.clear()
        let thread = Thread {
            var set = sigset_t()
            sigemptyset(&set)
            sigaddset(&set, SIGINT)
            pthread_sigmask(SIG_BLOCK, &set, nil)
            box.result = Result { try QueryEngine.run(text, snapshot: snap, options: options, cancel: token) }
            done.signal()
        }
        thread.stackSize = 16 << 20
        thread.start()
        while done.wait(timeout: .now() + .milliseconds(40)) == .timedOut {
            if Interrupt.pending {
                Interrupt.clear()
                if token.isCancelled { err("(still stopping; the query checks for Ctrl-C between steps)\n") }
                token.cancel()
            }
        }
        Interrupt.clear()
        if token.isCancelled, case .success = box.result! {
            return .failure(QueryError("RQ900", "cancelled"))
        }
        return box.result!
    }

    // MARK: meta-commands

    enum MetaOutcome { case proceed, quit }

    func runMeta(_ line: String, depth: Int = 0) -> MetaOutcome {
        let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard let cmd = parts.first else { return .proceed }
        let args = Array(parts.dropFirst())
        switch cmd {
        case ".quit", ".exit", ".q":
            return .quit
        case ".help", ".h":
            out(Self.help)
        case ".tables":
            tables()
        case ".schema":
            schema(args.isEmpty ? QueryCatalog.tables : args)
        case ".timer":
            switch args.first?.lowercased() {
            case "on"?: timer = true
            case "off"?: timer = false
            case nil: out("timer is \(timer ? "on" : "off")\n")
            default: usage(".timer on|off")
            }
        case ".format":
            if let a = args.first {
                if let f = OutputFormat(rawValue: a.lowercased()) {
                    format = f
                } else {
                    usage(".format table|csv|json")
                }
            } else {
                out("format is \(format.rawValue)\n")
            }
        case ".param", ".params":
            param(args)
        case ".explain":
            explain(line.drop { $0 != " " && $0 != "\t" }.trimmingCharacters(in: .whitespaces))
        case ".read":
            guard args.count == 1 else { usage(".read FILE"); break }
            return runFile((args[0] as NSString).expandingTildeInPath, depth: depth + 1)
        default:
            failures += 1
            let hint = Suggest.closest(cmd, in: Completer.metaCommands).map { "; did you mean \($0)?" } ?? ""
            err("unknown command \(cmd)\(hint) (.help lists them)\n")
        }
        return .proceed
    }

    private func param(_ args: [String]) {
        if args.isEmpty {
            if options.parameters.isEmpty { out("no parameters (.param NAME=VALUE sets one)\n") }
            for (k, v) in options.parameters.sorted(by: { $0.key < $1.key }) { out("$\(k) = \(v)\n") }
            return
        }
        if args == ["clear"] { options.parameters = [:]; return }
        let joined = args.joined(separator: " ")
        let name: String, value: String
        if let eq = joined.firstIndex(of: "=") {
            name = joined[..<eq].trimmingCharacters(in: .whitespaces)
            value = joined[joined.index(after: eq)...].trimmingCharacters(in: .whitespaces)
        } else if args.count >= 2 {
            name = args[0]
            value = args.dropFirst().joined(separator: " ")
        } else {
            usage(".param NAME=VALUE, .param, .param clear")
            return
        }
        let key = name.hasPrefix("$") ? String(name.dropFirst()) : name
        guard Completer.isIdentifier(key) else { usage(".param NAME=VALUE (`\(name)` is not a name)"); return }
        options.parameters[key] = value
    }

    /// `.explain QUERY`: the optimized plan, from the manifest only.
    private func explain(_ text: String) {
        let query = text.hasSuffix(";") ? String(text.dropLast()) : text
        guard !query.isEmpty else { usage(".explain QUERY"); return }
        do {
            out(try QueryEngine.explain(query, snapshot: try snapshot(), options: options))
        } catch let e as QueryError {
            failures += 1
            err(e.render(query, name: ".explain"))
        } catch let e as RecoupError {
            failures += 1
            err("error: " + e.message + "\n")
        } catch {
            failures += 1
            err("error: \(error)\n")
        }
    }

    private func usage(_ s: String) {
        failures += 1
        err("usage: \(s)\n")
    }

    static let help = """
        Queries end with `;` or a blank line; they may span lines. Tab completes tables, columns,
        functions, KPI names and commands; Up and Down walk the history; Ctrl-C cancels a running
        query (or clears the line); Ctrl-D or .quit leaves.

          .tables              the sources and their row counts
          .schema [TABLE…]     the columns of each source and their types
          .format table|csv|json
          .timer on|off        print how long each query took
          .read FILE           run the statements in FILE
          .explain QUERY       the plan the query runs as (no table data is read)
          .param [NAME=VALUE]  set a `$NAME` parameter, or list them (.param clear forgets them)
          .help                this text
          .quit                leave (also Ctrl-D)

        A query: a source, then stages joined by `|`:
          from payments | where paid_date >= @2025-01-01 | summarize total = sum(amount) by month = month(paid_date)
          kpi recovery_rate from @2025-01-01 to @2025-03-31 by portfolio
        Stages: where, derive, select, summarize … by …, sort … [desc], take N, join [left] TABLE on COLUMN.

        """

    private func tables() {
        let snap = try? snapshot()
        var rows: [[String]] = []
        for t in QueryCatalog.tables {
            // `scores` is not a stored table: its rows are the latest score file's (none before `recoup score`).
            let n =
                snap.map { s in
                    Schema.table(t) != nil
                        ? s.rows(t)
                        : (try? QueryEngine.run("from \(t) | summarize n = count()", snapshot: s).rows.first?.first)
                            .flatMap { v in
                                if case .int(let c) = v { Int(c) } else { nil }
                            } ?? 0
                } ?? 0
            let cols = QueryEngine.schema(of: t).count
            rows.append([t, String(n), cols == 0 ? "" : String(cols)])
        }
        let r = QueryResult(
            columns: [
                QueryColumn(name: "table", type: .string), QueryColumn(name: "rows", type: .int),
                QueryColumn(name: "columns", type: .int),
            ],
            rows: rows.map { [.text($0[0]), .int(Int64($0[1]) ?? 0), $0[2].isEmpty ? .null : .int(Int64($0[2]) ?? 0)] })
        out(ResultRendering.table(r, width: ResultRendering.terminalWidth()))
        out(
            Self.wrap(
                "kpi sources: " + QueryCatalog.kpis.joined(separator: ", "),
                width: ResultRendering.terminalWidth() ?? 100, indent: "  "))
    }

    /// Words filled into lines of at most `width` characters; continuation lines indented.
    static func wrap(_ text: String, width: Int, indent: String) -> String {
        var out = "", line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty && line.count + 1 + word.count > width {
                out += line + "\n"
                line = indent
            }
            line += (line.isEmpty || line == indent ? "" : " ") + word
        }
        return out + line + "\n"
    }

    private func schema(_ names: [String]) {
        for (i, t) in names.enumerated() {
            guard QueryCatalog.tables.contains(t) else {
                failures += 1
                let hint = Suggest.closest(t, in: QueryCatalog.tables).map { "; did you mean `\($0)`?" } ?? ""
                err("unknown table `\(t)`\(hint)\n")
                continue
            }
            let cols = QueryEngine.schema(of: t)
            if i > 0 { out("\n") }
            out(t + "\n")
            if cols.isEmpty { out("  (no columns known)\n"); continue }
            let w = cols.map(\.name.count).max() ?? 0
            for c in cols {
                out("  " + c.name + String(repeating: " ", count: w - c.name.count + 2) + c.type.rawValue + "\n")
            }
        }
    }

    // MARK: files and piped input

    /// Runs every statement and meta-command of a file (`.read`).
    func runFile(_ path: String, depth: Int) -> MetaOutcome {
        guard depth <= 16 else {
            failures += 1
            err(".read \(path): nested too deep\n")
            return .proceed
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else {
            failures += 1
            err(".read \(path): cannot read the file\n")
            return .proceed
        }
        var splitter = StatementSplitter()
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        for l in lines {
            for item in splitter.feed(l) where run(item, source: path, depth: depth) == .quit { return .quit }
        }
        if let item = splitter.flush(), run(item, source: path, depth: depth) == .quit { return .quit }
        return .proceed
    }

    func run(_ item: StatementSplitter.Item, source: String, depth: Int) -> MetaOutcome {
        switch item {
        case .meta(let m, _): return runMeta(m, depth: depth)
        case .query(let q, let line):
            runQuery(q, source: source, line: line)
            return .proceed
        }
    }

    /// Standard input that is not a terminal: statements in, results out, no prompts.
    func runPiped() {
        var splitter = StatementSplitter()
        while let l = readLine(strippingNewline: true) {
            for item in splitter.feed(l) where run(item, source: "stdin", depth: 0) == .quit { return }
        }
        if let item = splitter.flush() { _ = run(item, source: "stdin", depth: 0) }
    }

    // MARK: the terminal loop

    static let prompt = "recoup> "
    static let continuation = "   ...> "

    func runInteractive(editor: LineEditor) {
        Interrupt.install()
        out("Recoup query shell: .help for help, .quit or Ctrl-D to leave.\n")
        var splitter = StatementSplitter()
        var typed: [String] = []
        loop: while true {
            LineEditor.pendingText = typed.joined(separator: "\n")
            switch editor.read(prompt: splitter.isPending ? Self.continuation : Self.prompt) {
            case .endOfFile:
                out("\n")
                break loop
            case .interrupted:
                out("^C\n")
                splitter.reset()
                typed = []
            case .line(let l):
                typed.append(l)
                let items = splitter.feed(l)
                if !items.isEmpty || !splitter.isPending {
                    let entry = StatementSplitter.oneLine(typed.joined(separator: "\n"))
                    editor.remember(entry)
                    typed = splitter.isPending ? [splitter.pending.joined(separator: "\n")] : []
                }
                // Typed statements count their lines from their own start.
                for item in items {
                    if case .query(let q, _) = item { runQuery(q); continue }
                    if run(item, source: "query", depth: 0) == .quit { break loop }
                }
            }
        }
    }
}
