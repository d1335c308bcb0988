import Foundation

extension APIServer {
    /// Runs blocking work (a query, a KPI) on a thread outside Swift's cooperative pool, answering 503
    /// when it outlasts `timeout` seconds (`onTimeout` may stop the work).
    func offload<T: Sendable>(timeout: Double, onTimeout: @escaping @Sendable () -> Void, _ work: @escaping @Sendable () throws -> T) async throws -> T {
        let once = ResumeOnce<T>()
        return try await withCheckedThrowingContinuation { (c: CheckedContinuation<T, any Error>) in
            once.set(c)
            DispatchQueue.global().async { once.resume(Result { try work() }) }
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
                if once.resume(.failure(APIError(.serviceUnavailable, "request_timeout", "the request took longer than \(timeout) s"))) {
                    onTimeout()
                }
            }
        }
    }

    static func blocking<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { c in DispatchQueue.global().async { c.resume(returning: work()) } }
    }
}

/// A continuation resumed by whichever of two racers comes first.
final class ResumeOnce<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, any Error>?
    private var result: Result<T, any Error>?

    func set(_ c: CheckedContinuation<T, any Error>) {
        lock.lock()
        if let result { lock.unlock(); c.resume(with: result); return }
        continuation = c
        lock.unlock()
    }

    /// True when this call resumed it.
    @discardableResult
    func resume(_ r: Result<T, any Error>) -> Bool {
        lock.lock()
        if result != nil { lock.unlock(); return false }
        result = r
        let c = continuation
        continuation = nil
        lock.unlock()
        c?.resume(with: r)
        return true
    }
}
