/// The physical representation of one column of one segment, decoded.
///
/// Null is a sentinel of the physical type (see `Null`), so vectorized loops
/// need no separate validity bitmap: `Int32.min` for dates and dictionary
/// codes, `Int64.min` for money, ints and timestamps, the empty string for
/// strings (DATA.md: an empty optional string is null).
public enum PhysicalType: String, Codable, Sendable, CaseIterable {
    case uint8, int32, int64, string
}

public enum Null {
    public static let int32 = Int32.min
    public static let int64 = Int64.min
}

/// Variable-length strings as one byte heap plus `count + 1` offsets.
public struct StringColumn: Equatable, Sendable {
    public var offsets: [Int32]
    public var bytes: [UInt8]

    public init() {
        offsets = [0]
        bytes = []
    }

    public init(offsets: [Int32], bytes: [UInt8]) {
        precondition(!offsets.isEmpty && Int(offsets.last!) == bytes.count)
        self.offsets = offsets
        self.bytes = bytes
    }

    public init<S: Sequence>(_ strings: S) where S.Element == String {
        self.init()
        for s in strings { append(s) }
    }

    public var count: Int { offsets.count - 1 }

    public mutating func append(_ s: String) {
        var s = s
        s.withUTF8 { bytes.append(contentsOf: $0) }
        offsets.append(Int32(bytes.count))
    }

    public mutating func append(_ utf8: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: utf8)
        offsets.append(Int32(bytes.count))
    }

    public subscript(i: Int) -> String {
        let lo = Int(offsets[i]), hi = Int(offsets[i + 1])
        return bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[lo..<hi]), as: UTF8.self) }
    }

    public var strings: [String] { (0..<count).map { self[$0] } }
}

/// One decoded column block.
public enum ColumnData: Equatable, Sendable {
    case uint8([UInt8])
    case int32([Int32])
    case int64([Int64])
    case string(StringColumn)

    public var type: PhysicalType {
        switch self {
        case .uint8: .uint8
        case .int32: .int32
        case .int64: .int64
        case .string: .string
        }
    }

    public var count: Int {
        switch self {
        case .uint8(let v): v.count
        case .int32(let v): v.count
        case .int64(let v): v.count
        case .string(let v): v.count
        }
    }

    /// The uncompressed size of the plain representation, in bytes.
    public var plainByteCount: Int {
        switch self {
        case .uint8(let v): v.count
        case .int32(let v): v.count * 4
        case .int64(let v): v.count * 8
        case .string(let v): v.bytes.count + v.offsets.count * 4
        }
    }
}
