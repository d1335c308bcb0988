/// The fixed header at the start of every column block (20 bytes, little-endian):
///
/// | offset | size | field |
/// |---|---|---|
/// | 0 | 1 | format, `BlockHeader.format` |
/// | 1 | 1 | physical type: 0 uint8, 1 int32, 2 int64, 3 string |
/// | 2 | 1 | `Encoding` |
/// | 3 | 1 | `Codec` |
/// | 4 | 4 | value count |
/// | 8 | 4 | plain bytes |
/// | 12 | 4 | encoded bytes (the payload before block compression) |
/// | 16 | 4 | payload bytes as stored |
public struct BlockHeader: Sendable, Equatable {
    public static let size = 20
    public static let format: UInt8 = 1

    public var type: PhysicalType
    public var count: Int
    public var info: BlockInfo

    var payloadBytes: Int { info.storedBytes - Self.size }

    static func code(of type: PhysicalType) -> UInt8 {
        switch type {
        case .uint8: 0
        case .int32: 1
        case .int64: 2
        case .string: 3
        }
    }

    /// Parses and sanity-checks the header; the payload is not looked at.
    init(parsing bytes: UnsafeRawBufferPointer) throws {
        guard bytes.count >= Self.size else {
            throw CodecError("truncated block: \(bytes.count) bytes, a header needs \(Self.size)")
        }
        var reader = ByteReader(UnsafeRawBufferPointer(rebasing: bytes[0..<Self.size]))
        let format = try reader.u8()
        guard format == Self.format else { throw CodecError("unknown block format \(format)") }
        let typeCode = try reader.u8(), encodingCode = try reader.u8(), codecCode = try reader.u8()
        let types: [PhysicalType] = [.uint8, .int32, .int64, .string]
        guard Int(typeCode) < types.count else { throw CodecError("corrupt block: unknown physical type \(typeCode)") }
        guard let encoding = Encoding(rawValue: encodingCode) else { throw CodecError("corrupt block: unknown encoding \(encodingCode)") }
        guard let codec = Codec(rawValue: codecCode) else { throw CodecError("corrupt block: unknown codec \(codecCode)") }
        type = types[Int(typeCode)]
        count = try reader.count(max: BlockCodec.maxValueCount, "value count")
        let plainBytes = Int(try reader.u32())
        let encodedBytes = Int(try reader.u32())
        let payloadBytes = Int(try reader.u32())
        info = BlockInfo(encoding: encoding, codec: codec, plainBytes: plainBytes, encodedBytes: encodedBytes, storedBytes: Self.size + payloadBytes)

        let isString = type == .string
        switch encoding {
        case .rle, .bitpack, .deltaBitpack:
            guard !isString else { throw CodecError("corrupt block: \(encoding) encoding on a string column") }
        case .prefixNumeric:
            guard isString else { throw CodecError("corrupt block: \(encoding) encoding on an integer column") }
        case .plain, .constant, .dictionary:
            break
        }
        switch type {
        case .uint8, .int32, .int64:
            let width = type == .uint8 ? 1 : type == .int32 ? 4 : 8
            guard plainBytes == count * width else { throw CodecError("corrupt block: \(plainBytes) plain bytes for \(count) \(type) values") }
        case .string:
            let offsetBytes = 4 * (count + 1)
            guard plainBytes >= offsetBytes, plainBytes - offsetBytes <= Int(Int32.max) else {
                throw CodecError("corrupt block: \(plainBytes) plain bytes for \(count) strings")
            }
        }
        // No encoding takes more than a few times the plain size; a larger claim is corruption
        // and must not turn into a huge allocation.
        guard encodedBytes <= 4 * plainBytes + 4096 else {
            throw CodecError("corrupt block: \(encodedBytes) encoded bytes for \(plainBytes) plain")
        }
        guard codec != .none || payloadBytes == encodedBytes else {
            throw CodecError("corrupt block: \(payloadBytes) stored bytes for \(encodedBytes) encoded")
        }
    }
}

