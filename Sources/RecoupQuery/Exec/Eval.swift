import Foundation
import RecoupStore

/// Evaluates expressions a column at a time. Types are checked on the
/// vectors, once per operation, never per row; literals take the type of the
/// other operand where that is exact (`amount > 12.50` compares cents).
struct Evaluator {
    let context: QueryContext

    func eval(_ e: Expr, _ f: Frame, hint: ValueType? = nil) throws -> Vector {
        try context.checkTime()
        switch e {
        case .literal(let lit, let span):
            return .constant(try scalar(lit, hint: hint, span), f.count)
        case .parameter(let name, let span):
            return .constant(try context.parameter(name, hint: hint, span), f.count)
        case .column(let name, let span):
            guard let i = f.index(of: name) else {
                let known = f.names + context.sourceColumns.filter { !f.names.contains($0) }
                let hint = Suggest.closest(name, in: known).map { "did you mean `\($0)`?" } ?? "columns here: " + known.joined(separator: ", ")
                throw QueryError("RQ201", "unknown column `\(name)`", at: span, help: hint)
            }
            return f.columns[i]
        case .unary(.negate, let x, let span):
            switch try eval(x, f, hint: hint) {
            case .int(let v): return .int(v.map { $0 == Int64.min ? $0 : -$0 })
            case .money(let v): return .money(v.map { $0 == Int64.min ? $0 : -$0 })
            case .float(let v): return .float(v.map { -$0 })
            case .null(let n): return .null(n)
            case let v: throw QueryError("RQ301", "cannot negate a \(v.type.rawValue)", at: span)
            }
        case .unary(.not, let x, let span):
            let b = try bool(eval(x, f), span)
            return .bool(b.map { $0 == 2 ? 2 : 1 - $0 })
        case .binary(let op, let l, let r, let span):
            return try binary(op, l, r, f, span)
        case .isNull(let x, let negated, _):
            let v = try eval(x, f)
            return .bool((0..<f.count).map { (v.isNull($0) != negated) ? 1 : 0 })
        case .inList(let x, let items, let negated, let span):
            let v = try eval(x, f)
            var out = [UInt8](repeating: 0, count: f.count)
            for item in items {
                let eq = try compare(.equal, v, try eval(item, f, hint: v.type), span)
                for r in 0..<f.count where eq[r] == 1 { out[r] = 1 }
            }
            for r in 0..<f.count where v.isNull(r) { out[r] = 2 }
            return .bool(negated ? out.map { $0 == 2 ? 2 : 1 - $0 } : out)
        case .between(let x, let lo, let hi, let negated, let span):
            let v = try eval(x, f)
            let a = try compare(.greaterEqual, v, try eval(lo, f, hint: v.type), span)
            let b = try compare(.lessEqual, v, try eval(hi, f, hint: v.type), span)
            let both = zip(a, b).map { Logic.and($0, $1) }
            return .bool(negated ? both.map { $0 == 2 ? 2 : 1 - $0 } : both)
        case .call(let name, let args, let span):
            return try Functions.call(name, args, f, span, self)
        }
    }

    /// A literal as a scalar; a number becomes money when the other side is money.
    func scalar(_ lit: Literal, hint: ValueType?, _ span: Span) throws -> Scalar {
        switch lit {
        case .int(let v):
            if hint == .money {
                let (c, o) = v.multipliedReportingOverflow(by: 100)
                if o { throw QueryError("RQ104", "amount out of range", at: span) }
                return .money(c)
            }
            if hint == .float { return .float(Double(v)) }
            return .int(v)
        case .decimal(let text):
            if hint == .money {
                var t = text
                let parsed = t.withUTF8 { FieldParsers.money(UnsafeRawBufferPointer($0)) }
                switch parsed {
                case .ok(let c): return .money(c)
                case .bad(let why): throw QueryError("RQ302", "`\(text)` cannot be compared with money exactly: it \(why)", at: span)
                }
            }
            return .float(Double(text) ?? .nan)
        case .string(let s): return .string(s)
        case .date(let d): return hint == .timestamp ? .timestamp(Int64(d) * 86400) : .date(d)
        case .bool(let b): return .bool(b)
        case .null: return .null
        }
    }

    func bool(_ v: Vector, _ span: Span) throws -> [UInt8] {
        switch v {
        case .bool(let b): return b
        case .null(let n): return Array(repeating: 2, count: n)
        default: throw QueryError("RQ303", "expected a condition (true/false), found a \(v.type.rawValue)", at: span)
        }
    }

