import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The one writer of a store: holds the lock, writes new segment files for
/// the next commit, and publishes the commit's manifest atomically.
public final class StoreWriter {
    public let root: String
    public let base: Snapshot
    public let commit: Int
    private let lockFD: Int32
    private var written: [String] = []
    private let lock = NSLock()

    /// Opens (creating when `create`) the store and takes the writer lock;
    /// a second writer gets exit code 75.
    public init(root: String, create: Bool) throws {
        self.root = root
        if !Store.exists(root) {
            guard create else { throw RecoupError(.noInput, "no store at \(root)") }
            try FileIO.makeDirectory(root)
            try FileIO.makeDirectory(Store.manifestsDir(root))
            try FileIO.makeDirectory(root + "/data")
            try FileIO.writeSynced(root + "/FORMAT", Array((Store.formatLine + "\n").utf8))
            try FileIO.fsyncDirectory(root)
        }
        lockFD = open(root + "/LOCK", O_RDWR | O_CREAT, 0o644)
        guard lockFD >= 0 else { throw RecoupError(.cannotCreate, "cannot create \(root)/LOCK: \(FileIO.errorText())") }
        if flock(lockFD, LOCK_EX | LOCK_NB) != 0 {
            close(lockFD)
            throw RecoupError(.tempFailure, "the store \(root) is locked by another writer; retry when it has finished")
        }
        do {
            base = try Store.open(root)
        } catch {
            close(lockFD)
            throw error
        }
        commit = base.commit + 1
        removeOrphans()
    }

    deinit {
        flock(lockFD, LOCK_UN)
        close(lockFD)
    }

    /// Segment files of commits that never happened (a writer that crashed
    /// before its manifest appeared) are removed.
    private func removeOrphans() {
        let fm = FileManager.default
        guard let tables = try? fm.contentsOfDirectory(atPath: root + "/data") else { return }
        for t in tables {
            let dir = root + "/data/" + t
            for f in (try? fm.contentsOfDirectory(atPath: dir)) ?? [] {
                if let c = Int(f.prefix { $0 != "-" }), c >= commit { try? fm.removeItem(atPath: dir + "/" + f) }
            }
        }
        for f in (try? fm.contentsOfDirectory(atPath: Store.manifestsDir(root))) ?? [] where f.hasSuffix(".tmp") {
            try? fm.removeItem(atPath: Store.manifestsDir(root) + "/" + f)
        }
    }

    /// Encodes `columns` (one per schema column, equal lengths) as one segment
    /// file of `table` and fsyncs it. Blocks are encoded in parallel.
    public func writeSegment(table: TableSchema, index: Int, columns: [ColumnData]) throws -> SegmentManifest {
        precondition(columns.count == table.columns.count)
        let rows = columns.first?.count ?? 0
        var encoded = [(bytes: [UInt8], info: BlockInfo)?](repeating: nil, count: columns.count)
        encoded.withUnsafeMutableBufferPointer { out in
            DispatchQueue.concurrentPerform(iterations: columns.count) { c in
                out[c] = BlockCodec.encode(columns[c], policy: Self.policy(table.columns[c]))
            }
        }
        var file: [UInt8] = []
        var blocks: [BlockManifest] = []
        for c in 0..<columns.count {
            let (bytes, info) = encoded[c]!
            let zone = ZoneMap.compute(columns[c])
            let text = c == 0 ? ZoneMap.textBounds(columns[c]) : nil  // the key column: ids looked up by value
            blocks.append(BlockManifest(
                column: table.columns[c].name, offset: file.count, length: bytes.count,
                checksum: String(XXH64.hash(bytes), radix: 16), encoding: info.encoding.description,
                codec: info.codec.description, plainBytes: info.plainBytes,
                min: zone.min, max: zone.max, nulls: zone.nulls, minText: text?.min, maxText: text?.max))
            file.append(contentsOf: bytes)
        }
        let dir = root + "/data/" + table.name
        try FileIO.makeDirectory(dir)
        let name = "data/\(table.name)/\(commit)-\(index).seg"
        try FileIO.writeSynced(root + "/" + name, file)
        lock.lock()
        written.append(dir)
        lock.unlock()
        return SegmentManifest(file: name, rows: rows, columns: blocks)
    }

    /// Block compression policy: ids are cold (read for lookups and output),
    /// everything the KPIs scan is hot.
    static func policy(_ c: ColumnSpec) -> CompressionPolicy {
        c.storage == .text ? .cold : .hot
    }

    /// Publishes the commit: fsyncs the new segment directories, writes the
    /// manifest to a temporary file, fsyncs it and renames it into place.
    public func publish(message: String, tables: [String: TableManifest]) throws -> Manifest {
        for dir in Set(written) { try FileIO.fsyncDirectory(dir) }
        try FileIO.fsyncDirectory(root + "/data")
        let manifest = Manifest(commit: commit, parent: base.commit == 0 ? nil : base.commit, message: message, tables: tables)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json: Data
        do { json = try encoder.encode(manifest) } catch { throw RecoupError(.internal, "cannot encode manifest: \(error)") }
        let final = Store.manifestPath(root, commit)
        let tmp = final + ".tmp"
        try FileIO.writeSynced(tmp, [UInt8](json))
        guard rename(tmp, final) == 0 else { throw RecoupError(.cannotCreate, "cannot publish \(final): \(FileIO.errorText())") }
        try FileIO.fsyncDirectory(Store.manifestsDir(root))
        return manifest
    }
}
