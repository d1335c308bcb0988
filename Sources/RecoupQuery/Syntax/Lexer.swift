import RecoupStore

/// Turns query text into tokens, one at a time, so that the first mistake in the
/// text is the one reported. Works on the UTF-8 bytes; columns count characters.
struct Lexer {
    let bytes: [UInt8]
    private(set) var pos = 0
    private var line = 1
    private var lineStart = 0
    /// The last place a column was worked out on the current line (offset, column).
    private var columnMark = (offset: 0, column: 1)
    /// The end of the last token handed out, for errors at the end of the query.
    private(set) var lastTokenEnd: Span

    init(_ text: String) {
        bytes = Array(text.utf8)
        lastTokenEnd = Span(start: 0, end: 0, line: 1, column: 1)
    }

    // MARK: Character classes

    static func isNameStart(_ b: UInt8) -> Bool { (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || b == 0x5F }
    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    static func isNameByte(_ b: UInt8) -> Bool { isNameStart(b) || isDigit(b) }

    private func byte(_ at: Int) -> UInt8? { at < bytes.count ? bytes[at] : nil }

    // MARK: Positions

    /// A span from `start` to `end` (byte offsets on the current line).
    mutating func span(_ start: Int, _ end: Int) -> Span {
        Span(start: start, end: end, line: line, column: column(at: start))
    }

    /// The 1-based column, in characters, of `offset` on the current line.
    private mutating func column(at offset: Int) -> Int {
        if columnMark.offset > offset || columnMark.offset < lineStart { columnMark = (lineStart, 1) }
        let segment = bytes[columnMark.offset..<offset]
        let chars = segment.allSatisfy { $0 < 0x80 } ? segment.count : String(decoding: segment, as: UTF8.self).count
        columnMark = (offset, columnMark.column + chars)
        return columnMark.column
    }

    private mutating func newLine(after offset: Int) {
        line += 1
        lineStart = offset + 1
        columnMark = (lineStart, 1)
    }

    /// The length in bytes of the UTF-8 sequence starting with `b`.
    private static func sequenceLength(_ b: UInt8) -> Int {
        switch b {
        case 0xF0...: 4
        case 0xE0...: 3
        case 0xC0...: 2
        default: 1
        }
    }

    // MARK: Tokens

    /// The next token; `.end` (forever) at the end of the text.
    mutating func next() throws -> Token {
        skipSpaceAndComments()
        let start = pos
        guard let b = byte(pos) else {
            return Token(kind: .end, span: lastTokenEnd)
        }
        let token: Token
        switch b {
        case _ where Lexer.isNameStart(b): token = word(start)
        case _ where Lexer.isDigit(b): token = try number(start)
        case 0x22, 0x27: token = try string(start, quote: b)  // " '
        case 0x60: token = try quotedName(start)  // `
        case 0x40: token = try date(start)  // @
        case 0x24: token = try parameter(start)  // $
        default: token = try punctuation(start, b)
        }
        lastTokenEnd = Span(start: token.span.end, end: token.span.end, line: line, column: column(at: token.span.end))
        return token
    }

    private mutating func skipSpaceAndComments() {
        while let b = byte(pos) {
            switch b {
            case 0x20, 0x09, 0x0D: pos += 1
            case 0x0A:
                newLine(after: pos)
                pos += 1
            case 0x23:  // # to the end of the line
                while let c = byte(pos), c != 0x0A { pos += 1 }
            default: return
            }
        }
    }

    private mutating func word(_ start: Int) -> Token {
        while let b = byte(pos), Lexer.isNameByte(b) { pos += 1 }
        let text = String(decoding: bytes[start..<pos], as: UTF8.self)
        let kind: Token.Kind = Token.Keyword(rawValue: text).map { .keyword($0) } ?? .name(text, quoted: false)
        return Token(kind: kind, span: span(start, pos))
    }

    private mutating func quotedName(_ start: Int) throws -> Token {
        pos += 1
        while let b = byte(pos), b != 0x60, b != 0x0A { pos += 1 }
        guard byte(pos) == 0x60 else {
            throw SyntaxError.unterminatedName(span(start, pos))
        }
        pos += 1
        let name = String(decoding: bytes[(start + 1)..<(pos - 1)], as: UTF8.self)
        if name.isEmpty { throw SyntaxError.emptyName(span(start, pos)) }
        return Token(kind: .name(name, quoted: true), span: span(start, pos))
    }

    private mutating func number(_ start: Int) throws -> Token {
        while let b = byte(pos), Lexer.isDigit(b) { pos += 1 }
        var isDecimal = false
        if byte(pos) == 0x2E {  // .
            guard let d = byte(pos + 1), Lexer.isDigit(d) else {
                pos += 1
                throw SyntaxError.malformedNumber(span(start, pos), missingFraction: true)
            }
            isDecimal = true
            pos += 1
            while let b = byte(pos), Lexer.isDigit(b) { pos += 1 }
        }
        if let b = byte(pos), Lexer.isNameByte(b) || b == 0x2E {
            while let b = byte(pos), Lexer.isNameByte(b) || b == 0x2E { pos += 1 }
            throw SyntaxError.malformedNumber(span(start, pos), missingFraction: false)
        }
        let text = String(decoding: bytes[start..<pos], as: UTF8.self)
        if isDecimal { return Token(kind: .decimal(text), span: span(start, pos)) }
        guard let value = Int64(text) else { throw SyntaxError.numberOutOfRange(span(start, pos), text: text) }
        return Token(kind: .int(value), span: span(start, pos))
    }

    private mutating func string(_ start: Int, quote: UInt8) throws -> Token {
        pos += 1
        var value: [UInt8] = []
        while true {
            guard let b = byte(pos), b != 0x0A else {
                throw SyntaxError.unterminatedString(span(start, pos), quote: quote)
            }
            pos += 1
            if b == quote { break }
            guard b == 0x5C else {  // backslash
                value.append(b)
                continue
            }
            let escape: UInt8
            switch byte(pos) {
            case 0x22: escape = 0x22
            case 0x27: escape = 0x27
            case 0x5C: escape = 0x5C
            case 0x6E: escape = 0x0A  // n
            case 0x74: escape = 0x09  // t
            case 0x72: escape = 0x0D  // r
            case let c?:
                let n = c < 0x80 ? 1 : min(Lexer.sequenceLength(c), bytes.count - pos)
                throw SyntaxError.unknownEscape(span(pos - 1, pos + n))
            case nil:
                throw SyntaxError.unterminatedString(span(start, pos), quote: quote)
            }
            value.append(escape)
            pos += 1
        }
        return Token(kind: .string(String(decoding: value, as: UTF8.self)), span: span(start, pos))
    }

    private mutating func date(_ start: Int) throws -> Token {
        pos += 1
        while let b = byte(pos), Lexer.isNameByte(b) || b == 0x2D || b == 0x3A { pos += 1 }  // - :
        let written = String(decoding: bytes[(start + 1)..<pos], as: UTF8.self)
        guard let days = CivilDate.parse(written) else {
            throw SyntaxError.badDate(span(start, pos), written: written)
        }
        return Token(kind: .date(days), span: span(start, pos))
    }

    private mutating func parameter(_ start: Int) throws -> Token {
        pos += 1
        while let b = byte(pos), Lexer.isNameByte(b) { pos += 1 }
        guard pos > start + 1 else { throw SyntaxError.missingParameterName(span(start, pos)) }
        return Token(kind: .parameter(String(decoding: bytes[(start + 1)..<pos], as: UTF8.self)), span: span(start, pos))
    }

    private mutating func punctuation(_ start: Int, _ b: UInt8) throws -> Token {
        let next = byte(pos + 1)
        let p: Token.Punct
        var length = 1
        switch b {
        case 0x7C:  // |
            if next == 0x7C { throw SyntaxError.unexpected(span(start, start + 2), "||", help: "use `or` to combine conditions; a single `|` joins stages") }
            p = .pipe
        case 0x2C: p = .comma
        case 0x28: p = .openParen
        case 0x29: p = .closeParen
        case 0x3B: p = .semicolon
        case 0x2B: p = .plus
        case 0x2D: p = .minus
        case 0x2A: p = .star
        case 0x2F: p = .slash
        case 0x3D:  // =
            if next == 0x3D { p = .equal; length = 2 } else { p = .assign }
        case 0x21:  // !
            guard next == 0x3D else { throw SyntaxError.unexpected(span(start, start + 1), "!", help: "use `not` to negate, `!=` to compare") }
            p = .notEqual; length = 2
        case 0x3C:  // <
            if next == 0x3D { p = .lessEqual; length = 2 }
            else if next == 0x3E { throw SyntaxError.unexpected(span(start, start + 2), "<>", help: "use `!=` for \"not equal\"") }
            else { p = .less }
        case 0x3E:  // >
            if next == 0x3D { p = .greaterEqual; length = 2 } else { p = .greater }
        case 0x26:  // &
            throw SyntaxError.unexpected(span(start, start + (next == 0x26 ? 2 : 1)), next == 0x26 ? "&&" : "&", help: "use `and` to combine conditions")
        case 0x2E:  // .
            let help = next.map(Lexer.isDigit) == true ? "write a leading zero: `0.5`" : "names are plain words: write the column name without a table"
            throw SyntaxError.unexpected(span(start, start + 1), ".", help: help)
        default:
            let n = min(Lexer.sequenceLength(b), bytes.count - start)
            let text = String(decoding: bytes[start..<(start + n)], as: UTF8.self)
            let help = b >= 0x80 && text.unicodeScalars.first.map({ $0.properties.isAlphabetic }) == true
                ? "names are ASCII letters, digits and `_`; write other names in backticks, e.g. `` `montant_payé` ``" : nil
            throw SyntaxError.unexpected(span(start, start + n), text, help: help)
        }
        pos += length
        return Token(kind: .punct(p), span: span(start, pos))
    }
}
