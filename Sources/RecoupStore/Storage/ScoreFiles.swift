import Foundation

/// Where saved scores live: `<store>/scores/NNNNNN.scores` (an `ArrayFile`; `NNNNNN.json` from
/// earlier versions is still read), the highest number being the latest. Written by RecoupModels'
/// `ScoreSet`, read by it and by the query language's `scores` source.
///
/// Arrays of a score file (one value per account unless noted): `account_id` (strings),
/// `p_pay_30d` (double), `expected_value` and `outstanding` (int64 cents), `slot` (uint8, three per
/// account: weekday·13 + hour − 8, 255 for none) with `slot_p` (double, three per account),
/// `reason_feature` (int16 index into the `reason_features` strings, six per account: three that
/// raised the score, then three that lowered it, −1 for none) with `reason_effect` (double, six per
/// account). The metadata is `{"model_version","as_of","store_commit","count"}`.
public enum ScoreFiles {
    public static let slotsPerAccount = 3
    public static let reasonsPerAccount = 6

    public static func directory(_ store: String) -> String { store + "/scores" }

    /// Saved score files by number, ascending.
    public static func numbered(_ store: String) -> [(number: Int, path: String)] {
        let dir = directory(store)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        var out: [Int: String] = [:]
        for name in names {
            for ext in [".scores", ".json"] where name.hasSuffix(ext) {
                if let n = Int(name.dropLast(ext.count)), out[n] == nil || ext == ".scores" { out[n] = dir + "/" + name }
            }
        }
        return out.keys.sorted().map { ($0, out[$0]!) }
    }

    /// The latest score file, or nil when the store was never scored.
    public static func latest(_ store: String) -> String? { numbered(store).last?.path }

    /// The path for the next score file.
    public static func nextPath(_ store: String) -> String {
        directory(store) + "/" + String(format: "%06d", (numbered(store).last?.number ?? 0) + 1) + ".scores"
    }

    /// The metadata of a score file.
    public struct Metadata: Codable, Sendable, Equatable {
        public var model_version: String
        public var as_of: String
        public var store_commit: Int
        public var count: Int

        public init(model_version: String, as_of: String, store_commit: Int, count: Int) {
            self.model_version = model_version
            self.as_of = as_of
            self.store_commit = store_commit
            self.count = count
        }
    }

    public static func metadata(_ file: ArrayFile, path: String) throws -> Metadata {
        do { return try JSONDecoder().decode(Metadata.self, from: Data(file.metadata.utf8)) } catch {
            throw RecoupError(.dataError, "\(path) is not a readable score file: bad metadata")
        }
    }
}
