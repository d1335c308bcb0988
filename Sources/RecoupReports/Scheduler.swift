import Foundation
import RecoupKPI
import RecoupStore

/// Runs reports into a folder or into the store's history, and the schedule's catch-up passes.
public enum ReportService {
    /// One finished run.
    public struct Run: Sendable {
        public var result: ReportResult
        public var directory: String
        public var durationMs: Int
    }

    /// Runs `def` as of `asOf` and writes it to `out`, or, without `out`, into the store's history
    /// (then `index.html` is rewritten and a line appended to `schedule.log`).
    public static func run(_ def: ReportDefinition, snapshot: Snapshot, asOf: Int32, out: String?, now: Date = Date(),
                           trigger: String = "manual") throws -> Run {
        let t0 = Date()
        let result = ReportRunner.run(def, snapshot: snapshot, asOf: asOf, now: now)
        let history = ReportHistory(store: snapshot.root)
        let dir = out ?? history.runDirectory(name: def.name, asOf: asOf)
        let ms = Int(Date().timeIntervalSince(t0) * 1000)
        // A rerun into the history replaces the earlier files of that period (its sections may differ).
        if out == nil && FileManager.default.fileExists(atPath: dir) { try? FileManager.default.removeItem(atPath: dir) }
        do {
            try ReportFiles.write(result, to: dir)
        } catch let e as RecoupError {
            if out == nil { history.log(time: stamp(now), name: def.name, asOf: asOf, status: "failed", durationMs: ms, path: nil, trigger: trigger, error: e.message) }
            throw e
        }
        if out == nil {
            try history.writeIndex()
            let status = result.failedSections == 0 ? "ok" : "ok with \(result.failedSections) failed section\(result.failedSections == 1 ? "" : "s")"
            history.log(time: stamp(now), name: def.name, asOf: asOf, status: status, durationMs: ms, path: dir + "/report.html", trigger: trigger)
        }
        return Run(result: result, directory: dir, durationMs: ms)
    }

    static func stamp(_ d: Date) -> String { Schedule.format(Int64(d.timeIntervalSince1970), offset: 0) }
}

/// `recoup schedule`: which runs are due, and running them once each.
public enum ReportScheduler {
    /// What a catch-up pass decided for one definition.
    public struct Decision: Sendable {
        public var name: String
        /// The scheduled instant whose run this is.
        public var scheduled: Int64
        public var asOf: Int32
        /// nil when the period already had a run.
        public var run: ReportService.Run?
        public var error: String?
    }

    /// For each scheduled definition, the most recent scheduled time at or before `now`; when its
    /// period (as-of date) has no run in the history yet, it runs once. A period is never run twice.
    public static func catchUp(_ defs: [ReportDefinition], store: String, now: Date) -> [Decision] {
        let t = Int64(now.timeIntervalSince1970.rounded(.down))
        let history = ReportHistory(store: store)
        var out: [Decision] = []
        var snapshot: Snapshot?
        for def in defs {
            guard let schedule = def.schedule, let due = schedule.previous(atOrBefore: t) else { continue }
            do {
                if snapshot == nil { snapshot = try Store.open(store) }
                let snap = snapshot!
                let asOf = try def.asOf.evaluate(today: schedule.localDay(due)) { try KPIRunner.defaultAsOf(snap) }
                if history.hasRun(name: def.name, asOf: asOf) {
                    out.append(Decision(name: def.name, scheduled: due, asOf: asOf, run: nil, error: nil))
                    continue
                }
                let run = try ReportService.run(def, snapshot: snap, asOf: asOf, out: nil, now: now, trigger: "schedule")
                out.append(Decision(name: def.name, scheduled: due, asOf: asOf, run: run, error: nil))
            } catch {
                let message = (error as? RecoupError)?.message ?? "\(error)"
                history.log(time: ReportService.stamp(now), name: def.name, asOf: nil, status: "failed", durationMs: 0, path: nil, trigger: "schedule", error: message)
                out.append(Decision(name: def.name, scheduled: due, asOf: 0, run: nil, error: message))
            }
        }
        return out
    }

    /// The next instant after `now` at which any definition is scheduled, with the definitions due then.
    public static func nextDue(_ defs: [ReportDefinition], after now: Date) -> (time: Int64, names: [String])? {
        let t = Int64(now.timeIntervalSince1970.rounded(.down))
        var best: (Int64, [String])?
        for def in defs {
            guard let n = def.schedule?.next(after: t) else { continue }
            if best == nil || n < best!.0 { best = (n, [def.name]) } else if n == best!.0 { best!.1.append(def.name) }
        }
        return best.map { (time: $0.0, names: $0.1) }
    }
}
