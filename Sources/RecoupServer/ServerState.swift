import Foundation
import Hummingbird
import Logging
import RecoupModels
import RecoupQuery
import RecoupStore

/// The latest score set, each score's API JSON written once into one buffer; a score is a slice of it.
public struct ScoreIndex: Sendable {
    struct Span: Sendable {
        var offset: Int32
        var length: Int32
    }

    public let number: Int
    public let modelVersion: String
    public let asOf: String
    public let storeCommit: Int
    let blob: ByteBuffer
    let spans: [String: Span]

    public var count: Int { spans.count }

    init(_ set: ScoreSet, number: Int) {
        self.number = number
        modelVersion = set.model_version
        asOf = set.as_of
        storeCommit = set.store_commit
        var blob = ByteBufferAllocator().buffer(capacity: set.scores.count * 600)
        var spans: [String: Span] = [:]
        spans.reserveCapacity(set.scores.count)
        for s in set.scores {
            let start = blob.writerIndex
            blob.writeString(s.json)
            spans[s.account_id] = Span(offset: Int32(start), length: Int32(blob.writerIndex - start))
        }
        self.blob = blob
        self.spans = spans
    }

    func span(_ id: String) -> Span? { spans[id] }

    /// The score's JSON (a slice sharing the buffer: no copy).
    func json(_ id: String) -> ByteBuffer? {
        guard let s = spans[id] else { return nil }
        return blob.getSlice(at: Int(s.offset), length: Int(s.length))
    }

    /// Appends the JSON of these spans, comma-separated.
    func write(_ spans: ArraySlice<Span>, into out: inout ByteBuffer) {
        blob.withUnsafeReadableBytes { all in
            var first = true
            for s in spans {
                if !first { out.writeInteger(UInt8(ascii: ",")) }
                first = false
                out.writeBytes(UnsafeRawBufferPointer(rebasing: all[Int(s.offset)..<Int(s.offset + s.length)]))
            }
        }
    }
}

/// Everything one request reads, built together and never changed: the store snapshot, the scores and the
/// queues materialized from both. A new commit or score file makes a new state, swapped in whole.
public final class ServerState: Sendable {
    public let snapshot: Snapshot
    public let scores: ScoreIndex?
    public let queues: [String: MaterializedQueue]
    public let queueOrder: [String]
    public let loadedAt: Date

    init(snapshot: Snapshot, scores: ScoreIndex?, queues: [MaterializedQueue]) {
        self.snapshot = snapshot
        self.scores = scores
        self.queues = Dictionary(uniqueKeysWithValues: queues.map { ($0.definition.name, $0) })
        queueOrder = queues.map(\.definition.name)
        loadedAt = Date()
    }

    public var commit: Int { snapshot.commit }
    public var modelVersion: String? { scores?.modelVersion }
}

/// What is on disk now: the latest commit, score file and token file stamp.
struct DiskMarks: Equatable {
    var commit: Int?
    var scoreNumber: Int?
    var tokensStamp: String?

    static func read(store: String) -> DiskMarks {
        func highest(_ dir: String, suffixes: [String]) -> Int? {
            ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).compactMap { name in
                suffixes.first(where: name.hasSuffix).flatMap { Int(name.dropLast($0.count)) }
            }.max()
        }
        var st = stat()
        let tokens = stat(TokenStore.path(store: store), &st) == 0 ? "\(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec).\(st.st_size).\(st.st_ino)" : nil
        // Score files: the rule of `ScoreFiles` (NNNNNN.scores, or NNNNNN.json of earlier versions).
        return DiskMarks(
            commit: highest(store + "/manifests", suffixes: [".json"]),
            scoreNumber: ScoreFiles.numbered(store).last?.number, tokensStamp: tokens)
    }
}

/// Holds the current state and token table; `refresh()` builds a new state when the disk changed.
public final class StateHolder: @unchecked Sendable {
    public let store: String
    public let queueDefinitions: [QueueDefinition]
    let logger: Logger
    private let lock = NSLock()
    private var _state: ServerState
    private var _tokens: TokenTable
    private var marks: DiskMarks
    private let refreshLock = NSLock()

    public init(store: String, queues: [QueueDefinition], logger: Logger) throws {
        self.store = store
        queueDefinitions = queues
        self.logger = logger
        let m = DiskMarks.read(store: store)
        _state = try Self.build(store: store, queues: queues, previous: nil, scoreNumber: m.scoreNumber, logger: logger)
        _tokens = TokenTable(try TokenStore.load(store: store))
        marks = m
    }

    /// The state a request reads from start to end.
    public var state: ServerState {
        lock.lock()
        defer { lock.unlock() }
        return _state
    }

    public var tokens: TokenTable {
        lock.lock()
        defer { lock.unlock() }
        return _tokens
    }

    /// Looks at the disk; when a commit, a score file or the tokens changed, loads them and swaps them in.
    /// Returns true when the state changed. Errors leave the current state serving.
    @discardableResult
    public func refresh() -> Bool {
        refreshLock.lock()
        defer { refreshLock.unlock() }
        let m = DiskMarks.read(store: store)
        var changed = false
        if m.tokensStamp != marks.tokensStamp {
            do {
                let t = TokenTable(try TokenStore.load(store: store))
                lock.lock(); _tokens = t; lock.unlock()
                marks.tokensStamp = m.tokensStamp
                logger.info("tokens reloaded")
            } catch {
                logger.error("cannot reload tokens", metadata: ["error": "\(error)"])
            }
        }
        if m.commit != marks.commit || m.scoreNumber != marks.scoreNumber {
            let start = Date()
            do {
                let s = try Self.build(store: store, queues: queueDefinitions, previous: state, scoreNumber: m.scoreNumber, logger: logger)
                lock.lock(); _state = s; lock.unlock()
                marks.commit = m.commit
                marks.scoreNumber = m.scoreNumber
                changed = true
                logger.info("new state", metadata: [
                    "store_commit": "\(s.commit)", "model_version": "\(s.modelVersion ?? "none")",
                    "seconds": "\(String(format: "%.2f", Date().timeIntervalSince(start)))",
                ])
            } catch {
                logger.error("cannot load the new commit or scores; serving the previous state", metadata: ["error": "\(error)"])
            }
        }
        return changed
    }

    static func build(store: String, queues: [QueueDefinition], previous: ServerState?, scoreNumber: Int?, logger: Logger) throws -> ServerState {
        let snapshot = try Store.open(store, commit: nil)
        var scores: ScoreIndex?
        if let previous, let prev = previous.scores, prev.number == scoreNumber {
            scores = prev
        } else if let n = scoreNumber, let set = try ScoreSet.latest(store: store) {
            scores = ScoreIndex(set, number: n)
        }
        var built: [MaterializedQueue] = []
        for q in queues {
            do {
                built.append(try MaterializedQueue.build(q, snapshot: snapshot, scores: scores, timeLimit: 600))
            } catch let e as RecoupQuery.QueryError {
                let text = scores == nil ? q.checkQuery : q.query
                throw RecoupError(.dataError, "queue `\(q.name)`: \(e.message)", details: e.render(text, name: "queue \(q.name)"))
            }
        }
        return ServerState(snapshot: snapshot, scores: scores, queues: built)
    }
}
