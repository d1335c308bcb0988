import Foundation
import RecoupStore

/// Account keys (row numbers of `accounts`) of given account ids, found by comparing the stored id
/// bytes segment by segment, in parallel, without making a string per account: what `where
/// account_id == "…"` needs to read only the segments of those accounts.
public enum AccountLookup {
    /// The keys of the ids that exist, ascending; ids not in the store are left out.
    public static func keys(_ snapshot: Snapshot, ids: Set<String>) throws -> [Int32] {
        guard !ids.isEmpty else { return [] }
        let wanted = Set(ids.map { Array($0.utf8) })
        let lengths = Set(wanted.map(\.count))
        let all = TableScan(snapshot, "accounts")
        let starts = all.segmentStarts
        // Only the segments whose id zone map can hold one of the ids are decoded.
        let segments = snapshot.table("accounts").segments
        let holding = all.segments.indices.filter { k in
            let block = segments[all.segments[k]].columns.first { $0.column == "account_id" }
            return block.map { b in wanted.contains { b.mayHold($0) } } ?? true
        }
        let scan = all.segments(at: holding)
        let found = try scan.mapSegments(["account_id"]) { j, cols -> [Int32] in
            let k = holding[j]
            let s = cols[0].stringValues
            var out: [Int32] = []
            s.bytes.withUnsafeBufferPointer { b in
                for i in 0..<(s.offsets.count - 1) {
                    let lo = Int(s.offsets[i]), hi = Int(s.offsets[i + 1])
                    guard lengths.contains(hi - lo), wanted.contains(Array(b[lo..<hi])) else { continue }
                    out.append(Int32(starts[k] + i))
                }
            }
            return out
        }
        return found.flatMap { $0 }
    }
}
