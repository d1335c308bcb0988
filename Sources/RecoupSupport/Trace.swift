import Foundation

/// Phase timings on standard error when `RECOUP_TRACE=1`, for finding where time goes.
public enum Trace {
    public static let enabled = ProcessInfo.processInfo.environment["RECOUP_TRACE"] == "1"
    nonisolated(unsafe) private static var last = Date()

    public static func mark(_ phase: @autoclosure () -> String) {
        guard enabled else { return }
        let now = Date()
        FileHandle.standardError.write(Data(String(format: "[trace] %7.3f s  %@\n", now.timeIntervalSince(last), phase()).utf8))
        last = now
    }
}
