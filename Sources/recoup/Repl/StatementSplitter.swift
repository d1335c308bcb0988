/// Cuts typed or read lines into statements: a statement ends at a `;` outside a string or a
/// comment, or at a blank line. Lines starting with `.` while no statement is pending are
/// meta-commands and end at the end of their line.
struct StatementSplitter {
    enum Item: Equatable {
        /// Query text without its `;`, and the 1-based line of the input where it starts.
        case query(String, line: Int)
        case meta(String, line: Int)
    }

    private(set) var pending: [Substring] = []
    private var pendingStart = 1
    private var lineNumber = 0

    /// True when some query text is waiting for its end.
    var isPending: Bool { !pending.isEmpty }

    mutating func reset() {
        pending = []
    }

    mutating func feed(_ line: String) -> [Item] {
        lineNumber += 1
        var items: [Item] = []
        if pending.isEmpty {
            let t = line.drop { $0 == " " || $0 == "\t" }
            if t.hasPrefix(".") {
                var m = t.trimmingTrailingSpace()
                if m.hasSuffix(";") { m.removeLast() }
                items.append(.meta(String(m).trimmingTrailingSpaceString(), line: lineNumber))
                return items
            }
        }
        if line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) {
            if let q = flush() { items.append(q) }
            return items
        }
        if pending.isEmpty { pendingStart = lineNumber }
        var rest = Substring(line)
        while let semi = Self.terminator(in: rest) {
            pending.append(rest[..<semi])
            if let q = flush() { items.append(q) }
            rest = rest[rest.index(after: semi)...]
            pendingStart = lineNumber
        }
        if !pending.isEmpty || !Self.isBlank(String(rest)) { pending.append(rest) }
        return items
    }

    /// The pending text as a statement (at the end of the input, or at a blank line).
    mutating func flush() -> Item? {
        defer { pending = [] }
        let text = pending.joined(separator: "\n")
        guard !Self.isBlank(text) else { return nil }
        return .query(text, line: pendingStart)
    }

    /// The index of the first `;` outside strings and `#` comments.
    static func terminator(in s: Substring) -> Substring.Index? {
        var inString = false
        var escaped = false
        var i = s.startIndex
        while i < s.endIndex {
            let c = s[i]
            if inString {
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { inString = false }
            } else if c == "\"" {
                inString = true
            } else if c == "#" {
                return nil
            } else if c == ";" {
                return i
            }
            i = s.index(after: i)
        }
        return nil
    }

    /// Nothing but white space and comments.
    static func isBlank(_ text: String) -> Bool {
        text.split(separator: "\n", omittingEmptySubsequences: false).allSatisfy { line in
            let t = line.drop { $0 == " " || $0 == "\t" || $0 == "\r" }
            return t.isEmpty || t.hasPrefix("#")
        }
    }

    /// One line for the history: comments dropped, lines joined with a space.
    static func oneLine(_ text: String) -> String {
        text.split(separator: "\n").map { line -> String in
            var inString = false, escaped = false
            var out = ""
            for c in line {
                if inString {
                    if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { inString = false }
                } else if c == "\"" {
                    inString = true
                } else if c == "#" {
                    break
                }
                out.append(c)
            }
            return String(out.trimmingTrailingSpace()).drop { $0 == " " || $0 == "\t" }.description
        }.filter { !$0.isEmpty }.joined(separator: " ")
    }
}

extension StringProtocol {
    func trimmingTrailingSpace() -> SubSequence {
        var s = self[...]
        while let l = s.last, l == " " || l == "\t" || l == "\r" || l == "\n" { s = s.dropLast() }
        return s
    }

    func trimmingTrailingSpaceString() -> String { String(trimmingTrailingSpace()) }
}
