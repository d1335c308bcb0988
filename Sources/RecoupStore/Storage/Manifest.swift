import Foundation

/// What one commit of the store holds: for every table its segments, each
/// column block's place in its segment file, checksum, encoding and zone map,
/// and the table's append-only string dictionaries. Written once, atomically,
/// as `manifests/NNNNNNNN.json`; never modified afterwards.
public struct Manifest: Codable, Sendable {
    public static let formatVersion = 1

    public var format: Int
    public var commit: Int
    public var parent: Int?
    public var createdAt: String
    public var message: String
    public var tables: [String: TableManifest]

    public init(commit: Int, parent: Int?, message: String, tables: [String: TableManifest]) {
        self.format = Self.formatVersion
        self.commit = commit
        self.parent = parent
        self.createdAt = ISO8601DateFormatter().string(from: Date())
        self.message = message
        self.tables = tables
    }

    /// The table's segments; a table with no rows yet has none. A name that is not one of the schema's
    /// tables is a programming error (front ends check names against `Schema` first), not an empty read.
    public func table(_ name: String) -> TableManifest {
        precondition(Schema.table(name) != nil, "no table named \(name) in the schema")
        return tables[name] ?? TableManifest()
    }
}

public struct TableManifest: Codable, Sendable {
    public var rows: Int = 0
    /// Per dictionary-stored column, its values; code = index.
    public var dictionaries: [String: [String]] = [:]
    public var segments: [SegmentManifest] = []

    public init() {}
}

public struct SegmentManifest: Codable, Sendable {
    /// Path relative to the store root.
    public var file: String
    public var rows: Int
    /// In the table schema's column order.
    public var columns: [BlockManifest]
}

public struct BlockManifest: Codable, Sendable {
    public var column: String
    public var offset: Int
    public var length: Int
    /// XXH64 of the stored block bytes, hex.
    public var checksum: String
    public var encoding: String
    public var codec: String
    public var plainBytes: Int
    /// Zone map over non-null values (nil when all null, or for text).
    public var min: Int64?
    public var max: Int64?
    public var nulls: Int
    /// Zone map of a key column (`account_id` of accounts, the ids of events): its least and greatest
    /// value in byte order. Absent in stores written before it, and for other text columns.
    public var minText: String?
    public var maxText: String?
}

extension BlockManifest {
    /// Whether a value with these bytes can be in the block by its text zone map (true when unknown).
    public func mayHold(_ bytes: [UInt8]) -> Bool {
        guard let lo = minText, let hi = maxText else { return true }
        return !bytes.lexicographicallyPrecedes(lo.utf8) && !hi.utf8.lexicographicallyPrecedes(bytes)
    }
}

/// Zone maps from decoded data.
enum ZoneMap {
    /// The least and greatest non-empty value of a text column, in byte order.
    static func textBounds(_ data: ColumnData) -> (min: String, max: String)? {
        guard case .string(let s) = data, s.count > 0 else { return nil }
        var lo = -1, hi = -1
        s.bytes.withUnsafeBufferPointer { b in
            s.offsets.withUnsafeBufferPointer { o in
                guard let base = b.baseAddress else { return }
                /// Byte order of values i and j (memcmp, then length).
                func less(_ i: Int, _ j: Int) -> Bool {
                    let (ai, ni) = (Int(o[i]), Int(o[i + 1]) - Int(o[i]))
                    let (aj, nj) = (Int(o[j]), Int(o[j + 1]) - Int(o[j]))
                    let c = memcmp(base + ai, base + aj, min(ni, nj))
                    return c != 0 ? c < 0 : ni < nj
                }
                for i in 0..<s.count where o[i + 1] > o[i] {
                    if lo < 0 || less(i, lo) { lo = i }
                    if hi < 0 || less(hi, i) { hi = i }
                }
            }
        }
        guard lo >= 0 else { return nil }
        return (s[lo], s[hi])
    }

    static func compute(_ data: ColumnData) -> (min: Int64?, max: Int64?, nulls: Int) {
        switch data {
        case .uint8(let v):
            guard let lo = v.min(), let hi = v.max() else { return (nil, nil, 0) }
            return (Int64(lo), Int64(hi), 0)
        case .int32(let v):
            var lo = Int32.max, hi = Int32.min, nulls = 0
            for x in v {
                if x == Null.int32 { nulls += 1; continue }
                if x < lo { lo = x }
                if x > hi { hi = x }
            }
            return nulls == v.count ? (nil, nil, nulls) : (Int64(lo), Int64(hi), nulls)
        case .int64(let v):
            var lo = Int64.max, hi = Int64.min, nulls = 0
            for x in v {
                if x == Null.int64 { nulls += 1; continue }
                if x < lo { lo = x }
                if x > hi { hi = x }
            }
            return nulls == v.count ? (nil, nil, nulls) : (lo, hi, nulls)
        case .string(let s):
            var nulls = 0
            for i in 0..<s.count where s.offsets[i] == s.offsets[i + 1] { nulls += 1 }
            return (nil, nil, nulls)
        }
    }
}
