import ArgumentParser
import Foundation
import RecoupKPI
import RecoupStore

struct KPI: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kpi",
        abstract: "Compute one KPI of KPIS.md.",
        discussion: "KPIs: " + KPIRunner.names.joined(separator: ", ") + ".\nDimensions for --by: portfolio, region, agent_id, cohort; contact KPIs also channel, local_hour, local_weekday.")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var commitOptions: CommitOptions
    @Argument(help: "The KPI.") var name: String
    @Option(name: .customLong("as-of"), help: "As-of date A (YYYY-MM-DD); default: the latest date in the data.") var asOf: String?
    @Option(help: "Period start (YYYY-MM-DD).") var from: String?
    @Option(help: "Period end (YYYY-MM-DD).") var to: String?
    @Option(help: "Dimensions, comma separated.") var by: String?
    @Option(help: "promise_adherence grace days.") var grace = 3
    @Option(help: "roll_rate month M (YYYY-MM).") var month: String?
    @Flag(help: "call_compliance: counts by dims and rule.") var summary = false
    @Option(help: "table, csv or json.") var format: OutputFormat?

    func run() throws {
        try runReportingErrors {
            var p = KPIParameters(grace: try KPIParameters.grace(grace), summary: summary)
            p.asOf = try asOf.map { try CLIDate.parse($0, option: "--as-of") }
            p.from = try from.map { try CLIDate.parse($0, option: "--from") }
            p.to = try to.map { try CLIDate.parse($0, option: "--to") }
            p.month = try month.map { try CLIDate.parseMonth($0) }
            p.by = try KPIParameters.dimensions(commaSeparated: by ?? "")
            let snapshot = try Store.open(storeOptions.path, commit: commitOptions.commit)
            let table = try KPIRunner.run(name, snapshot: snapshot, parameters: p)
            let f = OutputFormat.resolve(format)
            print(table.render(KPIFormat(rawValue: f.rawValue)!), terminator: "")
        }
    }
}

enum CLIDate {
    static func parse(_ s: String, option: String) throws -> Int32 {
        guard let d = CivilDate.parse(s) else {
            throw RecoupError(.usage, "\(option) \(s): expected a real date YYYY-MM-DD")
        }
        return d
    }

    static func parseMonth(_ s: String) throws -> Int32 {
        guard let d = CivilDate.parse(s + "-01") else { throw RecoupError(.usage, "--month \(s): expected YYYY-MM") }
        return d
    }
}
