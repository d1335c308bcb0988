import Foundation

/// A file of named arrays with a JSON metadata text: how large model parts and score sets are kept
/// beside the store (JSON would take seconds to read for a million accounts).
///
/// Layout, little-endian: the magic `RCPARR01`; u32 length + metadata UTF-8; u32 section count; per
/// section: u32 length + name, u8 kind, i64 element count, u8 codec, i64 plain size, i64 stored size,
/// the stored bytes (LZ4 when that saves ≥ 5 %); last, the XXH64 of everything before it. Strings are
/// stored as count + 1 u32 offsets followed by their UTF-8 bytes. Written to a temporary file,
/// fsynced and renamed, so a reader sees the old file or the new one, never half of one.
public struct ArrayFile: Sendable {
    public enum Kind: UInt8, Sendable {
        case uint8 = 1, int16 = 2, int32 = 3, int64 = 4, double = 5, float = 6, string = 7
    }

    struct Section: Sendable {
        var kind: Kind
        var count: Int
        var bytes: [UInt8]
    }

    static let magic = Array("RCPARR01".utf8)

    public var metadata: String
    private(set) var order: [String] = []
    private var sections: [String: Section] = [:]

    public init(metadata: String = "{}") {
        self.metadata = metadata
    }

    public var names: [String] { order }

    private mutating func put(_ name: String, _ section: Section) {
        if sections[name] == nil { order.append(name) }
        sections[name] = section
    }

    private mutating func putRaw<T>(_ name: String, _ kind: Kind, _ values: [T]) {
        put(name, Section(kind: kind, count: values.count, bytes: values.withUnsafeBytes { Array($0) }))
    }

    public mutating func put(_ name: String, _ values: [UInt8]) { putRaw(name, .uint8, values) }
    public mutating func put(_ name: String, _ values: [Int16]) { putRaw(name, .int16, values) }
    public mutating func put(_ name: String, _ values: [Int32]) { putRaw(name, .int32, values) }
    public mutating func put(_ name: String, _ values: [Int64]) { putRaw(name, .int64, values) }
    public mutating func put(_ name: String, _ values: [Double]) { putRaw(name, .double, values) }
    public mutating func put(_ name: String, _ values: [Float]) { putRaw(name, .float, values) }

    public mutating func put(_ name: String, _ values: [String]) {
        var offsets = [UInt32](repeating: 0, count: values.count + 1)
        var text: [UInt8] = []
        for (i, v) in values.enumerated() {
            text.append(contentsOf: v.utf8)
            offsets[i + 1] = UInt32(text.count)
        }
        var bytes = offsets.withUnsafeBytes { Array($0) }
        bytes.append(contentsOf: text)
        put(name, Section(kind: .string, count: values.count, bytes: bytes))
    }

    private func section(_ name: String, _ kind: Kind) throws -> Section {
        guard let s = sections[name] else { throw CodecError("no array \"\(name)\"") }
        guard s.kind == kind else { throw CodecError("array \"\(name)\" holds \(s.kind), not \(kind)") }
        return s
    }

    private func getRaw<T>(_ name: String, _ kind: Kind, _ type: T.Type) throws -> [T] {
        let s = try section(name, kind)
        guard s.bytes.count == s.count * MemoryLayout<T>.stride else {
            throw CodecError("array \"\(name)\": \(s.bytes.count) bytes for \(s.count) values")
        }
        return [T](unsafeUninitializedCapacity: s.count) { out, n in
            s.bytes.withUnsafeBytes { UnsafeMutableRawBufferPointer(out).copyMemory(from: $0) }
            n = s.count
        }
    }

    public func uint8(_ name: String) throws -> [UInt8] { try getRaw(name, .uint8, UInt8.self) }
    public func int16(_ name: String) throws -> [Int16] { try getRaw(name, .int16, Int16.self) }
    public func int32(_ name: String) throws -> [Int32] { try getRaw(name, .int32, Int32.self) }
    public func int64(_ name: String) throws -> [Int64] { try getRaw(name, .int64, Int64.self) }
    public func double(_ name: String) throws -> [Double] { try getRaw(name, .double, Double.self) }
    public func float(_ name: String) throws -> [Float] { try getRaw(name, .float, Float.self) }

