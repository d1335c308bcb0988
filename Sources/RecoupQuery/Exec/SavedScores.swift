import Foundation
import RecoupStore

/// The `scores` source: the latest file `recoup score` wrote in `<store>/scores/` (RecoupModels'
/// ScoreSet; only the fields read here are declared, so the file may carry more).
enum SavedScores {
    struct File: Decodable {
        struct Score: Decodable {
            var account_id: String
            var as_of: String
            var model_version: String
            var p_pay_30d: Double
            var expected_value: Int64
            var outstanding: Int64
        }
        var scores: [Score]
    }

    static func frame(store: String) throws -> Frame? {
        let dir = store + "/scores"
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
        guard let last = names.last, let data = FileManager.default.contents(atPath: dir + "/" + last) else { return nil }
        let file: File
        do { file = try JSONDecoder().decode(File.self, from: data) } catch {
            throw QueryError("RQ204", "the saved scores \(dir)/\(last) cannot be read: \(error)")
        }
        let s = file.scores
        func strings(_ values: [String]) -> Vector {
            var dict: [String] = [], index: [String: Int32] = [:]
            let codes = values.map { v -> Int32 in
                if let c = index[v] { return c }
                index[v] = Int32(dict.count)
                dict.append(v)
                return Int32(dict.count - 1)
            }
            return .string(codes: codes, dict: dict)
        }
        let columns: [Vector] = [
            strings(s.map(\.account_id)), .date(s.map { CivilDate.parse($0.as_of) ?? Int32.min }), strings(s.map(\.model_version)),
            .float(s.map(\.p_pay_30d)), .money(s.map(\.expected_value)), .money(s.map(\.outstanding)),
        ]
        return Frame(names: Executor.scoreColumns.map(\.name), columns: columns, count: s.count, accountKey: nil)
    }
}
