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

    public init(path: String, bufferSize: Int = 4 << 20) throws {
        fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw SyntaxError(line: 0, reason: String(cString: strerror(errno))) }
        capacity = bufferSize
        buf = .allocate(byteCount: capacity + 8, alignment: 16)
        scratchCapacity = 1 << 16
        scratch = .allocate(byteCount: scratchCapacity, alignment: 16)
        fieldStarts.reserveCapacity(32)
        fieldLengths.reserveCapacity(32)
        fieldScratch.reserveCapacity(32)
        try fill()
        // A UTF-8 byte order mark is skipped.
        if end - start >= 3, buf.load(fromByteOffset: 0, as: UInt8.self) == 0xEF,
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
            let r = read(fd, buf + end, capacity - end)
            if r < 0 {
                if errno == EINTR { continue }
                throw SyntaxError(line: nextLine, reason: "read failed: " + String(cString: strerror(errno)))
            }
            if r == 0 { eof = true; break }
            end += r
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