/// Encodes one column block: a lightweight encoding chosen for the data, then block
/// compression per policy, behind a self-describing `BlockHeader`.
public enum BlockCodec {
    /// The most values one block may hold.
    public static let maxValueCount = 1 << 28
    public static let headerSize = BlockHeader.size

    /// Chooses the smallest lightweight encoding for the data (every applicable candidate
    /// is sized exactly on the data first), then applies block compression per policy,
    /// keeping the codec only if it saves at least 5%.
    ///
    /// Decoding gives back equal `ColumnData`. (A `StringColumn` whose first offset is not 0,
    /// which only `init(offsets:bytes:)` can make, comes back rebased to 0.)
    ///
    /// - Precondition: `data.count <= maxValueCount`.
    public static func encode(_ data: ColumnData, policy: CompressionPolicy) -> (bytes: [UInt8], info: BlockInfo) {
        do {
            return try build(data, forcing: nil, codec: policy.codec)
        } catch {
            preconditionFailure("choosing an encoding cannot fail: \(error)")
        }
    }

    /// Encodes with exactly `encoding` and `codec` (even where they do not pay), for tests and
    /// benchmarks; throws if the encoding does not apply to the data (e.g. `prefixNumeric` on
    /// strings of mixed widths, `constant` on values that differ).
    public static func encode(_ data: ColumnData, as encoding: Encoding, codec: Codec) throws -> (bytes: [UInt8], info: BlockInfo) {
        try build(data, forcing: (encoding, codec), codec: codec)
    }

    /// Decodes a whole block; bytes after `storedBytes` are ignored.
    public static func decode(_ bytes: [UInt8]) throws -> ColumnData {
        try bytes.withUnsafeBytes { try decode($0) }
    }

    public static func decode(_ bytes: UnsafeRawBufferPointer) throws -> ColumnData {
        let header = try BlockHeader(parsing: bytes)
        let info = header.info
        guard bytes.count >= info.storedBytes else {
            throw CodecError("truncated block: \(bytes.count) bytes of \(info.storedBytes)")
        }
        let payload = UnsafeRawBufferPointer(rebasing: bytes[BlockHeader.size..<info.storedBytes])
        let data: ColumnData
        if info.codec == .none {
            data = try decodePayload(payload, header: header)
        } else {
            let encoded = try [UInt8](unsafeUninitializedCapacity: max(info.encodedBytes, 1)) { buffer, initialized in
                let target = UnsafeMutableRawBufferPointer(start: buffer.baseAddress!, count: info.encodedBytes)
                try BlockCompression.decompress(payload, codec: info.codec, into: target)
                initialized = info.encodedBytes
            }
            data = try encoded.withUnsafeBytes { try decodePayload($0, header: header) }
        }
        guard data.plainByteCount == info.plainBytes else {
            throw CodecError("corrupt block: decoded \(data.plainByteCount) plain bytes, the header says \(info.plainBytes)")
        }
        return data
    }

    /// Reads only the header.
    public static func info(_ bytes: UnsafeRawBufferPointer) throws -> BlockInfo {
        try BlockHeader(parsing: bytes).info
    }

    /// Reads only the header, with the physical type and value count.
    public static func header(_ bytes: UnsafeRawBufferPointer) throws -> BlockHeader {
        try BlockHeader(parsing: bytes)
    }

    // MARK: Internals

