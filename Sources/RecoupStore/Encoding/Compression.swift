import CLZ4
import CZstd

/// A failure code from LZ4: zero from a compressor that ran out of room, or the
/// negative input position where `LZ4_decompress_safe` stopped on malformed input.
struct LZ4Status: RawRepresentable, Error, Hashable, CustomStringConvertible {
    var rawValue: Int32

    var description: String {
        rawValue == 0 ? "LZ4 error (output buffer too small)" : "LZ4 error \(rawValue) (malformed input at byte \(-Int(rawValue)))"
    }
}

/// A `size_t` return value of zstd for which `ZSTD_isError` holds.
struct ZstdStatus: RawRepresentable, Error, Hashable, CustomStringConvertible {
    var rawValue: Int

    init(rawValue: Int) {
        self.rawValue = rawValue
    }

    /// Nil when `code` is a size, not an error.
    init?(checking code: Int) {
        guard ZSTD_isError(code) != 0 else { return nil }
        rawValue = code
    }

    var description: String { "zstd error: " + String(cString: ZSTD_getErrorName(rawValue)) }
}

/// Block compression of lightly encoded payloads.
enum BlockCompression {
    static let zstdLevel: Int32 = 3

    /// The compressed bytes, or nil if `codec` cannot take this input (LZ4 above 2 GB).
    static func compress(_ src: UnsafeRawBufferPointer, codec: Codec) -> [UInt8]? {
        switch codec {
        case .none:
            return Array(src)
        case .lz4:
            guard src.count <= Int(LZ4_MAX_INPUT_SIZE) else { return nil }
            let bound = Int(LZ4_compressBound(Int32(src.count)))
            return [UInt8](unsafeUninitializedCapacity: max(bound, 1)) { dst, initialized in
                let written = LZ4_compress_default(
                    src.baseAddress.map { $0.assumingMemoryBound(to: CChar.self) },
                    UnsafeMutableRawPointer(dst.baseAddress!).assumingMemoryBound(to: CChar.self),
                    Int32(src.count), Int32(bound))
                initialized = written > 0 ? Int(written) : 0
            }.nilIfEmpty(unless: src.isEmpty)
        case .zstd:
            let bound = ZSTD_compressBound(src.count)
            var failed = false
            let out = [UInt8](unsafeUninitializedCapacity: max(bound, 1)) { dst, initialized in
                let written = ZSTD_compress(dst.baseAddress!, bound, src.baseAddress, src.count, zstdLevel)
                failed = ZstdStatus(checking: written) != nil
                initialized = failed ? 0 : written
            }
            return failed ? nil : out
        }
    }

    /// Decompresses `src` into `dst`, which must come out exactly full.
    static func decompress(_ src: UnsafeRawBufferPointer, codec: Codec, into dst: UnsafeMutableRawBufferPointer) throws {
        switch codec {
        case .none:
            guard src.count == dst.count else {
                throw CodecError("corrupt block: \(src.count) stored bytes for \(dst.count) encoded")
            }
            if !src.isEmpty { dst.copyMemory(from: src) }
        case .lz4:
            guard src.count <= Int(Int32.max), dst.count <= Int(Int32.max) else {
                throw CodecError("corrupt block: LZ4 sizes out of range")
            }
            if src.isEmpty && dst.isEmpty { return }
            guard let source = src.baseAddress, let target = dst.baseAddress else {
                throw CodecError("corrupt block: empty LZ4 payload")
            }
            let read = LZ4_decompress_safe(
                source.assumingMemoryBound(to: CChar.self), target.assumingMemoryBound(to: CChar.self),
                Int32(src.count), Int32(dst.count))
            guard read >= 0 else { throw CodecError("corrupt block: \(LZ4Status(rawValue: read))") }
            guard Int(read) == dst.count else {
                throw CodecError("corrupt block: LZ4 gave \(read) bytes, the header says \(dst.count)")
            }
        case .zstd:
            guard let source = src.baseAddress else { throw CodecError("corrupt block: empty zstd payload") }
            let target = dst.baseAddress ?? UnsafeMutableRawPointer(mutating: source)
            let read = ZSTD_decompress(target, dst.count, source, src.count)
            if let status = ZstdStatus(checking: read) { throw CodecError("corrupt block: \(status)") }
            guard read == dst.count else {
                throw CodecError("corrupt block: zstd gave \(read) bytes, the header says \(dst.count)")
            }
        }
    }
}

extension Array {
    fileprivate func nilIfEmpty(unless allowed: Bool) -> Self? {
        isEmpty && !allowed ? nil : self
    }
}
