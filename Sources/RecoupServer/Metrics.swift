import CoreMetrics
import Foundation
import Hummingbird
import Metrics
import Prometheus

/// Request counts and latency histograms by route, method and status (swift-metrics onto a Prometheus
/// registry of this server's own, so several servers in one process, as in tests, do not mix).
public final class ServerMetrics: @unchecked Sendable {
    public let registry = PrometheusCollectorRegistry()
    let factory: PrometheusMetricsFactory
    private let lock = NSLock()
    private var instruments: [String: (CoreMetrics.Counter, CoreMetrics.Timer)] = [:]

    public init() {
        var f = PrometheusMetricsFactory(registry: registry)
        f.defaultDurationHistogramBuckets = [
            .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
            .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
            .seconds(2), .seconds(5), .seconds(10), .seconds(30),
        ]
        factory = f
    }

    func record(route: String, method: String, status: Int, nanoseconds: Int64) {
        let key = route + " " + method + " " + String(status)
        lock.lock()
        let pair: (CoreMetrics.Counter, CoreMetrics.Timer)
        if let p = instruments[key] {
            pair = p
        } else {
            let dims = [("route", route), ("method", method), ("status", String(status))]
            pair = (
                CoreMetrics.Counter(label: "recoup_http_requests_total", dimensions: dims, factory: factory),
                CoreMetrics.Timer(label: "recoup_http_request_duration_seconds", dimensions: dims, factory: factory)
            )
            instruments[key] = pair
        }
        lock.unlock()
        pair.0.increment()
        pair.1.recordNanoseconds(nanoseconds)
    }

    /// The Prometheus text exposition, with gauges of what the state serves.
    public func render(state: ServerState) -> String {
        registry.makeGauge(name: "recoup_store_commit").set(to: Double(state.commit))
        registry.makeGauge(name: "recoup_scores_loaded").set(to: Double(state.scores?.count ?? 0))
        for name in state.queueOrder {
            registry.makeGauge(name: "recoup_queue_accounts", labels: [("queue", name)]).set(to: Double(state.queues[name]?.count ?? 0))
        }
        return registry.emitToString()
    }
}

/// Times every request and counts it under its route pattern (not the raw path, so ids do not explode
/// the label set).
struct MetricsRecorder<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = DispatchTime.now().uptimeNanoseconds
        let method = request.method.rawValue
        do {
            let response = try await next(request, context)
            let elapsed = Int64(DispatchTime.now().uptimeNanoseconds - start)
            metrics.record(route: context.endpointPath ?? "unmatched", method: method, status: response.status.code, nanoseconds: elapsed)
            return response
        } catch {
            let elapsed = Int64(DispatchTime.now().uptimeNanoseconds - start)
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            metrics.record(route: context.endpointPath ?? "unmatched", method: method, status: status, nanoseconds: elapsed)
            throw error
        }
    }
}
