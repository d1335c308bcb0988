import Crypto
import Foundation
import RecoupStore

/// What a token may do (API.md). `admin` may do everything.
public enum Scope: String, CaseIterable, Sendable, Codable {
    case scoresRead = "scores:read"
    case queryRun = "query:run"
    case reportsRead = "reports:read"
    case admin
}

/// One API token as stored: never the secret, only a salt and SHA-256(salt ‖ secret).
public struct StoredToken: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var scopes: [String]
    public var created: String
    public var revoked: String?
    /// Hex.
    public var salt: String
    /// Hex SHA-256 of the salt bytes followed by the secret's UTF-8 bytes.
    public var hash: String

    public var isRevoked: Bool { revoked != nil }

    public func allows(_ scope: Scope) -> Bool {
        scopes.contains(Scope.admin.rawValue) || scopes.contains(scope.rawValue)
    }
}

/// `<store>/api/tokens.json`: the tokens, written whole via a temporary file and a rename.
/// Token text is `rcp_<id>_<secret>`: the id finds the record, the secret is checked by hash in constant time.
public enum TokenStore {
    public static func path(store: String) -> String { store + "/api/tokens.json" }

    struct File: Codable { var tokens: [StoredToken] }

    public static func load(store: String) throws -> [StoredToken] {
        let p = path(store: store)
        guard let data = FileManager.default.contents(atPath: p) else { return [] }
        do { return try JSONDecoder().decode(File.self, from: data).tokens } catch {
            throw RecoupError(.dataError, "\(p) is not a readable token file: \(error)")
        }
    }

    static func save(_ tokens: [StoredToken], store: String) throws {
        let p = path(store: store)
        let dir = (p as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let data = try encoder.encode(File(tokens: tokens))
            let tmp = dir + "/.tokens.json.\(getpid()).tmp"
            guard FileManager.default.createFile(atPath: tmp, contents: data, attributes: [.posixPermissions: 0o600]) else {
                throw RecoupError(.cannotCreate, "cannot write \(tmp)")
            }
            let fd = open(tmp, O_RDONLY)
            if fd >= 0 { fsync(fd); close(fd) }
            guard rename(tmp, p) == 0 else { throw RecoupError(.cannotCreate, "cannot rename \(tmp) to \(p)") }
        } catch let e as RecoupError {
            throw e
        } catch {
            throw RecoupError(.cannotCreate, "cannot write \(p): \(error.localizedDescription)")
        }
    }

    /// Creates a token and returns its record and the token text (shown once, never stored).
    public static func create(store: String, name: String, scopes: [String], now: Date = Date()) throws -> (StoredToken, String) {
        guard !name.isEmpty, name.utf8.count <= 64, !name.contains(where: { $0.isNewline || $0 == "\t" }) else {
            throw RecoupError(.usage, "--name: expected 1 to 64 characters without line breaks")
        }
        guard !scopes.isEmpty else {
            throw RecoupError(.usage, "give at least one --scope", details: "scopes: " + Scope.allCases.map(\.rawValue).joined(separator: ", "))
        }
        for s in scopes where Scope(rawValue: s) == nil {
            let hint = Suggest.closest(s, in: Scope.allCases.map(\.rawValue)).map { "; did you mean `\($0)`?" } ?? ""
            throw RecoupError(.usage, "unknown scope `\(s)`\(hint)", details: "scopes: " + Scope.allCases.map(\.rawValue).joined(separator: ", "))
        }
        var tokens = try load(store: store)
        if tokens.contains(where: { $0.name == name && !$0.isRevoked }) {
            throw RecoupError(.usage, "a token named `\(name)` exists already; revoke it first or choose another name")
        }
        var id = hex(randomBytes(6))
        while tokens.contains(where: { $0.id == id }) { id = hex(randomBytes(6)) }
        let secret = hex(randomBytes(24))
        let salt = randomBytes(16)
        let record = StoredToken(
            id: id, name: name, scopes: Array(Set(scopes)).sorted(), created: Timestamp.iso(now), revoked: nil,
            salt: hex(salt), hash: digest(salt: salt, secret: secret))
        tokens.append(record)
        try save(tokens, store: store)
        return (record, "rcp_\(id)_\(secret)")
    }

