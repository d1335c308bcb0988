import ArgumentParser
import Foundation
import RecoupGenerator
import RecoupStore

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a realistic synthetic book (the four CSV files).",
        discussion: "Same --accounts, --seed and --end always give identical files. See docs/GENERATOR.md."
    )

    @Option(name: .long, help: "Number of accounts.")
    var accounts: Int

    @Option(name: .long, help: "Random seed (unsigned 64-bit integer).")
    var seed: UInt64

    @Option(name: .long, help: "Output folder (created if missing).")
    var out: String

    @Option(name: .long, help: "Last day of the book, YYYY-MM-DD (default 2025-06-30); nothing is dated after it.")
    var end: String?

    func run() throws {
        try runReportingErrors {
            var endDay = GeneratorConfig.defaultEnd
            if let end {
                guard let d = CivilDate.parse(end) else {
                    throw RecoupError(.usage, "--end: '\(end)' is not a date YYYY-MM-DD")
                }
                endDay = d
            }
            // RECOUP_GENERATOR_THREADS overrides the worker count (for benchmarks); the bytes do not change.
            let threads = ProcessInfo.processInfo.environment["RECOUP_GENERATOR_THREADS"].flatMap { Int($0) }
            let config = GeneratorConfig(accounts: accounts, seed: seed, end: endDay, threads: threads)
            let s = try generateBook(config, to: out)
            print(s.description + " → " + out)
        }
    }
}
