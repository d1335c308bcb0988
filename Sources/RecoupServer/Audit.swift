import Crypto
import Foundation
import RecoupStore

/// One audit record: who read which accounts' data, through which endpoint, from which scores.
public struct AuditRecord: Sendable {
    public var time: Date
    public var token: String
    public var tokenID: String
    public var method: String
    public var path: String
    public var status: Int
    public var accountIDs: [String]
    public var asOf: String?
    public var modelVersion: String?
    public var storeCommit: Int?

    public init(time: Date, token: String, tokenID: String, method: String, path: String, status: Int, accountIDs: [String],
                asOf: String?, modelVersion: String?, storeCommit: Int?) {
        self.time = time
        self.token = token
        self.tokenID = tokenID
        self.method = method
        self.path = path
        self.status = status
        self.accountIDs = accountIDs
        self.asOf = asOf
        self.modelVersion = modelVersion
        self.storeCommit = storeCommit
    }

    /// At most this many ids are written out; past it, their count and the SHA-256 of the ids joined by `\n`.
    public static let maxListedIDs = 100

    /// One JSON line.
    public var line: String {
        var s = "{\"time\":" + JSONText.string(Timestamp.iso(time)) + ",\"token\":" + JSONText.string(token)
            + ",\"token_id\":" + JSONText.string(tokenID) + ",\"method\":" + JSONText.string(method)
            + ",\"path\":" + JSONText.string(path) + ",\"status\":\(status)"
            + ",\"as_of\":" + JSONText.optional(asOf) + ",\"model_version\":" + JSONText.optional(modelVersion)
            + ",\"store_commit\":" + (storeCommit.map(String.init) ?? "null") + ",\"count\":\(accountIDs.count)"
        if accountIDs.count <= Self.maxListedIDs {
            s += ",\"account_ids\":[" + accountIDs.map(JSONText.string).joined(separator: ",") + "]"
        } else {
            s += ",\"digest\":" + JSONText.string("sha256:" + Self.digest(accountIDs))
        }
        return s + "}\n"
    }

    public static func digest(_ ids: [String]) -> String {
        var h = SHA256()
        for (i, id) in ids.enumerated() {
            if i > 0 { h.update(data: [10]) }
            h.update(data: Array(id.utf8))
        }
        return TokenStore.hex(Array(h.finalize()))
    }
}

/// `<store>/api/audit.log`: append-only JSON lines. Writers hand their line to one writer thread, which
/// appends everything pending with one `write`, `fsync`s, and only then lets those requests answer
/// (group commit: one fsync serves every request that arrived meanwhile).
public final class AuditLog: @unchecked Sendable {
    public let path: String
    private let fd: Int32
    private let condition = NSCondition()
    private var pending: [(bytes: [UInt8], done: CheckedContinuation<Void, Never>?)] = []
    private var stopped = false
    private var thread: Thread?

    public static func path(store: String) -> String { store + "/api/audit.log" }

    public init(store: String) throws {
        path = Self.path(store: store)
        let dir = store + "/api"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw RecoupError(.cannotCreate, "cannot open the audit log \(path): \(String(cString: strerror(errno)))") }
        let t = Thread { [weak self] in self?.loop() }
        t.name = "recoup-audit"
        thread = t
        t.start()
    }

    deinit { close(fd) }

    /// Appends the record; returns once it is on disk.
    public func append(_ record: AuditRecord) async {
        let bytes = Array(record.line.utf8)
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            condition.lock()
            pending.append((bytes, c))
            condition.signal()
            condition.unlock()
        }
    }

    /// Ends the writer thread after what is pending is written.
    public func stop() {
        condition.lock()
        stopped = true
        condition.signal()
        condition.unlock()
    }

    private func loop() {
        while true {
            condition.lock()
            while pending.isEmpty && !stopped { condition.wait() }
            let batch = pending
            pending = []
            let done = stopped && batch.isEmpty
            condition.unlock()
            if done { return }
            var all = [UInt8]()
            for b in batch { all.append(contentsOf: b.bytes) }
            all.withUnsafeBytes { p in
                var off = 0
                while off < p.count {
                    let n = write(fd, p.baseAddress! + off, p.count - off)
                    if n < 0 { if errno == EINTR { continue }; break }
                    off += n
                }
            }
            fsync(fd)
            for b in batch { b.done?.resume() }
        }
    }
}

/// Reading and filtering the audit log (`recoup audit`).
public enum AuditReader {
    public struct Entry: Decodable, Sendable {
        public var time: String
        public var token: String
        public var token_id: String?
        public var method: String
        public var path: String
        public var status: Int?
        public var as_of: String?
        public var model_version: String?
        public var store_commit: Int?
        public var count: Int
        public var account_ids: [String]?
        public var digest: String?
    }

    /// The lines of the log that match every filter given, as written (JSON) and decoded.
    public static func read(store: String, since: String?, token: String?, account: String?) throws -> [(line: String, entry: Entry)] {
        let p = AuditLog.path(store: store)
        guard FileManager.default.fileExists(atPath: p) else { return [] }
        guard let data = FileManager.default.contents(atPath: p) else { throw RecoupError(.noInput, "cannot read \(p)") }
        let decoder = JSONDecoder()
        var out: [(String, Entry)] = []
        for (n, raw) in data.split(separator: 10).enumerated() {
            guard let e = try? decoder.decode(Entry.self, from: Data(raw)) else {
                throw RecoupError(.dataError, "\(p):\(n + 1): not an audit record")
            }
            if let since, e.time < since { continue }
            if let token, e.token != token && e.token_id != token { continue }
            if let account {
                if let ids = e.account_ids {
                    if !ids.contains(account) { continue }
                } else {
                    // Only a count and digest were kept for this line: it cannot name the account.
                    continue
                }
            }
            out.append((String(decoding: raw, as: UTF8.self), e))
        }
        return out
    }
}