    private static func build(_ data: ColumnData, forcing: (Encoding, Codec)?, codec: Codec) throws -> (bytes: [UInt8], info: BlockInfo) {
        precondition(data.count <= maxValueCount, "a column block holds at most \(maxValueCount) values, not \(data.count)")
        var writer = ByteWriter(capacity: BlockHeader.size + data.plainByteCount / 2 + 64)
        _ = writer.appendZeros(BlockHeader.size)
        let forced = forcing?.0
        let encoding: Encoding
        switch data {
        case .uint8(let v): encoding = try v.withUnsafeBufferPointer { try encodeIntegers($0, forcing: forced, into: &writer) }
        case .int32(let v): encoding = try v.withUnsafeBufferPointer { try encodeIntegers($0, forcing: forced, into: &writer) }
        case .int64(let v): encoding = try v.withUnsafeBufferPointer { try encodeIntegers($0, forcing: forced, into: &writer) }
        case .string(let s): encoding = try encodeStrings(s, forcing: forced, into: &writer)
        }
        let encodedBytes = writer.count - BlockHeader.size
        var bytes = writer.bytes
        var used = Codec.none
        if codec != .none && (forcing != nil || encodedBytes >= 64) {
            let compressed = bytes.withUnsafeBytes {
                BlockCompression.compress(UnsafeRawBufferPointer(rebasing: $0[BlockHeader.size...]), codec: codec)
            }
            if let compressed, forcing != nil || compressed.count * 100 <= encodedBytes * 95 {
                bytes.removeSubrange(BlockHeader.size...)
                bytes.append(contentsOf: compressed)
                used = codec
            } else if forcing != nil {
                throw CodecError("\(codec) cannot compress a block of \(encodedBytes) bytes")
            }
        }
        let info = BlockInfo(encoding: encoding, codec: used, plainBytes: data.plainByteCount, encodedBytes: encodedBytes, storedBytes: bytes.count)
        var header = ByteWriter(capacity: BlockHeader.size)
        header.u8(BlockHeader.format)
        header.u8(BlockHeader.code(of: data.type))
        header.u8(encoding.rawValue)
        header.u8(used.rawValue)
        header.u32(data.count)
        header.u32(info.plainBytes)
        header.u32(encodedBytes)
        header.u32(bytes.count - BlockHeader.size)
        bytes.replaceSubrange(0..<BlockHeader.size, with: header.bytes)
        return (bytes, info)
    }

    private static func encodeIntegers<T: FixedWidthInteger>(
        _ values: UnsafeBufferPointer<T>, forcing: Encoding?, into writer: inout ByteWriter
    ) throws -> Encoding {
        let candidates = forcing.map { [$0] } ?? IntegerCodec.allEncodings
        guard let plan = IntegerCodec.plan(values, candidates: candidates, force: forcing != nil) else {
            throw CodecError("encoding \(forcing!) does not apply to this \(T.self) column")
        }
        writer.bytes.reserveCapacity(writer.count + plan.size)
        IntegerCodec.write(values, plan: plan, into: &writer)
        return plan.encoding
    }

    private static func encodeStrings(_ column: StringColumn, forcing: Encoding?, into writer: inout ByteWriter) throws -> Encoding {
        let candidates = forcing.map { [$0] } ?? StringCodec.allEncodings
        guard let plan = StringCodec.plan(column, candidates: candidates, force: forcing != nil) else {
            throw CodecError("encoding \(forcing!) does not apply to this string column")
        }
        writer.bytes.reserveCapacity(writer.count + plan.size)
        StringCodec.write(column, plan: plan, into: &writer)
        return plan.encoding
    }

    private static func decodePayload(_ payload: UnsafeRawBufferPointer, header: BlockHeader) throws -> ColumnData {
        var reader = ByteReader(payload)
        let encoding = header.info.encoding, count = header.count
        let data: ColumnData
        switch header.type {
        case .uint8: data = .uint8(try IntegerCodec.read(&reader, encoding: encoding, count: count))
        case .int32: data = .int32(try IntegerCodec.read(&reader, encoding: encoding, count: count))
        case .int64: data = .int64(try IntegerCodec.read(&reader, encoding: encoding, count: count))
        case .string: data = .string(try StringCodec.read(&reader, encoding: encoding, count: count))
        }
        try reader.expectEnd()
        return data
    }
}
