import Foundation
import RecoupGenerator
import RecoupStore
@testable import RecoupReports

/// A small generated book in a temporary store.
final class ReportFixture {
    let dir: String
    var store: String { dir + "/store" }

    init(accounts: Int, seed: UInt64) throws {
        dir = NSTemporaryDirectory() + "recoup-reports-" + UUID().uuidString
        _ = try generateBook(GeneratorConfig(accounts: accounts, seed: seed), to: dir + "/book")
        _ = try Importer.run(store: dir + "/store", paths: [dir + "/book"])
    }

    func snapshot() throws -> Snapshot { try Store.open(store) }

    func remove() { try? FileManager.default.removeItem(atPath: dir) }

    static var repoRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }

    static func definition(_ yaml: String, name: String = "test") throws -> ReportDefinition {
        try DefinitionLoader.parse(yaml, name: name, file: name + ".yaml", queriesDir: repoRoot + "/queries")
    }
}

extension String {
    func occurrences(of s: String) -> Int { components(separatedBy: s).count - 1 }
}