    /// Evaluates both sides; a literal (or parameter) side takes the other side's type.
    func operands(_ l: Expr, _ r: Expr, _ f: Frame) throws -> (Vector, Vector) {
        if isConstant(l) && !isConstant(r) {
            let b = try eval(r, f)
            return (try eval(l, f, hint: b.type), b)
        }
        let a = try eval(l, f)
        return (a, try eval(r, f, hint: a.type))
    }

    func isConstant(_ e: Expr) -> Bool {
        switch e {
        case .literal, .parameter: true
        case .unary(.negate, let x, _): isConstant(x)
        default: false
        }
    }

    func binary(_ op: BinaryOp, _ l: Expr, _ r: Expr, _ f: Frame, _ span: Span) throws -> Vector {
        switch op {
        case .and, .or:
            let a = try bool(eval(l, f), l.span), b = try bool(eval(r, f), r.span)
            return .bool(zip(a, b).map { op == .and ? Logic.and($0, $1) : Logic.or($0, $1) })
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual:
            let (a, b) = try operands(l, r, f)
            return .bool(try compare(op, a, b, span))
        case .add, .subtract, .multiply, .divide:
            let (a, b) = try operands(l, r, f)
            return try Arithmetic.apply(op, a, b, span)
        }
    }

    /// Three-valued comparison of two vectors.
    func compare(_ op: BinaryOp, _ a: Vector, _ b: Vector, _ span: Span) throws -> [UInt8] {
        func cmp<T: Comparable>(_ x: [T], _ y: [T], null: (T) -> Bool) -> [UInt8] {
            var out = [UInt8](repeating: 0, count: x.count)
            for i in 0..<x.count {
                if null(x[i]) || null(y[i]) { out[i] = 2; continue }
                let r: Bool
                switch op {
                case .equal: r = x[i] == y[i]
                case .notEqual: r = x[i] != y[i]
                case .less: r = x[i] < y[i]
                case .lessEqual: r = x[i] <= y[i]
                case .greater: r = x[i] > y[i]
                default: r = x[i] >= y[i]
                }
                out[i] = r ? 1 : 0
            }
            return out
        }
        switch (a, b) {
        case (.null(let n), _), (_, .null(let n)): return Array(repeating: 2, count: n)
        case (.int(let x), .int(let y)), (.money(let x), .money(let y)), (.timestamp(let x), .timestamp(let y)):
            return cmp(x, y) { $0 == Int64.min }
        case (.date(let x), .date(let y)): return cmp(x, y) { $0 == Int32.min }
        case (.date(let x), .timestamp(let y)): return cmp(x.map { $0 == Int32.min ? Int64.min : Int64($0) * 86400 }, y) { $0 == Int64.min }
        case (.timestamp(let x), .date(let y)): return cmp(x, y.map { $0 == Int32.min ? Int64.min : Int64($0) * 86400 }) { $0 == Int64.min }
        case (.bool(let x), .bool(let y)): return cmp(x, y) { $0 == 2 }
        case (.string(let xc, let xd), .string(let yc, let yd)):
            return compareStrings(op, xc, xd, yc, yd)
        default:
            if let x = Arithmetic.asDouble(a), let y = Arithmetic.asDouble(b) { return cmp(x, y) { $0.isNaN } }
            throw QueryError("RQ304", "cannot compare a \(a.type.rawValue) with a \(b.type.rawValue)", at: span,
                             help: a.type == .string || b.type == .string ? "strings compare with strings: write \"…\"" : nil)
        }
    }

    private func compareStrings(_ op: BinaryOp, _ xc: [Int32], _ xd: [String], _ yc: [Int32], _ yd: [String]) -> [UInt8] {
        func order(_ s: String, _ t: String) -> Int {
            s == t ? 0 : (s.utf8.lexicographicallyPrecedes(t.utf8) ? -1 : 1)
        }
        func test(_ c: Int) -> Bool {
            switch op {
            case .equal: c == 0
            case .notEqual: c != 0
            case .less: c < 0
            case .lessEqual: c <= 0
            case .greater: c > 0
            default: c >= 0
            }
        }
        // A constant right side (one dictionary entry): decide per dictionary entry, then map codes.
        if yd.count == 1, !yc.contains(where: { $0 < 0 }) {
            let verdict = xd.map { test(order($0, yd[0])) ? UInt8(1) : 0 }
            return xc.map { $0 < 0 ? 2 : verdict[Int($0)] }
        }
        return (0..<xc.count).map { i in
            if xc[i] < 0 || yc[i] < 0 { return 2 }
            return test(order(xd[Int(xc[i])], yd[Int(yc[i])])) ? 1 : 0
        }
    }
}

