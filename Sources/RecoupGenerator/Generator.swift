import Foundation
import RecoupStore

/// What to generate.
public struct GeneratorConfig: Sendable {
    /// Number of accounts (1 ... 100,000,000).
    public var accounts: Int
    public var seed: UInt64
    /// The last day of the book (days since 1970-01-01): nothing is dated after it.
    public var end: Int32
    /// Worker threads (default: one per core); the output does not depend on it.
    public var threads: Int

    public static let defaultEnd: Int32 = CivilDate.days(year: 2025, month: 6, day: 30)
    public static let maxAccounts = 100_000_000

    public init(accounts: Int, seed: UInt64, end: Int32 = GeneratorConfig.defaultEnd, threads: Int? = nil) {
        self.accounts = accounts
        self.seed = seed
        self.end = end
        self.threads = max(1, threads ?? ProcessInfo.processInfo.activeProcessorCount)
    }
}

/// Rows and bytes written to one file.
public struct FileSummary: Sendable, Equatable {
    public let name: String
    public let rows: Int
    public let bytes: Int
}

/// What `generateBook` wrote.
public struct GeneratorSummary: Sendable, CustomStringConvertible {
    /// accounts.csv, contacts.csv, payments.csv, promises.csv, in that order.
    public let files: [FileSummary]
    /// Wall-clock seconds.
    public let elapsed: Double

    public var accounts: Int { files[0].rows }
    public var contacts: Int { files[1].rows }
    public var payments: Int { files[2].rows }
    public var promises: Int { files[3].rows }
    public var bytes: Int { files.reduce(0) { $0 + $1.bytes } }

    /// One line: rows per file, size and time.
    public var description: String {
        let parts = files.map { "\($0.name) \($0.rows) rows" }.joined(separator: ", ")
        let mb = (Double(bytes) / 100_000).rounded() / 10
        let secs = (elapsed * 100).rounded() / 100
        return "wrote \(parts) (\(mb) MB) in \(secs) s"
    }
}

/// Writes a synthetic book (accounts.csv, contacts.csv, payments.csv, promises.csv) into
/// `directory`, creating it if needed. Same config (threads aside) → identical bytes.
///
/// Errors: `RecoupError` of kind `.usage` for a bad config, `.cannotCreate` when the folder or a
/// file cannot be written. Files are written under temporary names and renamed at the end, so an
/// existing book is only replaced by a complete one.
public func generateBook(_ config: GeneratorConfig, to directory: String) throws -> GeneratorSummary {
    let started = DispatchTime.now().uptimeNanoseconds
    guard config.accounts >= 1 && config.accounts <= GeneratorConfig.maxAccounts else {
        throw RecoupError(.usage, "--accounts must be between 1 and \(GeneratorConfig.maxAccounts), got \(config.accounts)")
    }
    let minEnd = CivilDate.days(year: 1975, month: 1, day: 1)
    let maxEnd = CivilDate.days(year: 2099, month: 12, day: 31)
    guard config.end >= minEnd && config.end <= maxEnd else {
        throw RecoupError(.usage, "--end must be between 1975-01-01 and 2099-12-31, got \(CivilDate.format(config.end))")
    }
    let ctx = try BookContext(seed: config.seed, accounts: config.accounts, end: config.end)

    do {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    } catch {
        throw RecoupError(.cannotCreate, "cannot create output folder \(directory)", details: "\(error.localizedDescription)")
    }
    let tables = [Schema.accounts, Schema.contacts, Schema.payments, Schema.promises]
    let finalPaths = tables.map { (directory as NSString).appendingPathComponent($0.fileName) }
    let tempPaths = tables.map { (directory as NSString).appendingPathComponent("." + $0.fileName + ".partial") }
    var files: [UnsafeMutablePointer<FILE>] = []
    defer {
        for f in files { fclose(f) }
    }
    for path in tempPaths {
        guard let f = fopen(path, "wb") else {
            let reason = String(cString: strerror(errno))
            for t in tempPaths { unlink(t) }
            throw RecoupError(.cannotCreate, "cannot write \(path): \(reason)")
        }
        files.append(f)
    }
    func fail(_ path: String) -> RecoupError {
        let reason = String(cString: strerror(errno))
        for t in tempPaths { unlink(t) }
        return RecoupError(.cannotCreate, "cannot write \(path): \(reason)")
    }

    var bytes = [0, 0, 0, 0]
    var rows = [0, 0, 0, 0]
    for (k, t) in tables.enumerated() {
        let h = Headers.line(t)
        guard fwrite(h, 1, h.count, files[k]) == h.count else { throw fail(tempPaths[k]) }
        bytes[k] += h.count
    }

    let pipeline = Pipeline(context: ctx, threads: config.threads)
    pipeline.start()
    var ids = [0, 0, 0]  // last contact, payment, promise number written
    var failure: RecoupError?
    for k in 0..<pipeline.blockCount {
        let b = pipeline.take(k)
        patch(b.contacts, b.contactIdAt, &ids[0], ctx.eventWidth)
        patch(b.payments, b.paymentIdAt, &ids[1], ctx.eventWidth)
        patch(b.promises, b.promiseIdAt, &ids[2], ctx.eventWidth)
        rows[0] += b.accountRows
        rows[1] += b.contactIdAt.count
        rows[2] += b.paymentIdAt.count
        rows[3] += b.promiseIdAt.count
        let buffers = [b.accounts, b.contacts, b.payments, b.promises]
        for i in 0..<4 {
            if !buffers[i].write(to: files[i]) {
                failure = fail(tempPaths[i])
                break
            }
            bytes[i] += buffers[i].count
        }
        pipeline.release(b)
        if failure != nil { break }
    }
    pipeline.finish()
    if let failure { throw failure }

    for i in 0..<4 {
        let f = files[i]
        files[i] = fopen("/dev/null", "r")  // placeholder so the deferred fclose stays balanced
        if fclose(f) != 0 { throw fail(tempPaths[i]) }
    }
    for i in 0..<4 where rename(tempPaths[i], finalPaths[i]) != 0 {
        throw fail(finalPaths[i])
    }
    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
    let summary = (0..<4).map { FileSummary(name: tables[$0].fileName, rows: rows[$0], bytes: bytes[$0]) }
    return GeneratorSummary(files: summary, elapsed: elapsed)
}

