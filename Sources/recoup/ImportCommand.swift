import ArgumentParser
import Foundation
import RecoupStore

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import files or folders of the four CSV files as one transaction.",
        discussion: "Bad input fails the whole import (exit 65, nothing committed) unless --rejects is given: then bad rows go to that CSV file and the good rows commit.")

    @OptionGroup var storeOptions: StoreOptions
    @Option(name: .long, help: "Write bad rows to this CSV file (file, line, column, value, reason, record) and commit the good ones.")
    var rejects: String?
    @Argument(help: "accounts.csv, contacts.csv, payments.csv, promises.csv, or folders holding them.")
    var paths: [String]

    func run() throws {
        try runReportingErrors {
            let start = Date()
            let s = try Importer.run(store: storeOptions.path, paths: paths, rejectsPath: rejects)
            printImportSummary(s, seconds: Date().timeIntervalSince(start), rejectsPath: rejects)
        }
    }
}

func printImportSummary(_ s: ImportSummary, seconds: Double, rejectsPath: String?) {
    for (name, c) in s.tables {
        var parts = ["\(c.read) rows read", "\(c.added) added"]
        if name == "accounts" { parts.append("\(c.updated) updated") }
        if c.skipped > 0 { parts.append("\(c.skipped) already stored") }
        if c.rejected > 0 { parts.append("\(c.rejected) rejected") }
        print("\(name.padding(toLength: 9, withPad: " ", startingAt: 0)) " + parts.joined(separator: ", "))
    }
    if let r = rejectsPath { print("rejects: \(s.rejects.count) rows written to \(r)") }
    if let c = s.commit {
        print("committed \(c) in \(String(format: "%.2f", seconds)) s")
    } else {
        print("nothing new: the store stays at commit \(s.previousCommit)")
    }
}
