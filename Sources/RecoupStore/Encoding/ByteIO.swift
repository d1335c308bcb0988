/// Appends little-endian fields to a growing byte array.
struct ByteWriter {
    var bytes: [UInt8]

    init(capacity: Int) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    var count: Int { bytes.count }

    mutating func u8(_ value: UInt8) {
        bytes.append(value)
    }

    mutating func u32(_ value: Int) {
        precondition(value >= 0 && value <= Int(UInt32.max), "block field \(value) does not fit 32 bits")
        withUnsafeBytes(of: UInt32(value).littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func i64(_ value: Int64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func append(_ raw: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: raw)
    }

    /// Appends `count` zero bytes and returns the offset of the first.
    mutating func appendZeros(_ count: Int) -> Int {
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: count))
        return start
    }

    mutating func patchU32(_ value: Int, at offset: Int) {
        precondition(value >= 0 && value <= Int(UInt32.max), "block field \(value) does not fit 32 bits")
        bytes.withUnsafeMutableBytes { $0.storeBytes(of: UInt32(value).littleEndian, toByteOffset: offset, as: UInt32.self) }
    }
}

/// Reads little-endian fields from a block, checking every length against what is left.
struct ByteReader {
    let buffer: UnsafeRawBufferPointer
    private(set) var position = 0

    init(_ buffer: UnsafeRawBufferPointer) {
        self.buffer = buffer
    }

    var remaining: Int { buffer.count - position }

    mutating func bytes(_ count: Int, _ what: @autoclosure () -> String = "payload") throws -> UnsafeRawBufferPointer {
        guard count >= 0, count <= remaining else {
            throw CodecError("truncated block: \(what()) needs \(count) bytes, \(remaining) left")
        }
        defer { position += count }
        return UnsafeRawBufferPointer(rebasing: buffer[position..<position + count])
    }

    mutating func u8() throws -> UInt8 {
        try bytes(1, "a 1-byte field")[0]
    }

    mutating func u32() throws -> UInt32 {
        UInt32(littleEndian: try bytes(4, "a 4-byte field").loadUnaligned(as: UInt32.self))
    }

    mutating func i64() throws -> Int64 {
        Int64(littleEndian: try bytes(8, "an 8-byte field").loadUnaligned(as: Int64.self))
    }

    /// A 32-bit count that must not exceed `limit`.
    mutating func count(max limit: Int, _ what: @autoclosure () -> String) throws -> Int {
        let value = Int(try u32())
        guard value <= limit else { throw CodecError("corrupt block: \(what()) \(value) exceeds \(limit)") }
        return value
    }

    /// A bit width that must not exceed `limit` (the width of the type it packs).
    mutating func width(max limit: Int) throws -> Int {
        let value = Int(try u8())
        guard value <= limit else { throw CodecError("corrupt block: bit width \(value) exceeds \(limit)") }
        return value
    }

    func expectEnd() throws {
        guard remaining == 0 else { throw CodecError("corrupt block: \(remaining) unexpected bytes after the payload") }
    }
}
