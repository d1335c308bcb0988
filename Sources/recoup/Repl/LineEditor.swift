import CEdit
import Foundation

/// Ctrl-C: a SIGINT handler that only sets a flag. The prompt's key reader and the wait for a
/// running query look at the flag (the handler itself does nothing that is not signal-safe).
enum Interrupt {
    static let flag: UnsafeMutablePointer<Int32> = {
        let p = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
        p.initialize(to: 0)
        return p
    }()

    static var pending: Bool { flag.pointee != 0 }
    static func clear() { flag.pointee = 0 }

    /// No SA_RESTART: a blocking read is interrupted, too.
    static func install() {
        _ = flag
        var sa = sigaction()
        sa.__sigaction_handler = .init(sa_handler: { _ in Interrupt.flag.pointee = 1 })
        sigemptyset(&sa.sa_mask)
        sa.sa_flags = 0
        sigaction(SIGINT, &sa, nil)
    }
}

/// Line editing through libedit's readline-compatible API: history, completion, and our own key
/// reader so that Ctrl-C at the prompt ends `readline` at once (it returns, we drop the line).
final class LineEditor {
    enum Input: Equatable {
        case line(String)
        case interrupted
        case endOfFile
    }

    let historyPath: String
    private var lastHistory: String?

    /// The statement typed so far on earlier lines (completion looks at it too).
    nonisolated(unsafe) static var pendingText = ""
    nonisolated(unsafe) static var completer: Completer?
    nonisolated(unsafe) fileprivate static var matches: [String] = []
    nonisolated(unsafe) fileprivate static var matchIndex = 0

    init(historyPath: String, completer: Completer) {
        self.historyPath = historyPath
        Self.completer = completer
        if setlocale(LC_CTYPE, "") == nil || String(cString: setlocale(LC_CTYPE, nil)) == "C" {
            _ = setlocale(LC_CTYPE, "C.UTF-8")
        }
        rl_readline_name = UnsafePointer(strdup("recoup"))
        rl_catch_signals = 0
        rl_getc_function = replGetc
        rl_attempted_completion_function = replAttemptedCompletion
        rl_completion_entry_function = replNoCompletion
        rl_basic_word_break_characters = UnsafePointer(strdup(" \t\n\"|(),=<>!+-*/;#"))
        rl_completer_word_break_characters = strdup(" \t\n\"|(),=<>!+-*/;#")
        rl_initialize()
        using_history()
        stifle_history(2000)
        _ = read_history(historyPath)
        lastHistory = history_length > 0 ? history_get(history_base + history_length - 1).flatMap { $0.pointee.line.map { String(cString: $0) } } : nil
    }

    static func defaultHistoryPath() -> String {
        if let p = ProcessInfo.processInfo.environment["RECOUP_HISTORY"], !p.isEmpty { return p }
        return (ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()) + "/.recoup_history"
    }

    func read(prompt: String) -> Input {
        Interrupt.clear()
        fflush(stdout)
        let raw = readline(prompt)
        defer { free(raw) }
        if Interrupt.pending {
            Interrupt.clear()
            return .interrupted
        }
        guard let raw else { return .endOfFile }
        return .line(String(cString: raw))
    }

    /// One entry per statement (its lines joined), not repeating the one before; saved at once.
    func remember(_ entry: String) {
        guard !entry.isEmpty, entry != lastHistory else { return }
        add_history(entry)
        lastHistory = entry
        _ = write_history(historyPath)
    }
}

/// Reads one key for libedit: waits in short slices so a Ctrl-C is seen even when the signal went
/// to another thread; returns EOF (-1) to end `readline` when interrupted or at the end of input;
/// decodes UTF-8 so libedit gets whole characters.
private let replGetc: @convention(c) (UnsafeMutablePointer<FILE>?) -> Int32 = { _ in
    func byte() -> Int32? {
        while true {
            if Interrupt.pending { return nil }
            var pfd = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
            let r = poll(&pfd, 1, 100)
            if r < 0 { if errno == EINTR { continue }; return nil }
            if r == 0 { continue }
            var b: UInt8 = 0
            let n = Glibc.read(STDIN_FILENO, &b, 1)
            if n < 0 { if errno == EINTR || errno == EAGAIN { continue }; return nil }
            if n == 0 { return nil }
            return Int32(b)
        }
    }
    guard let lead = byte() else { return -1 }
    let extra: Int
    var value: Int32
    switch lead {
    case 0..<0x80: return lead
    case 0xC0..<0xE0: extra = 1; value = lead & 0x1F
    case 0xE0..<0xF0: extra = 2; value = lead & 0x0F
    case 0xF0..<0xF8: extra = 3; value = lead & 0x07
    default: return lead
    }
    for _ in 0..<extra {
        guard let b = byte() else { return -1 }
        value = (value << 6) | (b & 0x3F)
    }
    return value
}

private let replAttemptedCompletion: @convention(c) (UnsafePointer<CChar>?, Int32, Int32) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = { text, start, _ in
    let word = text.map { String(cString: $0) } ?? ""
    var before = ""
    if let buf = rl_line_buffer {
        let bytes = UnsafeRawBufferPointer(start: buf, count: Int(max(0, start)))
        before = String(decoding: bytes, as: UTF8.self)
    }
    let pending = LineEditor.pendingText
    let context = pending.isEmpty ? before : pending + "\n" + before
    LineEditor.matches = LineEditor.completer?.candidates(before: context, word: word) ?? []
    LineEditor.matchIndex = 0
    guard !LineEditor.matches.isEmpty else { return nil }
    return rl_completion_matches(text, replNextMatch)
}

private let replNextMatch: @convention(c) (UnsafePointer<CChar>?, Int32) -> UnsafeMutablePointer<CChar>? = { _, state in
    if state == 0 { LineEditor.matchIndex = 0 }
    guard LineEditor.matchIndex < LineEditor.matches.count else { return nil }
    defer { LineEditor.matchIndex += 1 }
    return strdup(LineEditor.matches[LineEditor.matchIndex])
}

private let replNoCompletion: @convention(c) (UnsafePointer<CChar>?, Int32) -> UnsafeMutablePointer<CChar>? = { _, _ in nil }
