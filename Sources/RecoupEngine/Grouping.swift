import RecoupStore

/// One grouping key column: a code per row in `0 ..< cardinality`.
public struct GroupKey: Sendable {
    public let codes: [Int32]
    public let cardinality: Int

    public init(codes: [Int32], cardinality: Int) {
        self.codes = codes
        self.cardinality = max(cardinality, 1)
    }
}

/// Dense group ids for rows, from one or more key columns (DataFusion-style:
/// intern the keys once, then accumulators are plain arrays indexed by id).
/// Small key spaces use a perfect-hash array; larger ones a hash map.
public struct Grouping: Sendable {
    /// Per row, its group id, or -1 when the row was left out.
    public let ids: [Int32]
    /// Per group, the code of each key column.
    public let keys: [[Int32]]
    public var count: Int { keys.count }

    /// Groups the rows whose `mask` entry is true.
    public init(_ columns: [GroupKey], rows: Int, mask: [Bool]) {
        self.init(columns, rows: rows, include: { mask[$0] })
    }

    /// Groups the rows for which `include` holds (all rows when nil).
    public init(_ columns: [GroupKey], rows: Int, include: ((Int) -> Bool)? = nil) {
        var ids = [Int32](repeating: -1, count: rows)
        var keys: [[Int32]] = []
        var strides: [Int] = []
        var space = 1
        for c in columns {
            strides.append(space)
            let (m, o) = space.multipliedReportingOverflow(by: c.cardinality)
            space = o ? Int.max : m
        }
        @inline(__always) func composite(_ r: Int) -> Int {
            var k = 0
            for (i, c) in columns.enumerated() { k &+= Int(c.codes[r]) &* strides[i] }
            return k
        }
        if space <= 1 << 22 {
            var slot = [Int32](repeating: -1, count: space)
            for r in 0..<rows where include?(r) ?? true {
                let k = composite(r)
                var g = slot[k]
                if g < 0 {
                    g = Int32(keys.count)
                    slot[k] = g
                    keys.append(columns.map { $0.codes[r] })
                }
                ids[r] = g
            }
        } else {
            var map: [[Int32]: Int32] = [:]
            for r in 0..<rows where include?(r) ?? true {
                let key = columns.map { $0.codes[r] }
                if let g = map[key] { ids[r] = g; continue }
                let g = Int32(keys.count)
                map[key] = g
                keys.append(key)
                ids[r] = g
            }
        }
        self.ids = ids
        self.keys = keys
    }

    /// Group ids ordered by their keys, comparing key column i by `rank[i][code]`.
    public func sortedGroups(rank: [[Int]]) -> [Int] {
        (0..<count).sorted { a, b in
            for (i, r) in rank.enumerated() {
                let x = r[Int(keys[a][i])], y = r[Int(keys[b][i])]
                if x != y { return x < y }
            }
            return false
        }
    }
}

/// Per-group accumulators. Money sums are checked: overflow is an error, never a wrap.
public enum Aggregate {
    public struct Overflow: Error, CustomStringConvertible {
        public init() {}
        public var description: String { "a money sum overflowed Int64 cents" }
    }

    @inlinable
    public static func add(_ a: inout Int64, _ b: Int64) throws {
        let (s, o) = a.addingReportingOverflow(b)
        if o { throw Overflow() }
        a = s
    }

    /// Σ values[r] per group over rows with a group id ≥ 0.
    public static func sum(_ values: [Int64], groups: [Int32], count: Int) throws -> [Int64] {
        var out = [Int64](repeating: 0, count: count)
        for (r, g) in groups.enumerated() where g >= 0 { try add(&out[Int(g)], values[r]) }
        return out
    }

    /// Rows per group.
    public static func count(groups: [Int32], count: Int) -> [Int64] {
        var out = [Int64](repeating: 0, count: count)
        for g in groups where g >= 0 { out[Int(g)] &+= 1 }
        return out
    }
}

/// Byte-wise (= code point) order of strings, for sorting dimension values.
public enum CodePointOrder {
    /// The rank of each string (equal strings share a rank).
    public static func ranks(_ strings: [String]) -> [Int] {
        let order = strings.indices.sorted { Array(strings[$0].utf8).lexicographicallyPrecedes(Array(strings[$1].utf8)) }
        var rank = [Int](repeating: 0, count: strings.count)
        for (i, s) in order.enumerated() { rank[s] = i }
        return rank
    }
}
