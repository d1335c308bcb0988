#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A streaming RFC 4180 reader over raw bytes: quoted fields may hold commas,
/// doubled quotes and line breaks; CRLF or LF ends a record. Memory is one
/// read buffer (grown only for a record longer than it) plus a scratch buffer
/// for fields that needed unquoting. Field bytes stay valid until `next()`.
public final class CSVReader {
    public struct SyntaxError: Error, CustomStringConvertible {
        public let line: Int
        public let reason: String
        public var description: String { "line \(line): \(reason)" }
    }

    private let fd: Int32
    private var buf: UnsafeMutableRawPointer
    private var capacity: Int
    private var start = 0  // first unconsumed byte
    private var end = 0    // one past the last valid byte
    private var eof = false
    private var scratch: UnsafeMutableRawPointer
    private var scratchCapacity: Int
    /// Per field: offset and length, in `buf` (inScratch false) or `scratch`.
    private var fieldStarts: [Int] = []
    private var fieldLengths: [Int] = []
    private var fieldScratch: [Bool] = []
    private var recordStart = 0
    private var recordEnd = 0
    private var nextLine = 1
    /// The physical line (1-based) on which the current record starts.
    public private(set) var line = 0
    public var fieldCount: Int { fieldStarts.count }

    /// Bytes still to read from the file (the end of `range`).
    private var remaining: Int
    /// File offset of `buf[0]`.
    private var bufferFileOffset: Int

