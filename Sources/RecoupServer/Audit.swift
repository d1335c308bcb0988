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
    public var line: String { String(decoding: bytes, as: UTF8.self) }

    /// One JSON line, as bytes (written without building Strings: a queue page lists 100 ids).
    public var bytes: [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(256 + min(accountIDs.count, Self.maxListedIDs) * 16)
        func raw(_ s: String) { out.append(contentsOf: s.utf8) }
        func str(_ s: String?) {
            if let s { JSON.append(s, to: &out) } else { raw("null") }
        }
        raw("{\"time\":"); str(Timestamp.iso(time))
        raw(",\"token\":"); str(token)
        raw(",\"token_id\":"); str(tokenID)
        raw(",\"method\":"); str(method)
        raw(",\"path\":"); str(path)
        raw(",\"status\":"); raw(String(status))
        raw(",\"as_of\":"); str(asOf)
        raw(",\"model_version\":"); str(modelVersion)
        raw(",\"store_commit\":"); raw(storeCommit.map(String.init) ?? "null")
        raw(",\"count\":"); raw(String(accountIDs.count))
        if accountIDs.count <= Self.maxListedIDs {
            raw(",\"account_ids\":[")
            for (i, id) in accountIDs.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                JSON.append(id, to: &out)
            }
            raw("]")
        } else {
            raw(",\"digest\":"); str("sha256:" + Self.digest(accountIDs))
        }
        raw("}\n")
        return out
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

/// When a request that returned account data may answer, relative to its audit line.
public enum AuditDurability: String, Sendable, CaseIterable {
    /// The line is written (in the kernel: it survives the server's crash) before the response; a
    /// background thread fsyncs continuously, so a power loss can lose the last few milliseconds.
    case written
    /// The response also waits for the fsync that covers its line (group commit).
    case synced
}

/// `<store>/api/audit.log`: append-only JSON lines. Each record is appended with one `write` on an
/// `O_APPEND` descriptor; one thread `fsync`s whenever lines were added since its last `fsync`, so one
/// fsync covers every line written meanwhile.
public final class AuditLog: @unchecked Sendable {
    public let path: String
    public let durability: AuditDurability
    private let fd: Int32
    private let writeLock = NSLock()
    private let condition = NSCondition()
    /// Lines written and lines known to be on disk (guarded by `condition`).
    private var written: UInt64 = 0
    private var synced: UInt64 = 0
    private var waiters: [(UInt64, CheckedContinuation<Void, Never>)] = []
    private var stopped = false

    public static func path(store: String) -> String { store + "/api/audit.log" }

    public init(store: String, durability: AuditDurability = .written) throws {
        path = Self.path(store: store)
        self.durability = durability
        let dir = store + "/api"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw RecoupError(.cannotCreate, "cannot open the audit log \(path): \(String(cString: strerror(errno)))") }
        let t = Thread { [self] in syncLoop() }
        t.name = "recoup-audit"
        t.start()
    }

    deinit { close(fd) }

    /// Appends the record; returns once it is written (`.written`) or on disk (`.synced`).
    public func append(_ record: AuditRecord) async {
        let mine = writeLine(record.bytes)
        if durability == .written { return }
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in resume(c, whenSynced: mine) }
    }

    /// Writes one line; returns its number.
    private func writeLine(_ bytes: [UInt8]) -> UInt64 {
        writeLock.lock()
        bytes.withUnsafeBytes { p in
            var off = 0
            while off < p.count {
                let n = write(fd, p.baseAddress! + off, p.count - off)
                if n < 0 { if errno == EINTR { continue }; break }
                off += n
            }
        }
        writeLock.unlock()
        condition.lock()
        written += 1
        let mine = written
        condition.signal()
        condition.unlock()
        return mine
    }

    private func resume(_ c: CheckedContinuation<Void, Never>, whenSynced line: UInt64) {
        condition.lock()
        if synced >= line {
            condition.unlock()
            c.resume()
        } else {
            waiters.append((line, c))
            condition.unlock()
        }
    }

    /// Ends the sync thread after one last fsync.
    public func stop() {
        condition.lock()
        stopped = true
        condition.signal()
        condition.unlock()
    }

    private func syncLoop() {
        while true {
            condition.lock()
            while synced == written && !stopped { condition.wait() }
            let target = written
            let stop = stopped
            condition.unlock()
            if target > synced || stop { fsync(fd) }
            condition.lock()
            synced = max(synced, target)
            let ready = waiters.filter { $0.0 <= synced }
            waiters.removeAll { $0.0 <= synced }
            let done = stopped && synced == written
            condition.unlock()
            for w in ready { w.1.resume() }
            if done { return }
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
