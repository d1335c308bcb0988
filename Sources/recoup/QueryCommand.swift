import ArgumentParser
import Foundation
import RecoupQuery
import RecoupStore

/// `recoup query` (named so that it does not hide RecoupQuery's `Query` syntax tree).
struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Run one query (QUERY.md) and print its rows.",
        discussion: """
            The query is the argument, or the contents of -f FILE (`-f -` reads standard input). \
            A bad query prints the error with a caret under the place and exits 65.
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var commitOptions: CommitOptions
    @Option(name: [.customShort("f"), .customLong("file")], help: "Read the query from this file (.rq).") var file:
        String?
    @Argument(help: "The query text.") var text: String?
    @Option(name: .customLong("param"), help: "A parameter for `$name`: --param name=value (repeatable).") var params:
        [String] = []
    @Option(help: "table, csv or json.") var format: OutputFormat?
    @Option(name: .customLong("time-limit"), help: "Seconds the query may run.") var timeLimit: Double = 60
    @Option(name: .customLong("max-rows"), help: "Most rows the query may return.") var maxRows: Int = 1_000_000
    @Flag(help: "Print the optimized plan instead of running the query (no table data is read).") var explain = false

    func run() throws {
        try runReportingErrors {
            let (source, name) = try readQuery()
            let parameters = try Self.parseParameters(params)
            guard timeLimit > 0 else {
                throw RecoupError(.usage, "--time-limit \(timeLimit): expected a positive number of seconds")
            }
            guard maxRows > 0 else { throw RecoupError(.usage, "--max-rows \(maxRows): expected a positive number") }
            let snapshot = try Store.open(storeOptions.path, commit: commitOptions.commit)
            let options = QueryOptionsFactory.make(timeLimit: timeLimit, maxRows: maxRows, parameters: parameters)
            let result: QueryResult
            do {
                if explain {
                    print(try QueryEngine.explain(source, snapshot: snapshot, options: options), terminator: "")
                    return
                }
                result = try QueryEngine.run(source, snapshot: snapshot, options: options)
            } catch let e as QueryError {
                fflush(stdout)
                FileHandle.standardError.write(Data(e.render(source, name: name).utf8))
                throw ExitCode(65)
            }
            let f = OutputFormat.resolve(format)
            let width = f == .table && isatty(STDOUT_FILENO) != 0 ? ResultRendering.terminalWidth() : nil
            print(ResultRendering.render(result, format: f, width: width), terminator: "")
        }
    }

    /// `name=value` pairs (a leading `$` on the name is allowed).
    static func parseParameters(_ params: [String]) throws -> [String: String] {
        var parameters: [String: String] = [:]
        for p in params {
            guard let eq = p.firstIndex(of: "=") else {
                throw RecoupError(.usage, "--param \(p): expected name=value")
            }
            var key = String(p[..<eq])
            if key.hasPrefix("$") { key.removeFirst() }
            guard Completer.isIdentifier(key) else {
                throw RecoupError(.usage, "--param \(p): `\(key)` is not a parameter name")
            }
            parameters[key] = String(p[p.index(after: eq)...])
        }
        return parameters
    }

    /// The query text and the name errors give it.
    private func readQuery() throws -> (String, String) {
        switch (file, text) {
        case (nil, nil):
            throw RecoupError(
                .usage, "no query: give it as an argument or with -f FILE",
                details: "e.g. recoup query 'from payments | take 10'")
        case (.some, .some):
            throw RecoupError(.usage, "give the query either as an argument or with -f FILE, not both")
        case (nil, let t?):
            return (Self.dropTrailingSemicolon(t), "query")
        case (let path?, nil):
            let data: Data?
            if path == "-" {
                data = FileHandle.standardInput.readDataToEndOfFile()
            } else {
                var isDir: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue else {
                    throw RecoupError(.noInput, "no query file \(path)")
                }
                data = FileManager.default.contents(atPath: path)
            }
            guard let data else { throw RecoupError(.noInput, "cannot read \(path)") }
            guard let s = String(data: data, encoding: .utf8) else {
                throw RecoupError(.dataError, "\(path) is not UTF-8 text")
            }
            return (Self.dropTrailingSemicolon(s), path == "-" ? "stdin" : path)
        }
    }

    /// `from payments;` runs too: one final `;` (outside strings and comments) is not part of the query.
    static func dropTrailingSemicolon(_ s: String) -> String {
        var lines = s.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let i = lines.lastIndex(where: { !StatementSplitter.isBlank($0) }),
            let semi = StatementSplitter.terminator(in: Substring(lines[i]))
        else { return s }
        let after = lines[i][lines[i].index(after: semi)...]
        guard StatementSplitter.isBlank(String(after)) else { return s }
        lines[i] =
            String(lines[i][..<semi])
            + String(repeating: " ", count: lines[i].distance(from: semi, to: lines[i].endIndex))
        return lines.joined(separator: "\n")
    }
}

enum QueryOptionsFactory {
    static func make(timeLimit: Double, maxRows: Int, parameters: [String: String]) -> QueryOptions {
        QueryOptions(timeLimit: timeLimit, rowLimit: maxRows, parameters: parameters)
    }
}