    /// Reads `range` of the file (default: all of it). A range must start at a
    /// record boundary; its line numbers count from 1 at its start.
    public init(path: String, range: Range<Int>? = nil, bufferSize: Int = 4 << 20) throws {
        fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw SyntaxError(line: 0, reason: String(cString: strerror(errno))) }
        remaining = range?.count ?? Int.max
        bufferFileOffset = range?.lowerBound ?? 0
        if let r = range, lseek(fd, off_t(r.lowerBound), SEEK_SET) < 0 {
            close(fd)
            throw SyntaxError(line: 0, reason: String(cString: strerror(errno)))
        }
        capacity = bufferSize
        buf = .allocate(byteCount: capacity + 8, alignment: 16)
        scratchCapacity = 1 << 16
        scratch = .allocate(byteCount: scratchCapacity, alignment: 16)
        fieldStarts.reserveCapacity(32)
        fieldLengths.reserveCapacity(32)
        fieldScratch.reserveCapacity(32)
        try fill()
        // A UTF-8 byte order mark is skipped.
        if (range?.lowerBound ?? 0) == 0, end - start >= 3, buf.load(fromByteOffset: 0, as: UInt8.self) == 0xEF,
           buf.load(fromByteOffset: 1, as: UInt8.self) == 0xBB, buf.load(fromByteOffset: 2, as: UInt8.self) == 0xBF {
            start = 3
        }
    }

    deinit {
        close(fd)
        buf.deallocate()
        scratch.deallocate()
    }

    /// The bytes of field `i` of the current record.
    @inline(__always)
    public func field(_ i: Int) -> UnsafeRawBufferPointer {
        let base = fieldScratch[i] ? UnsafeRawPointer(scratch) : UnsafeRawPointer(buf)
        return UnsafeRawBufferPointer(start: base + fieldStarts[i], count: fieldLengths[i])
    }

    public func fieldString(_ i: Int) -> String { String(decoding: field(i), as: UTF8.self) }

    /// The file offset just past the current record (and its line break).
    public var offset: Int { bufferFileOffset + start }
    /// Lines consumed so far, line breaks inside quotes included.
    public var linesRead: Int { nextLine - 1 }

    /// The raw bytes of the current record, without its line break.
    public var rawRecord: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: UnsafeRawPointer(buf) + recordStart, count: recordEnd - recordStart)
    }

    /// Moves to the next record; false at the end of the input.
    public func next() throws -> Bool {
        while true {
            if start >= end {
                if eof { return false }
                try fill()
                if start >= end && eof { return false }
                continue
            }
            if let complete = try parseRecord() {
                if complete { return true }
            }
            // Need more bytes for this record.
            if eof {
                throw SyntaxError(line: nextLine, reason: "unterminated quoted field at end of file")
            }
            try fill()
        }
    }

    /// Shifts unconsumed bytes to the front and reads more; grows the buffer when it is full.
    private func fill() throws {
        if start > 0 {
            let n = end - start
            if n > 0 { memmove(buf, buf + start, n) }
            bufferFileOffset += start
            end = n
            start = 0
        }
        if end == capacity {
            let newCapacity = capacity * 2
            let nb = UnsafeMutableRawPointer.allocate(byteCount: newCapacity + 8, alignment: 16)
            nb.copyMemory(from: buf, byteCount: end)
            buf.deallocate()
            buf = nb
            capacity = newCapacity
        }
        while end < capacity {
            if remaining == 0 { eof = true; break }
            let r = read(fd, buf + end, min(capacity - end, remaining))
            if r < 0 {
                if errno == EINTR { continue }
                throw SyntaxError(line: nextLine, reason: "read failed: " + String(cString: strerror(errno)))
            }
            if r == 0 { eof = true; break }
            end += r
            remaining -= r
        }
    }

    private func ensureScratch(_ n: Int) {
        if n <= scratchCapacity { return }
        var c = scratchCapacity
        while c < n { c *= 2 }
        let ns = UnsafeMutableRawPointer.allocate(byteCount: c, alignment: 16)
        ns.copyMemory(from: scratch, byteCount: scratchCapacity)
        scratch.deallocate()
        scratch = ns
        scratchCapacity = c
    }

    /// Parses one record starting at `start`. Returns true when a whole record
    /// was parsed, nil when the buffer ends before the record does.
    private func parseRecord() throws -> Bool? {
        fieldStarts.removeAll(keepingCapacity: true)
        fieldLengths.removeAll(keepingCapacity: true)
        fieldScratch.removeAll(keepingCapacity: true)
        let p = buf.assumingMemoryBound(to: UInt8.self)
        var i = start
        var lines = 0
        var scratchUsed = 0
        let limit = end
        while true {
            // One field starts at i.
            if i < limit && p[i] == 0x22 {
                // Quoted field: copy into scratch, undoubling quotes.
                i += 1
                let fieldStartInScratch = scratchUsed
                var segStart = i
                while true {
                    // Find the next quote.
                    while i < limit && p[i] != 0x22 {
                        if p[i] == 0x0A { lines += 1 }
                        i += 1
                    }
                    if i >= limit { return nil }
                    // Copy [segStart, i) into scratch.
                    let n = i - segStart
                    ensureScratch(scratchUsed + n + 1)
                    (scratch + scratchUsed).copyMemory(from: buf + segStart, byteCount: n)
                    scratchUsed += n
                    // i at a quote: doubled quote or closing quote?
                    if i + 1 >= limit {
                        if !eof { return nil }
                        i += 1
                        break
                    }
                    if p[i + 1] == 0x22 {
                        scratch.storeBytes(of: 0x22, toByteOffset: scratchUsed, as: UInt8.self)
                        scratchUsed += 1
                        i += 2
                        segStart = i
                        continue
                    }
                    i += 1
                    break
                }
                fieldStarts.append(fieldStartInScratch)
                fieldLengths.append(scratchUsed - fieldStartInScratch)
                fieldScratch.append(true)
                // After the closing quote: comma, line break or end of input.
                if i >= limit {
                    if !eof { return nil }
                    return finish(recordEnd: i, next: i, lines: lines)
                }
                let c = p[i]
                if c == 0x2C { i += 1; continue }
                if c == 0x0A { return finish(recordEnd: i, next: i + 1, lines: lines + 1) }
                if c == 0x0D {
                    if i + 1 >= limit && !eof { return nil }
                    if i + 1 < limit && p[i + 1] == 0x0A { return finish(recordEnd: i, next: i + 2, lines: lines + 1) }
                }
                throw SyntaxError(line: nextLine + lines, reason: "unexpected character after a closing quote (a quote inside a quoted field must be doubled)")
            } else {
                let fs = i
                while i < limit {
                    let c = p[i]
                    if c == 0x2C || c == 0x0A || c == 0x0D { break }
                    if c == 0x22 {
                        throw SyntaxError(line: nextLine + lines, reason: "a quote inside an unquoted field (quote the whole field and double the quote)")
                    }
                    i += 1
                }
                if i >= limit && !eof { return nil }
                fieldStarts.append(fs)
                fieldLengths.append(i - fs)
                fieldScratch.append(false)
                if i >= limit { return finish(recordEnd: i, next: i, lines: lines) }
                let c = p[i]
                if c == 0x2C { i += 1; if i >= limit && !eof { return nil }; if i >= limit { fieldStarts.append(0); fieldLengths.append(0); fieldScratch.append(false); return finish(recordEnd: i, next: i, lines: lines) }; continue }
                if c == 0x0A { return finish(recordEnd: i, next: i + 1, lines: lines + 1) }
                // CR: expect LF (a lone CR also ends the record).
                if i + 1 >= limit && !eof { return nil }
                if i + 1 < limit && p[i + 1] == 0x0A { return finish(recordEnd: i, next: i + 2, lines: lines + 1) }
                return finish(recordEnd: i, next: i + 1, lines: lines + 1)
            }
        }
    }

    @inline(__always)
    private func finish(recordEnd: Int, next: Int, lines: Int) -> Bool {
        recordStart = start
        self.recordEnd = recordEnd
        line = nextLine
        nextLine += lines
        start = next
        return true
    }
}

