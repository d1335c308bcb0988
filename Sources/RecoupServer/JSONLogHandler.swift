import Foundation
import Logging
import RecoupStore

/// swift-log handler writing one JSON object a line to standard error: time, level, label, message and
/// the metadata as members.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    let label: String
    private static let lock = NSLock()

    public init(label: String) { self.label = label }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        write(level: event.level, message: event.message, extra: event.metadata)
    }

    public func log(level: Logger.Level, message: Logger.Message, metadata extra: Logger.Metadata?, source: String, file: String, function: String, line: UInt) {
        write(level: level, message: message, extra: extra)
    }

    private func write(level: Logger.Level, message: Logger.Message, extra: Logger.Metadata?) {
        var s = "{\"time\":" + JSON.string(Timestamp.iso(Date())) + ",\"level\":" + JSON.string(level.rawValue)
            + ",\"logger\":" + JSON.string(label) + ",\"message\":" + JSON.string(message.description)
        for (k, v) in metadata.merging(extra ?? [:], uniquingKeysWith: { $1 }).sorted(by: { $0.key < $1.key }) {
            s += "," + JSON.string(k) + ":" + JSON.string("\(v)")
        }
        s += "}\n"
        Self.lock.lock()
        FileHandle.standardError.write(Data(s.utf8))
        Self.lock.unlock()
    }
}
