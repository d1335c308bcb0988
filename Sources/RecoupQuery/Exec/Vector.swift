import RecoupEngine
import RecoupKPI
import RecoupStore

/// A column of values during a query, a whole column at a time. Null is a
/// sentinel of the representation (as in the store): Int64.min, Int32.min,
/// NaN, bool 2, string code -1.
enum Vector {
    case int([Int64])
    case money([Int64])
    case float([Double])
    case date([Int32])
    case timestamp([Int64])
    /// 0 false, 1 true, 2 null.
    case bool([UInt8])
    /// Dictionary strings: per row a code into `dict`, -1 for null. Invariant: `dict`
    /// holds no string twice, so equal codes ⇔ equal strings (grouping uses codes as they are).
    case string(codes: [Int32], dict: [String])
    case null(Int)

    var count: Int {
        switch self {
        case .int(let v), .money(let v), .timestamp(let v): v.count
        case .float(let v): v.count
        case .date(let v): v.count
        case .bool(let v): v.count
        case .string(let c, _): c.count
        case .null(let n): n
        }
    }

    var type: ValueType {
        switch self {
        case .int: .int
        case .money: .money
        case .float: .float
        case .date: .date
        case .timestamp: .timestamp
        case .bool: .bool
        case .string: .string
        case .null: .null
        }
    }

    /// The rows at `rows`, in that order.
    func gather(_ rows: [Int32]) -> Vector {
        switch self {
        case .int(let v): .int(rows.map { v[Int($0)] })
        case .money(let v): .money(rows.map { v[Int($0)] })
        case .timestamp(let v): .timestamp(rows.map { v[Int($0)] })
        case .float(let v): .float(rows.map { v[Int($0)] })
        case .date(let v): .date(rows.map { v[Int($0)] })
        case .bool(let v): .bool(rows.map { v[Int($0)] })
        case .string(let c, let d): .string(codes: rows.map { c[Int($0)] }, dict: d)
        case .null: .null(rows.count)
        }
    }

    /// Rows at `rows`, where -1 gives null (outer joins).
    func gatherOrNull(_ rows: [Int32]) -> Vector {
        switch self {
        case .int(let v): .int(rows.map { $0 < 0 ? Int64.min : v[Int($0)] })
        case .money(let v): .money(rows.map { $0 < 0 ? Int64.min : v[Int($0)] })
        case .timestamp(let v): .timestamp(rows.map { $0 < 0 ? Int64.min : v[Int($0)] })
        case .float(let v): .float(rows.map { $0 < 0 ? .nan : v[Int($0)] })
        case .date(let v): .date(rows.map { $0 < 0 ? Int32.min : v[Int($0)] })
        case .bool(let v): .bool(rows.map { $0 < 0 ? 2 : v[Int($0)] })
        case .string(let c, let d): .string(codes: rows.map { $0 < 0 ? -1 : c[Int($0)] }, dict: d)
        case .null: .null(rows.count)
        }
    }

    func value(_ r: Int) -> KPIValue {
        switch self {
        case .int(let v): v[r] == Int64.min ? .null : .int(v[r])
        case .money(let v): v[r] == Int64.min ? .null : .money(v[r])
        case .timestamp(let v): v[r] == Int64.min ? .null : .timestamp(v[r])
        case .float(let v): v[r].isNaN ? .null : .decimal(v[r])
        case .date(let v): v[r] == Int32.min ? .null : .date(v[r])
        case .bool(let v): v[r] == 2 ? .null : .bool(v[r] == 1)
        case .string(let c, let d): c[r] < 0 ? .null : .text(d[Int(c[r])])
        case .null: .null
        }
    }

    func isNull(_ r: Int) -> Bool {
        switch self {
        case .int(let v), .money(let v), .timestamp(let v): v[r] == Int64.min
        case .float(let v): v[r].isNaN
        case .date(let v): v[r] == Int32.min
        case .bool(let v): v[r] == 2
        case .string(let c, _): c[r] < 0
        case .null: true
        }
    }

    /// A constant broadcast to `n` rows.
    static func constant(_ v: Scalar, _ n: Int) -> Vector {
        switch v {
        case .int(let x): .int(Array(repeating: x, count: n))
        case .money(let x): .money(Array(repeating: x, count: n))
        case .float(let x): .float(Array(repeating: x, count: n))
        case .date(let x): .date(Array(repeating: x, count: n))
        case .timestamp(let x): .timestamp(Array(repeating: x, count: n))
        case .bool(let b): .bool(Array(repeating: b ? 1 : 0, count: n))
        case .string(let s): .string(codes: Array(repeating: 0, count: n), dict: [s])
        case .null: .null(n)
        }
    }

