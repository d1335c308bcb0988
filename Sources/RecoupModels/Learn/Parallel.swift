import Dispatch

/// Runs independent pieces of work on up to `threads` cores. Callers give each piece its own output
/// slot and combine the slots in a fixed order afterwards, so results never depend on thread timing.
enum Parallel {
    static func forEach(_ iterations: Int, threads: Int, _ body: (Int) -> Void) {
        if threads <= 1 || iterations <= 1 {
            for i in 0..<iterations { body(i) }
            return
        }
        if iterations <= threads {
            DispatchQueue.concurrentPerform(iterations: iterations, execute: body)
            return
        }
        // Contiguous chunks of iterations, one per thread.
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            let lo = iterations * t / threads, hi = iterations * (t + 1) / threads
            for i in lo..<hi { body(i) }
        }
    }
}