extension CSVReader {
    /// Offsets in `from..<size` at which `parts` ranges of roughly equal size
    /// start, each at a record boundary (a line break outside quotes). Quote
    /// state is tracked from `from`, which must itself be a record boundary.
    public static func splitPoints(path: String, from: Int, parts: Int) throws -> [Int] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw SyntaxError(line: 0, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var st = stat()
        fstat(fd, &st)
        let size = Int(st.st_size)
        guard parts > 1, size > from else { return [from] }
        var targets = (1..<parts).map { from + (size - from) * $0 / parts }
        var points = [from]
        let block = 8 << 20
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: block, alignment: 16)
        defer { buffer.deallocate() }
        var pos = from
        var inQuotes = false
        var seekingNewline = false
        while pos < size && !targets.isEmpty {
            let n = Glibc.pread(fd, buffer, min(block, size - pos), off_t(pos))
            guard n > 0 else { break }
            let p = buffer.assumingMemoryBound(to: UInt8.self)
            var i = 0
            while i < n && !targets.isEmpty {
                if !seekingNewline && pos + i >= targets[0] { seekingNewline = true }
                // Jump to the next quote (or, when seeking, the next line break), whichever comes first.
                let quote = memchr(p + i, 0x22, n - i).map { UnsafeRawPointer($0) - UnsafeRawPointer(p) } ?? n
                if seekingNewline && !inQuotes {
                    let nl = memchr(p + i, 0x0A, n - i).map { UnsafeRawPointer($0) - UnsafeRawPointer(p) } ?? n
                    if nl < quote {
                        points.append(pos + nl + 1)
                        targets.removeFirst()
                        seekingNewline = false
                        i = nl + 1
                        continue
                    }
                }
                if !seekingNewline {
                    let stop = min(quote, max(i, targets[0] - pos))
                    if stop < quote { i = stop; continue }
                }
                if quote >= n { i = n; break }
                inQuotes.toggle()
                i = quote + 1
            }
            pos += n
        }
        return points.filter { $0 < size }
    }
}
