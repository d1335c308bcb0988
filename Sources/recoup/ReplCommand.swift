import ArgumentParser
import Foundation
import RecoupStore

struct Repl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "Interactive queries with line editing, history and completion.",
        discussion: """
            A query ends with `;` or a blank line. Meta-commands: .help, .tables, .schema T, .timer on|off, \
            .format table|csv|json, .read FILE, .param NAME=VALUE, .quit. History is kept in $RECOUP_HISTORY, else ~/.recoup_history. \
            With standard input not a terminal, reads statements from it and prints their results (no prompts).
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var commitOptions: CommitOptions
    @Option(help: "Initial output format: table, csv or json (default: table on a terminal, csv otherwise).")
    var format: OutputFormat?
    @Option(name: .customLong("time-limit"), help: "Seconds one query may run.") var timeLimit: Double = 300
    @Option(name: .customLong("max-rows"), help: "Most rows one query may return.") var maxRows: Int = 1_000_000
    @Option(
        name: .customLong("param"),
        help: "A parameter for `$name`: --param name=value (repeatable; .param in the session).") var params: [String] =
            []

    func run() throws {
        try runReportingErrors {
            // A long-lived process: decoded columns stay in memory for the next question.
            BlockCache.shared.budget = BlockCache.defaultBudget
            guard timeLimit > 0 else {
                throw RecoupError(.usage, "--time-limit \(timeLimit): expected a positive number of seconds")
            }
            guard maxRows > 0 else { throw RecoupError(.usage, "--max-rows \(maxRows): expected a positive number") }
            // Fail early on a missing store or commit, as every other command does.
            _ = try Store.open(storeOptions.path, commit: commitOptions.commit)
            let interactive = isatty(STDIN_FILENO) != 0 && isatty(STDOUT_FILENO) != 0
            let session = ReplSession(
                storePath: storeOptions.path, commit: commitOptions.commit, interactive: interactive,
                format: OutputFormat.resolve(format), timer: interactive)
            session.options = QueryOptionsFactory.make(
                timeLimit: timeLimit, maxRows: maxRows, parameters: try QueryCommand.parseParameters(params))
            if interactive {
                let editor = LineEditor(historyPath: LineEditor.defaultHistoryPath(), completer: Completer())
                session.runInteractive(editor: editor)
            } else {
                session.runPiped()
                if session.failures > 0 { throw ExitCode(65) }
            }
        }
    }
}