    /// Parts of one column end to end (a scan's segments); a column with no parts is the empty column
    /// of `empty`'s type. String parts with one shared dictionary (enums, dictionary columns) keep it.
    static func concatenate(_ parts: [Vector], empty spec: ColumnSpec) -> Vector {
        guard let first = parts.first else { return EmptyRelation.vector(Tables.type(of: spec)) }
        if parts.count == 1 { return first }
        switch first {
        case .int: return .int(Concat.flatten(parts.map { if case .int(let v) = $0 { v } else { [] } }))
        case .money: return .money(Concat.flatten(parts.map { if case .money(let v) = $0 { v } else { [] } }))
        case .timestamp:
            return .timestamp(Concat.flatten(parts.map { if case .timestamp(let v) = $0 { v } else { [] } }))
        case .float: return .float(Concat.flatten(parts.map { if case .float(let v) = $0 { v } else { [] } }))
        case .date: return .date(Concat.flatten(parts.map { if case .date(let v) = $0 { v } else { [] } }))
        case .bool: return .bool(Concat.flatten(parts.map { if case .bool(let v) = $0 { v } else { [] } }))
        case .null: return .null(parts.reduce(0) { $0 + $1.count })
        case .string(_, let dict):
            if parts.allSatisfy({ if case .string(_, let d) = $0 { d == dict } else { false } }) {
                return .string(
                    codes: Concat.flatten(parts.map { if case .string(let c, _) = $0 { c } else { [] } }), dict: dict)
            }
            // Different dictionaries: one after the other, then each string once.
            var codes: [Int32] = [], all: [String] = []
            for case .string(let c, let d) in parts {
                let base = Int32(all.count)
                codes += c.map { $0 < 0 ? -1 : $0 + base }
                all += d
            }
            return canonical(codes, all)
        }
    }

    /// Strings from a store text column, as a dictionary vector; `unique` when no value repeats (a key column).
    static func text(_ col: StringColumn, unique: Bool) -> Vector {
        var dict: [String] = []
        dict.reserveCapacity(col.count)
        var codes = [Int32](repeating: -1, count: col.count)
        col.bytes.withUnsafeBufferPointer { b in
            for i in 0..<col.count {
                let lo = Int(col.offsets[i]), hi = Int(col.offsets[i + 1])
                if lo == hi { continue }
                codes[i] = Int32(dict.count)
                dict.append(String(decoding: UnsafeBufferPointer(rebasing: b[lo..<hi]), as: UTF8.self))
            }
        }
        return unique ? .string(codes: codes, dict: dict) : canonical(codes, dict)
    }

    /// The same strings with a dictionary that holds each string once.
    static func canonical(_ codes: [Int32], _ dict: [String]) -> Vector {
        var index: [String: Int32] = [:]
        var out: [String] = []
        let map = dict.map { s -> Int32 in
            if let c = index[s] { return c }
            index[s] = Int32(out.count)
            out.append(s)
            return Int32(out.count - 1)
        }
        if out.count == dict.count { return .string(codes: codes, dict: dict) }
        return .string(codes: codes.map { $0 < 0 ? -1 : map[Int($0)] }, dict: out)
    }

    /// Stored dictionary codes (null = Int32.min) with their dictionary.
    static func dictionary(_ codes: [Int32], _ dict: [String]) -> Vector {
        .string(codes: codes.map { $0 == Int32.min ? -1 : $0 }, dict: dict)
    }

    static func enumeration(_ codes: [UInt8], _ words: [String]) -> Vector {
        .string(codes: codes.map { Int32($0) }, dict: words)
    }
}

/// One value known when the query is bound (literals, parameters, today()).
enum Scalar: Equatable {
    case int(Int64)
    case money(Int64)
    case float(Double)
    case date(Int32)
    case timestamp(Int64)
    case bool(Bool)
    case string(String)
    case null

    var type: ValueType {
        switch self {
        case .int: .int
        case .money: .money
        case .float: .float
        case .date: .date
        case .timestamp: .timestamp
        case .bool: .bool
        case .string: .string
        case .null: .null
        }
    }
}
