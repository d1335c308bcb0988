import Foundation
import RecoupStore

/// A five-field cron expression: minute, hour, day of month, month, day of week, with `*`, lists,
/// ranges, steps and names (`jan`, `mon`), and the macros `@hourly`, `@daily`, `@weekly`, `@monthly`,
/// `@yearly`. As in Vixie cron, when both day of month and day of week are restricted (neither starts
/// with `*`), a day matches when either matches.
public struct CronExpression: Equatable, Sendable, CustomStringConvertible {
    public let text: String
    let minutes: [Bool]     // 0...59
    let hours: [Bool]       // 0...23
    let daysOfMonth: [Bool] // 1...31 at index 1...
    let months: [Bool]      // 1...12 at index 1...
    let daysOfWeek: [Bool]  // 0...6, Sunday = 0
    let domRestricted: Bool
    let dowRestricted: Bool

    public var description: String { text }

    static let monthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    static let dayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
    static let macros = ["@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *",
                         "@weekly": "0 0 * * 0", "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *"]

    /// A cron syntax error: what is wrong and in which field.
    public struct ParseError: Error, CustomStringConvertible, Sendable {
        public let message: String
        public var description: String { message }
    }

    public init(_ text: String) throws {
        self.text = text
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let expanded = Self.macros[trimmed.lowercased()] ?? trimmed
        let fields = expanded.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard fields.count == 5 else {
            throw ParseError(message: "cron `\(text)` has \(fields.count) fields; expected 5 (minute hour day-of-month month day-of-week)")
        }
        minutes = try Self.field(fields[0], name: "minute", range: 0...59, names: [])
        hours = try Self.field(fields[1], name: "hour", range: 0...23, names: [])
        daysOfMonth = try Self.field(fields[2], name: "day of month", range: 1...31, names: [])
        months = try Self.field(fields[3], name: "month", range: 1...12, names: Self.monthNames, nameBase: 1)
        var dow = try Self.field(fields[4], name: "day of week", range: 0...7, names: Self.dayNames)
        if dow[7] { dow[0] = true }
        daysOfWeek = Array(dow[0...6])
        domRestricted = !fields[2].hasPrefix("*")
        dowRestricted = !fields[4].hasPrefix("*")
    }

    /// One field as a membership table indexed by value (0 ... range.upperBound).
    static func field(_ text: String, name: String, range: ClosedRange<Int>, names: [String], nameBase: Int = 0) throws -> [Bool] {
        var set = [Bool](repeating: false, count: range.upperBound + 1)
        func value(_ s: Substring) throws -> Int {
            if let v = Int(s) {
                guard range.contains(v) else {
                    throw ParseError(message: "cron \(name) `\(s)` is out of range \(range.lowerBound)-\(range.upperBound)")
                }
                return v
            }
            if let i = names.firstIndex(of: s.lowercased()) { return i + nameBase }
            throw ParseError(message: "cron \(name) `\(s)` is not a number" + (names.isEmpty ? "" : " or a name (\(names.joined(separator: ", ")))"))
        }
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard !part.isEmpty else { throw ParseError(message: "cron \(name) `\(text)` has an empty list item") }
            let pieces = part.split(separator: "/", omittingEmptySubsequences: false)
            guard pieces.count <= 2 else { throw ParseError(message: "cron \(name) `\(part)` has more than one step") }
            var step = 1
            if pieces.count == 2 {
                guard let s = Int(pieces[1]), s > 0 else { throw ParseError(message: "cron \(name) step `\(pieces[1])` must be a positive number") }
                step = s
            }
            let lo: Int, hi: Int
            if pieces[0] == "*" {
                lo = range.lowerBound; hi = range.upperBound == 7 ? 6 : range.upperBound
            } else if let dash = pieces[0].firstIndex(of: "-") {
                lo = try value(pieces[0][..<dash])
                hi = try value(pieces[0][pieces[0].index(after: dash)...])
                guard lo <= hi else { throw ParseError(message: "cron \(name) range `\(pieces[0])` runs backwards") }
            } else {
                lo = try value(pieces[0])
                hi = pieces.count == 2 ? (range.upperBound == 7 ? 6 : range.upperBound) : lo
            }
            for v in stride(from: lo, through: hi, by: step) { set[v] = true }
        }
        return set
    }

    /// Whether the civil day (days since 1970-01-01) matches the day-of-month, month and day-of-week fields.
    public func matches(day: Int32) -> Bool {
        let c = CivilDate.civil(day)
        guard months[c.month] else { return false }
        let dom = daysOfMonth[c.day]
        let dow = daysOfWeek[(CivilDate.weekday(day) + 1) % 7]  // CivilDate: Monday = 0; cron: Sunday = 0
        if domRestricted && dowRestricted { return dom || dow }
        return dom && dow
    }

    /// The matching wall-clock times of a matching day, in seconds after local midnight, ascending.
    var timesOfDay: [Int] {
        var out: [Int] = []
        for h in 0..<24 where hours[h] {
            for m in 0..<60 where minutes[m] { out.append(h * 3600 + m * 60) }
        }
        return out
    }
}
