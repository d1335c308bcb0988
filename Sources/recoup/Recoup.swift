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
                      Report.self, ScheduleCommand.self, ServeCommand.self, TokenCommand.self, AuditCommand.self]
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

/// Writes an output file the user named: atomically (a temporary file renamed over it) when it is a
/// regular file or new, straight into it otherwise — a rename over `/dev/null` or a pipe would
/// replace the device with a plain file.
func writeOutput(_ text: String, to path: String, option: String) throws {
    var isDir: ObjCBool = false
    let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDir)
    let regular = !exists || ((try? FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType) == .typeRegular)
    do {
        if regular {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } else {
            guard let h = FileHandle(forWritingAtPath: path) else { throw CocoaError(.fileWriteNoPermission) }
            defer { try? h.close() }
            try h.write(contentsOf: Data(text.utf8))
        }
    } catch {
        throw RecoupError(.cannotCreate, "\(option): cannot write \(path): \(error.localizedDescription)")
    }
}
