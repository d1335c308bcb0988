import Foundation

/// Decoded column blocks kept in memory within a budget, for the processes that answer many
/// questions of one store (the REPL, `serve`, `schedule`): the second query that reads a column
/// is answered warm. A block is keyed by its file, place, length and checksum, so the key names
/// its contents: a new commit reuses every block it did not rewrite, and a rewritten or re-created
/// store can never be answered from an old block. Least recently used blocks go first. Off
/// (budget 0) unless a long-lived command turns it on; one-shot commands read each block once.
public final class BlockCache: @unchecked Sendable {
    public static let shared = BlockCache()

    struct Key: Hashable {
        var path: String
        var offset: Int, length: Int
        var checksum: String
    }

    private struct Entry {
        var data: ColumnData
        var bytes: Int
        var used: UInt64
    }

    private let lock = NSLock()
    private var entries: [Key: Entry] = [:]
    private var tick: UInt64 = 0
    private var budgetBytes = 0
    public private(set) var bytes = 0
    public private(set) var hits = 0
    public private(set) var misses = 0

    public init() {}

    /// The most memory decoded blocks may hold; 0 turns the cache off and empties it.
    public var budget: Int {
        get { lock.lock(); defer { lock.unlock() }; return budgetBytes }
        set {
            lock.lock(); defer { lock.unlock() }
            budgetBytes = max(0, newValue)
            evict()
        }
    }

    /// The budget long-lived commands use: `RECOUP_CACHE_MB` when set (0 turns it off), else a
    /// quarter of the machine's memory, at most 4 GiB.
    public static var defaultBudget: Int {
        if let text = ProcessInfo.processInfo.environment["RECOUP_CACHE_MB"], let mb = Int(text), mb >= 0 {
            return mb << 20
        }
        return Int(min(ProcessInfo.processInfo.physicalMemory / 4, 4 << 30))
    }

    public func empty() {
        lock.lock(); defer { lock.unlock() }
        entries = [:]
        bytes = 0
    }

    /// The block's decoded data: from memory when cached, else from `decode`, then kept.
    func block(_ key: Key, _ decode: () throws -> ColumnData) throws -> ColumnData {
        lock.lock()
        if budgetBytes == 0 { lock.unlock(); return try decode() }
        tick += 1
        if var e = entries[key] {
            e.used = tick
            entries[key] = e
            hits += 1
            lock.unlock()
            return e.data
        }
        misses += 1
        lock.unlock()
        let data = try decode()
        let size = Self.size(data)
        lock.lock(); defer { lock.unlock() }
        guard size <= budgetBytes, entries[key] == nil else { return data }
        tick += 1
        entries[key] = Entry(data: data, bytes: size, used: tick)
        bytes += size
        evict()
        return data
    }

    private func evict() {
        if budgetBytes == 0 { entries = [:]; bytes = 0; return }
        while bytes > budgetBytes, let oldest = entries.min(by: { $0.value.used < $1.value.used }) {
            bytes -= oldest.value.bytes
            entries[oldest.key] = nil
        }
    }

    static func size(_ d: ColumnData) -> Int {
        switch d {
        case .uint8(let v): v.count
        case .int32(let v): v.count * 4
        case .int64(let v): v.count * 8
        case .string(let s): s.bytes.count + s.offsets.count * 4
        }
    }
}
