/// Rows of an event table grouped by account key (compressed sparse rows):
/// the rows of account `a` are `rows[start[a] ..< start[a + 1]]`, in (time, row) order.
/// Built by a counting sort, so O(n); the basis of per-account range joins
/// (payments inside a promise's window, calls within 7 days).
public struct AccountIndex: Sendable {
    public let start: [Int32]
    public let rows: [Int32]

    public init(keys: [Int32], accounts: Int, time: [Int64]? = nil, keep: ((Int) -> Bool)? = nil) {
        var count = [Int32](repeating: 0, count: accounts + 1)
        for (r, k) in keys.enumerated() where keep?(r) ?? true { count[Int(k) + 1] &+= 1 }
        for a in 0..<accounts { count[a + 1] &+= count[a] }
        var next = count
        var rows = [Int32](repeating: 0, count: Int(count[accounts]))
        for (r, k) in keys.enumerated() where keep?(r) ?? true {
            rows[Int(next[Int(k)])] = Int32(r)
            next[Int(k)] &+= 1
        }
        if let time {
            for a in 0..<accounts where count[a + 1] - count[a] > 1 {
                let range = Int(count[a])..<Int(count[a + 1])
                var sorted = true
                for i in range.dropFirst() where time[Int(rows[i - 1])] > time[Int(rows[i])] { sorted = false; break }
                if !sorted { rows[range].sort { (time[Int($0)], $0) < (time[Int($1)], $1) } }
            }
        }
        start = count
        self.rows = rows
    }

    @inlinable
    public func rows(of account: Int) -> ArraySlice<Int32> { rows[Int(start[account])..<Int(start[account + 1])] }
}