private func patch(_ buffer: ByteBuffer, _ positions: [Int32], _ last: inout Int, _ width: Int) {
    var n = last
    for pos in positions {
        n += 1
        buffer.patch(at: Int(pos), value: n, width: width)
    }
    last = n
}

/// Worker threads simulate blocks of consecutive accounts; the calling thread takes the blocks in
/// order and writes them. At most `window` blocks are in flight, so memory stays bounded.
final class Pipeline: @unchecked Sendable {
    static let blockSize = 2048

    let ctx: BookContext
    let threads: Int
    let blockCount: Int
    let window: Int
    private let cond = NSCondition()
    private var nextToGenerate = 0
    private var consumed = 0
    private var stopped = false
    private var running = 0
    private var slots: [Block?]
    private var spare: [Block] = []

    init(context: BookContext, threads: Int) {
        ctx = context
        self.threads = threads
        blockCount = (context.accounts + Self.blockSize - 1) / Self.blockSize
        window = max(4, threads * 3)
        slots = Array(repeating: nil, count: window)
    }

    func start() {
        running = threads
        for _ in 0..<threads {
            let t = Thread { [self] in self.work() }
            t.stackSize = 1 << 22
            t.start()
        }
    }

    private func work() {
        var sim = AccountSimulator(context: ctx.privateCopy())
        while true {
            cond.lock()
            while !stopped && nextToGenerate < blockCount && nextToGenerate - consumed >= window { cond.wait() }
            if stopped || nextToGenerate >= blockCount {
                running -= 1
                cond.broadcast()
                cond.unlock()
                return
            }
            let k = nextToGenerate
            nextToGenerate += 1
            let block = spare.popLast() ?? Block()
            cond.unlock()

            block.reset()
            let lo = k * Self.blockSize
            let hi = min(ctx.accounts, lo + Self.blockSize)
            for i in lo..<hi {
                sim.simulate(i)
                sim.write(i, into: block)
            }

            cond.lock()
            slots[k % window] = block
            cond.broadcast()
            cond.unlock()
        }
    }

    /// Block k, once generated (blocks must be taken in order).
    func take(_ k: Int) -> Block {
        cond.lock()
        defer { cond.unlock() }
        while slots[k % window] == nil { cond.wait() }
        let b = slots[k % window]!
        slots[k % window] = nil
        return b
    }

    func release(_ b: Block) {
        cond.lock()
        consumed += 1
        spare.append(b)
        cond.broadcast()
        cond.unlock()
    }

    /// Stops the workers (if still running) and waits for them.
    func finish() {
        cond.lock()
        stopped = true
        cond.broadcast()
        while running > 0 { cond.wait() }
        cond.unlock()
    }
}