    public func strings(_ name: String) throws -> [String] {
        let s = try section(name, .string)
        let head = (s.count + 1) * 4
        guard s.bytes.count >= head else { throw CodecError("array \"\(name)\": truncated offsets") }
        return try s.bytes.withUnsafeBytes { raw -> [String] in
            let text = raw.count - head
            var out: [String] = []
            out.reserveCapacity(s.count)
            var previous = 0
            for i in 0..<s.count {
                let end = Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: (i + 1) * 4, as: UInt32.self)))
                guard end >= previous, end <= text else { throw CodecError("array \"\(name)\": offset \(end) out of range") }
                out.append(String(decoding: UnsafeRawBufferPointer(rebasing: raw[(head + previous)..<(head + end)]), as: UTF8.self))
                previous = end
            }
            return out
        }
    }

    /// The file's bytes.
    public func encoded() -> [UInt8] {
        var w = ByteWriter(capacity: 1 << 16)
        Self.magic.withUnsafeBytes { w.append($0) }
        let meta = Array(metadata.utf8)
        w.u32(meta.count)
        meta.withUnsafeBytes { w.append($0) }
        w.u32(order.count)
        for name in order {
            let s = sections[name]!
            let n = Array(name.utf8)
            w.u32(n.count)
            n.withUnsafeBytes { w.append($0) }
            w.u8(s.kind.rawValue)
            w.i64(Int64(s.count))
            let packed = s.bytes.withUnsafeBytes { BlockCompression.compress($0, codec: .lz4) }
            let useLZ4 = packed.map { $0.count < s.bytes.count - s.bytes.count / 20 } ?? false
            w.u8(useLZ4 ? Codec.lz4.rawValue : Codec.none.rawValue)
            w.i64(Int64(s.bytes.count))
            let stored = useLZ4 ? packed! : s.bytes
            w.i64(Int64(stored.count))
            stored.withUnsafeBytes { w.append($0) }
        }
        let sum = XXH64.hash(w.bytes)
        w.i64(Int64(bitPattern: sum))
        return w.bytes
    }

    /// Reads a file written by `write(to:)`; damage is a `CodecError`.
    public init(decoding bytes: [UInt8]) throws {
        guard bytes.count >= Self.magic.count + 8, Array(bytes.prefix(Self.magic.count)) == Self.magic else {
            throw CodecError("not an array file (bad magic)")
        }
        let body = bytes.count - 8
        let stored = bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: body, as: UInt64.self)) }
        let actual = bytes.withUnsafeBytes { XXH64.hash(UnsafeRawBufferPointer(rebasing: $0[0..<body])) }
        guard stored == actual else { throw CodecError("checksum mismatch") }
        metadata = ""
        try bytes.withUnsafeBytes { raw in
            var r = ByteReader(UnsafeRawBufferPointer(rebasing: raw[Self.magic.count..<body]))
            let metaLength = Int(try r.u32())
            metadata = String(decoding: try r.bytes(metaLength, "metadata"), as: UTF8.self)
            let sectionCount = Int(try r.u32())
            for _ in 0..<sectionCount {
                let nameLength = Int(try r.u32())
                let name = String(decoding: try r.bytes(nameLength, "a name"), as: UTF8.self)
                guard let kind = Kind(rawValue: try r.u8()) else { throw CodecError("array \"\(name)\": unknown kind") }
                let count = Int(try r.i64())
                guard let codec = Codec(rawValue: try r.u8()) else { throw CodecError("array \"\(name)\": unknown codec") }
                let plain = Int(try r.i64()), storedSize = Int(try r.i64())
                guard count >= 0, plain >= 0, plain <= 1 << 40 else { throw CodecError("array \"\(name)\": bad sizes") }
                let src = try r.bytes(storedSize, "array \"\(name)\"")
                var out = [UInt8](repeating: 0, count: plain)
                try out.withUnsafeMutableBytes { try BlockCompression.decompress(src, codec: codec, into: $0) }
                put(name, Section(kind: kind, count: count, bytes: out))
            }
            try r.expectEnd()
        }
    }

    /// Writes the file atomically: a temporary file beside `path`, fsynced, then renamed over it.
    public func write(to path: String) throws {
        let tmp = path + ".tmp-\(getpid())"
        let dir = (path as NSString).deletingLastPathComponent
        try FileIO.makeDirectory(dir.isEmpty ? "." : dir)
        try FileIO.writeSynced(tmp, encoded())
        guard rename(tmp, path) == 0 else {
            let why = FileIO.errorText()
            unlink(tmp)
            throw RecoupError(.cannotCreate, "cannot rename \(tmp) to \(path): \(why)")
        }
        try FileIO.fsyncDirectory(dir.isEmpty ? "." : dir)
    }

    public static func read(_ path: String) throws -> ArrayFile {
        let bytes = try FileIO.readAll(path)
        do { return try ArrayFile(decoding: bytes) } catch let e as CodecError {
            throw RecoupError(.dataError, "\(path) is damaged: \(e.reason)")
        }
    }
}
