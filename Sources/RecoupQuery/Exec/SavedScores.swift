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

    /// The last frame read, by its file's identity: score files are written once (a new number per
    /// run, renamed into place), so a query server answering `from scores` many times decodes the file
    /// once, not per query (0.4 s for 682k scores).
    private struct Identity: Equatable {
        var path: String
        var inode: UInt64, size: Int64, modified: Int, modifiedNanos: Int
    }
    nonisolated(unsafe) private static var cached: (Identity, Frame)?
    private static let cacheLock = NSLock()

    private static func identity(_ path: String) -> Identity? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return Identity(path: path, inode: UInt64(st.st_ino), size: Int64(st.st_size),
                        modified: Int(st.st_mtim.tv_sec), modifiedNanos: Int(st.st_mtim.tv_nsec))
    }

    static func frame(store: String) throws -> Frame? {
        guard let path = ScoreFiles.latest(store) else { return nil }
        let id = identity(path)
        if let id {
            cacheLock.lock()
            defer { cacheLock.unlock() }
            if let (key, frame) = cached, key == id { return frame }
        }
        guard let frame = try path.hasSuffix(".json") ? legacyFrame(path) : arrayFrame(path) else { return nil }
        if let id {
            cacheLock.lock()
            cached = (id, frame)
            cacheLock.unlock()
        }
        return frame
    }

    static func arrayFrame(_ path: String) throws -> Frame? {
        let columns: [Vector], count: Int
        do {
            let f = try ArrayFile.read(path)
            let meta = try ScoreFiles.metadata(f, path: path)
            count = meta.count
            let ids = try f.strings("account_id")
            let p = try f.double("p_pay_30d"), ev = try f.int64("expected_value"), out = try f.int64("outstanding")
            guard ids.count == count, p.count == count, ev.count == count, out.count == count else { throw CodecError("the arrays do not fit together") }
            columns = [
                .string(codes: (0..<Int32(count)).map { $0 }, dict: ids),
                .date([Int32](repeating: CivilDate.parse(meta.as_of) ?? Int32.min, count: count)),
                .string(codes: [Int32](repeating: 0, count: count), dict: [meta.model_version]),
                .float(p), .money(ev), .money(out),
            ]
        } catch let e as RecoupError {
            throw QueryError("RQ204", "the saved scores cannot be read: \(e.message)")
        } catch let e as CodecError {
            throw QueryError("RQ204", "the saved scores \(path) cannot be read: \(e.reason)")
        }
        return Frame(names: Executor.scoreColumns.map(\.name), columns: columns, count: count, accountKey: nil)
    }

    /// A score file of earlier versions (JSON).
    static func legacyFrame(_ path: String) throws -> Frame? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let file: File
        do { file = try JSONDecoder().decode(File.self, from: data) } catch {
            throw QueryError("RQ204", "the saved scores \(path) cannot be read: \(error)")
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
