import ArgumentParser
import Foundation
import RecoupStore

struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Tables, rows, commits, and bytes on disk per column with encoding and compression ratio.")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var commitOptions: CommitOptions
    @Option(name: .long, help: "table, csv or json.") var format: OutputFormat?

    func run() throws {
        try runReportingErrors {
            let report = try StoreStats.compute(root: storeOptions.path, commit: commitOptions.commit)
            switch OutputFormat.resolve(format) {
            case .json: print(report.json())
            case .csv: print(report.csv(), terminator: "")
            case .table: print(report.text(), terminator: "")
            }
        }
    }
}