enum Logic {
    @inline(__always) static func and(_ a: UInt8, _ b: UInt8) -> UInt8 {
        if a == 0 || b == 0 { return 0 }
        if a == 2 || b == 2 { return 2 }
        return 1
    }

    @inline(__always) static func or(_ a: UInt8, _ b: UInt8) -> UInt8 {
        if a == 1 || b == 1 { return 1 }
        if a == 2 || b == 2 { return 2 }
        return 0
    }
}

enum Arithmetic {
    /// Numbers as Double in their natural unit (money in currency units).
    static func asDouble(_ v: Vector) -> [Double]? {
        switch v {
        case .int(let x): x.map { $0 == Int64.min ? .nan : Double($0) }
        case .money(let x): x.map { $0 == Int64.min ? .nan : Double($0) / 100 }
        case .float(let x): x
        default: nil
        }
    }

    static func apply(_ op: BinaryOp, _ a: Vector, _ b: Vector, _ span: Span) throws -> Vector {
        func ints(_ x: [Int64], _ y: [Int64], _ f: (Int64, Int64) -> (Int64, Bool)) throws -> [Int64] {
            var out = [Int64](repeating: 0, count: x.count)
            for i in 0..<x.count {
                if x[i] == Int64.min || y[i] == Int64.min { out[i] = Int64.min; continue }
                let (v, o) = f(x[i], y[i])
                if o || v == Int64.min { throw QueryError("RQ305", "arithmetic overflow", at: span) }
                out[i] = v
            }
            return out
        }
        let add: (Int64, Int64) -> (Int64, Bool) = { $0.addingReportingOverflow($1) }
        let sub: (Int64, Int64) -> (Int64, Bool) = { $0.subtractingReportingOverflow($1) }
        let mul: (Int64, Int64) -> (Int64, Bool) = { $0.multipliedReportingOverflow(by: $1) }
        switch (op, a, b) {
        case (_, .null(let n), _), (_, _, .null(let n)): return .null(n)
        case (.add, .int(let x), .int(let y)): return .int(try ints(x, y, add))
        case (.subtract, .int(let x), .int(let y)): return .int(try ints(x, y, sub))
        case (.multiply, .int(let x), .int(let y)): return .int(try ints(x, y, mul))
        case (.add, .money(let x), .money(let y)): return .money(try ints(x, y, add))
        case (.subtract, .money(let x), .money(let y)): return .money(try ints(x, y, sub))
        case (.multiply, .money(let x), .int(let y)), (.multiply, .int(let y), .money(let x)): return .money(try ints(x, y, mul))
        case (.add, .date(let x), .int(let y)), (.add, .int(let y), .date(let x)):
            return .date(zip(x, y).map { $0 == Int32.min || $1 == Int64.min ? Int32.min : $0 + Int32(truncatingIfNeeded: $1) })
        case (.subtract, .date(let x), .int(let y)):
            return .date(zip(x, y).map { $0 == Int32.min || $1 == Int64.min ? Int32.min : $0 - Int32(truncatingIfNeeded: $1) })
        case (.subtract, .date(let x), .date(let y)):
            return .int(zip(x, y).map { $0 == Int32.min || $1 == Int32.min ? Int64.min : Int64($0) - Int64($1) })
        case (.add, .timestamp(let x), .int(let y)): return .timestamp(try ints(x, y, add))
        case (.subtract, .timestamp(let x), .int(let y)): return .timestamp(try ints(x, y, sub))
        case (.subtract, .timestamp(let x), .timestamp(let y)): return .int(try ints(x, y, sub))
        default:
            if case .money = a, case .int = b, op == .add || op == .subtract {
                throw QueryError("RQ306", "cannot \(op == .add ? "add" : "subtract") an int and money", at: span, help: "write the amount as money, e.g. 12.50")
            }
            guard let x = asDouble(a), let y = asDouble(b) else {
                throw QueryError("RQ306", "cannot apply `\(op.rawValue)` to a \(a.type.rawValue) and a \(b.type.rawValue)", at: span)
            }
            switch op {
            case .add: return .float(zip(x, y).map(+))
            case .subtract: return .float(zip(x, y).map(-))
            case .multiply: return .float(zip(x, y).map(*))
            default: return .float(zip(x, y).map { $1 == 0 ? .nan : $0 / $1 })
            }
        }
    }
}
