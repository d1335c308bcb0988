/// The lightweight encoding of one column block, applied before block compression.
///
/// Integers (`uint8`, `int32`, `int64`) use `plain`, `constant`, `rle`, `bitpack`,
/// `deltaBitpack` and `dictionary`; strings use `plain`, `constant`, `dictionary` and
/// `prefixNumeric`. The raw values are part of the block format: never renumber them.
public enum Encoding: UInt8, Codable, Sendable, CaseIterable, CustomStringConvertible {
    /// Values as they are: little-endian integers; string lengths plus bytes.
    case plain = 0
    /// One value repeated `count` times.
    case constant = 1
    /// Run values and run lengths, each frame-of-reference bit-packed.
    case rle = 2
    /// Frame of reference: the minimum plus every value's offset from it in as few bits as the range needs.
    case bitpack = 3
    /// The first value plus frame-of-reference bit-packed differences: sorted or near-sorted data.
    case deltaBitpack = 4
    /// Sorted distinct values plus bit-packed codes into them: few distinct values.
    case dictionary = 5
    /// Strings: one common prefix plus a zero-padded decimal number of fixed width ("C000123457").
    case prefixNumeric = 6

    /// The lowercase name `recoup stats` prints.
    public var description: String {
        switch self {
        case .plain: "plain"
        case .constant: "constant"
        case .rle: "rle"
        case .bitpack: "bitpack"
        case .deltaBitpack: "delta-bitpack"
        case .dictionary: "dictionary"
        case .prefixNumeric: "prefix-numeric"
        }
    }
}

/// The general-purpose compressor applied to a lightly encoded block, if it pays.
public enum Codec: UInt8, Codable, Sendable, CaseIterable, CustomStringConvertible {
    case none = 0, lz4 = 1, zstd = 2

    public var description: String {
        switch self {
        case .none: "none"
        case .lz4: "lz4"
        case .zstd: "zstd"
        }
    }
}

/// Which codec `BlockCodec.encode` tries after the lightweight encoding.
public enum CompressionPolicy: Sendable {
    /// Fast decode: LZ4.
    case hot
    /// Best ratio: zstd level 3.
    case cold
    /// No block compression.
    case none

    var codec: Codec {
        switch self {
        case .hot: .lz4
        case .cold: .zstd
        case .none: .none
        }
    }
}

/// What a block holds and what each stage made of it.
public struct BlockInfo: Sendable, Equatable {
    public var encoding: Encoding
    public var codec: Codec
    /// The size of the plain representation (`ColumnData.plainByteCount`).
    public var plainBytes: Int
    /// The size of the lightweight-encoded payload, before block compression, without the header.
    public var encodedBytes: Int
    /// The size of the whole block as stored: header plus (compressed) payload.
    public var storedBytes: Int

    public init(encoding: Encoding, codec: Codec, plainBytes: Int, encodedBytes: Int, storedBytes: Int) {
        self.encoding = encoding
        self.codec = codec
        self.plainBytes = plainBytes
        self.encodedBytes = encodedBytes
        self.storedBytes = storedBytes
    }
}

/// A block that cannot be decoded (truncated, corrupt, or of an unknown format), or an
/// encoding that does not apply to the data it was asked for.
public struct CodecError: Error, CustomStringConvertible, Sendable {
    public let reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}
