import Benchmark
import Foundation
import RecoupStore

/// The CSV reader alone (records and bytes per second) and a whole import of a
/// small book (parse, validate, cluster, encode, commit), on files written once here.
func registerCSVBenchmarks() {
    let dir = NSTemporaryDirectory() + "recoup-csv-bench"
    let book = dir + "/book"
    try? FileManager.default.createDirectory(atPath: book, withIntermediateDirectories: true)
    let accounts = 20_000, contactsPerAccount = 10
    var a = "account_id,debtor_id,portfolio,opened_date,due_date,placed_date,principal,region,timezone,agent_id,credit_score,status,status_date\n"
    var c = "contact_id,account_id,ts,channel,direction,outcome,agent_id,duration_s\n"
    var rng = BenchRandom(state: 7)
    for i in 0..<accounts {
        a += "A\(1_000_000 + i),D\(500_000 + i / 2),card,2024-01-0\(1 + i % 9),2024-02-0\(1 + i % 9),2024-03-0\(1 + i % 9),\(Int.random(in: 100...99_999, using: &rng)).\(i % 100),CA,America/Los_Angeles,G\(i % 50),\(600 + i % 200),open,\n"
        for k in 0..<contactsPerAccount {
            let n = i * contactsPerAccount + k
            c += "C\(10_000_000 + n),A\(1_000_000 + i),2024-04-\(10 + k)T1\(k):0\(k % 6):00Z,call,outbound,\(k % 3 == 0 ? "right_party" : "no_answer"),G\(i % 50),\(k % 3 == 0 ? "\(60 + k)" : "")\n"
        }
    }
    try? a.write(toFile: book + "/accounts.csv", atomically: true, encoding: .utf8)
    try? c.write(toFile: book + "/contacts.csv", atomically: true, encoding: .utf8)
    let path = book + "/contacts.csv"
    let bytes = c.utf8.count
    let rows = accounts * contactsPerAccount

    Benchmark("CSV read contacts \(rows) rows [\(bytes / 1_000_000) MB]", configuration: .init(metrics: [.wallClock, .throughput, .mallocCountTotal])) { benchmark in
        for _ in benchmark.scaledIterations {
            let r = try! CSVReader(path: path)
            var fields = 0
            while try! r.next() { fields &+= r.fieldCount }
            blackHole(fields)
        }
    }

    Benchmark("Import book \(accounts) accounts + \(rows) contacts", configuration: .init(metrics: [.wallClock, .peakMemoryResident], maxIterations: 10)) { benchmark in
        for i in benchmark.scaledIterations {
            let store = dir + "/store-\(i)"
            try? FileManager.default.removeItem(atPath: store)
            benchmark.startMeasurement()
            blackHole(try! Importer.run(store: store, paths: [book]))
            benchmark.stopMeasurement()
            try? FileManager.default.removeItem(atPath: store)
        }
    }
}
