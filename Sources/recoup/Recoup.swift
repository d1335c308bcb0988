import ArgumentParser
import Foundation
import RecoupStore

@main
struct Recoup: ParsableCommand {
    static func main() {
        MemoryTuning.apply()
        main(nil)
    }

    static let configuration = CommandConfiguration(
        commandName: "recoup",
        abstract: "Analytics and reporting engine for debt collection.",
        subcommands: [Demo.self, Generate.self, Import.self, Stats.self, KPI.self, QueryCommand.self, Repl.self, Fit.self, Train.self, Evaluate.self, Score.self,
                      ServeCommand.self, TokenCommand.self, AuditCommand.self]
    )
}

/// `--store DIR`, shared by every command.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "The store folder (default: $RECOUP_STORE, else ./recoup-store).")
    var store: String?

    var path: String {
        store ?? ProcessInfo.processInfo.environment["RECOUP_STORE"] ?? "./recoup-store"
    }
}

/// `--commit ID`, for every command that reads the store.
struct CommitOptions: ParsableArguments {
    @Option(name: .long, help: "Read the store exactly as it was at this commit (see `recoup stats`).")
    var commit: Int?
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json

    /// `table` on a terminal, `csv` otherwise (CLI.md).
    static func resolve(_ f: OutputFormat?) -> OutputFormat {
        f ?? (isatty(STDOUT_FILENO) != 0 ? .table : .csv)
    }
}

/// Runs a command body, turning errors into one readable line on stderr and a sysexits code.
func runReportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let e as RecoupError {
        FileHandle.standardError.write(Data(("recoup: " + e.message + "\n").utf8))
        if let d = e.details { FileHandle.standardError.write(Data((d + "\n").utf8)) }
        throw ExitCode(e.exitCode)
    } catch let e as ExitCode {
        throw e
    } catch {
        FileHandle.standardError.write(Data("recoup: internal error: \(error)\n".utf8))
        throw ExitCode(70)
    }
}