    /// Revokes the live token with this name or id; returns it.
    public static func revoke(store: String, nameOrID: String, now: Date = Date()) throws -> StoredToken {
        var tokens = try load(store: store)
        guard let i = tokens.firstIndex(where: { ($0.id == nameOrID || $0.name == nameOrID) && !$0.isRevoked }) else {
            throw RecoupError(.noInput, "no live token with name or id `\(nameOrID)`")
        }
        tokens[i].revoked = Timestamp.iso(now)
        try save(tokens, store: store)
        return tokens[i]
    }

    static func digest(salt: [UInt8], secret: some StringProtocol) -> String {
        var h = SHA256()
        h.update(data: salt)
        h.update(data: Array(secret.utf8))
        return hex(Array(h.finalize()))
    }

    static func randomBytes(_ n: Int) -> [UInt8] {
        var g = SystemRandomNumberGenerator()
        return (0..<n).map { _ in UInt8.random(in: 0...255, using: &g) }
    }

    static func hex<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func unhex(_ s: String) -> [UInt8]? {
        let u = Array(s.utf8)
        guard u.count % 2 == 0 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: c - 48
            case 97...102: c - 87
            case 65...70: c - 55
            default: nil
            }
        }
        var out = [UInt8]()
        var i = 0
        while i < u.count {
            guard let hi = nibble(u[i]), let lo = nibble(u[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }
}

/// The tokens the server checks requests against, by id.
public struct TokenTable: Sendable {
    struct Entry: Sendable {
        var record: StoredToken
        var salt: [UInt8]
        var hash: [UInt8]
    }

    let byID: [String: Entry]

    public init(_ tokens: [StoredToken]) {
        var d: [String: Entry] = [:]
        for t in tokens where !t.isRevoked {
            guard let salt = TokenStore.unhex(t.salt), let hash = TokenStore.unhex(t.hash) else { continue }
            d[t.id] = Entry(record: t, salt: salt, hash: hash)
        }
        byID = d
    }

    /// The live token this text names, or nil (unknown id, wrong secret, revoked, malformed).
    public func verify(_ text: Substring) -> StoredToken? {
        guard text.hasPrefix("rcp_") else { return nil }
        let rest = text.dropFirst(4)
        guard let us = rest.firstIndex(of: "_") else { return nil }
        let id = String(rest[..<us])
        let secret = rest[rest.index(after: us)...]
        guard let e = byID[id] else { return nil }
        var h = SHA256()
        h.update(data: e.salt)
        h.update(data: Array(secret.utf8))
        let got = Array(h.finalize())
        guard got.count == e.hash.count else { return nil }
        var diff: UInt8 = 0
        for i in 0..<got.count { diff |= got[i] ^ e.hash[i] }
        return diff == 0 ? e.record : nil
    }
}

/// UTC timestamps `YYYY-MM-DDTHH:MM:SS.mmmZ` without a DateFormatter.
enum Timestamp {
    static func iso(_ date: Date) -> String {
        let t = date.timeIntervalSince1970
        let secs = Int64(t.rounded(.down))
        let ms = Int((t - Double(secs)) * 1000)
        let day = CivilDate.day(ofSeconds: secs)
        let s = Int(secs - Int64(day) * 86400)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let msText = ms < 10 ? "00\(ms)" : ms < 100 ? "0\(ms)" : "\(ms)"
        return CivilDate.format(day) + "T" + two(s / 3600) + ":" + two(s / 60 % 60) + ":" + two(s % 60) + "." + msText + "Z"
    }
}
