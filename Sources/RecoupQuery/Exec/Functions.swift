import RecoupEngine
import Foundation
import RecoupStore

/// Scalar functions (docs/QUERY.md). Aggregates are handled by `summarize`.
enum Functions {
    static let scalar = [
        "month", "year", "days", "today", "local_hour", "local_date", "local_weekday", "weekday",
        "date", "abs", "round", "coalesce", "if", "lower", "upper", "cents",
    ]

    static func call(_ name: String, _ args: [Expr], _ f: Frame, _ span: Span, _ ev: Evaluator) throws -> Vector {
        func arity(_ n: ClosedRange<Int>) throws {
            guard n.contains(args.count) else {
                throw QueryError(
                    "RQ310",
                    "`\(name)` takes \(n.lowerBound == n.upperBound ? "\(n.lowerBound)" : "\(n.lowerBound) to \(n.upperBound)") argument\(n.upperBound == 1 ? "" : "s"), got \(args.count)",
                    at: span)
            }
        }
        func dates(_ i: Int) throws -> [Int32] {
            switch try ev.eval(args[i], f) {
            case .date(let d): return d
            case .timestamp(let t): return t.map { $0 == Int64.min ? Int32.min : CivilDate.day(ofSeconds: $0) }
            case .null(let n): return Array(repeating: Int32.min, count: n)
            case let v: throw QueryError("RQ311", "`\(name)` needs a date, got a \(v.type.rawValue)", at: args[i].span)
            }
        }
        switch name {
        case "month":
            try arity(1...1)
            return .date(
                try dates(0).map { d in
                    guard d != Int32.min else { return d }
                    let c = CivilDate.civil(d)
                    return CivilDate.days(year: c.year, month: c.month, day: 1)
                })
        case "year":
            try arity(1...1)
            return .int(try dates(0).map { $0 == Int32.min ? Int64.min : Int64(CivilDate.civil($0).year) })
        case "weekday":
            try arity(1...1)
            return .string(
                codes: try dates(0).map { $0 == Int32.min ? -1 : Int32(CivilDate.weekday($0)) },
                dict: CivilDate.weekdayNames)
        case "date":
            try arity(1...1)
            return .date(try dates(0))
        case "days":
            try arity(2...2)
            let a = try dates(0), b = try dates(1)
            return .int(zip(a, b).map { $0 == Int32.min || $1 == Int32.min ? Int64.min : Int64($1) - Int64($0) })
        case "today":
            try arity(0...0)
            return .date(Array(repeating: try ev.context.today.get(), count: f.count))
        case "local_hour", "local_date", "local_weekday":
            try arity(1...2)
            guard let keys = f.accountKey else {
                throw QueryError(
                    "RQ312", "`\(name)` needs rows that belong to an account (contacts, payments, promises, accounts)",
                    at: span)
            }
            if args.count == 2, case .column(let c, _) = args[1], c == "account" || c == "account_id" {
            } else if args.count == 2 {
                throw QueryError(
                    "RQ313", "the second argument of `\(name)` is `account` (the row's account gives the time zone)",
                    at: args[1].span)
            }
            guard case .timestamp(let ts) = try ev.eval(args[0], f) else {
                throw QueryError("RQ311", "`\(name)` needs a timestamp such as `ts`", at: args[0].span)
            }
            var local = [Int64](repeating: Int64.min, count: ts.count)
            if !ts.isEmpty {
                // The accounts' zones are read only when there are rows (binding runs on none).
                var clock = ev.context.clock
                for r in 0..<ts.count where ts[r] != Int64.min { local[r] = clock.local(ts[r], account: Int(keys[r])) }
            }
            let days = local.map { $0 == Int64.min ? Int32.min : CivilDate.day(ofSeconds: $0) }
            switch name {
            case "local_hour":
                return .int(local.map { $0 == Int64.min ? Int64.min : Int64(LocalTime.hour($0)) })
            case "local_date": return .date(days)
            default:
                return .string(
                    codes: days.map { $0 == Int32.min ? -1 : Int32(CivilDate.weekday($0)) },
                    dict: CivilDate.weekdayNames)
            }
        case "abs":
            try arity(1...1)
            switch try ev.eval(args[0], f) {
            case .int(let v): return .int(v.map { $0 == Int64.min ? $0 : abs($0) })
            case .money(let v): return .money(v.map { $0 == Int64.min ? $0 : abs($0) })
            case .float(let v): return .float(v.map { abs($0) })
            case let v: throw QueryError("RQ311", "`abs` needs a number, got a \(v.type.rawValue)", at: args[0].span)
            }
        case "round":
            try arity(1...2)
            var digits = 0
            if args.count == 2 {
                guard case .literal(.int(let d), _) = args[1] else {
                    throw QueryError("RQ311", "`round`'s digits must be a whole number", at: args[1].span)
                }
                digits = Int(d)
            }
            guard let x = Arithmetic.asDouble(try ev.eval(args[0], f)) else {
                throw QueryError("RQ311", "`round` needs a number", at: args[0].span)
            }
            let p = pow(10.0, Double(digits))
            return .float(x.map { ($0 * p).rounded() / p })
        case "coalesce":
            try arity(2...2)
            let a = try ev.eval(args[0], f)
            let b = try ev.eval(args[1], f, hint: a.type)
            guard a.type == b.type || a.type == .null else {
                throw QueryError(
                    "RQ311", "`coalesce` needs two values of one type, got \(a.type.rawValue) and \(b.type.rawValue)",
                    at: span)
            }
            let pick = (0..<f.count).map { Int32(a.isNull($0) ? -1 : $0) }
            let fromA = a.gatherOrNull(pick)
            let rows = (0..<f.count).map { a.isNull($0) ? Int32($0) : -1 }
            let fromB = b.gatherOrNull(rows)
            return merge(fromA, fromB)
        case "if":
            try arity(3...3)
            let cond = try ev.bool(ev.eval(args[0], f), args[0].span)
            let a =
                try ev.isConstant(args[1]) && !ev.isConstant(args[2])
                ? { () throws -> Vector in
                    let b = try ev.eval(args[2], f); return try ev.eval(args[1], f, hint: b.type)
                }()
                : ev.eval(args[1], f)
            let b = try ev.eval(args[2], f, hint: a.type)
            guard a.type == b.type || a.type == .null || b.type == .null else {
                throw QueryError(
                    "RQ311", "`if` needs both branches of one type, got \(a.type.rawValue) and \(b.type.rawValue)",
                    at: span)
            }
            let rowsA = cond.enumerated().map { $1 == 1 ? Int32($0) : -1 }
            let rowsB = cond.enumerated().map { $1 == 1 ? -1 : Int32($0) }
            return merge(a.gatherOrNull(rowsA), b.gatherOrNull(rowsB))
        case "lower", "upper":
            try arity(1...1)
            guard case .string(let c, let d) = try ev.eval(args[0], f) else {
                throw QueryError("RQ311", "`\(name)` needs a string", at: args[0].span)
            }
            return .canonical(c, d.map { name == "lower" ? $0.lowercased() : $0.uppercased() })
        case "cents":
            try arity(1...1)
            guard case .money(let v) = try ev.eval(args[0], f) else {
                throw QueryError("RQ311", "`cents` needs money", at: args[0].span)
            }
            return .int(v)
        default:
            if QueryCatalog.aggregates.contains(name) {
                throw QueryError(
                    "RQ320", "`\(name)` is an aggregate: use it in `summarize`", at: span,
                    help: "for example: summarize total = \(name)(…) by portfolio")
            }
            let hint = Suggest.closest(name, in: scalar + QueryCatalog.aggregates).map { "did you mean `\($0)`?" }
            throw QueryError("RQ202", "unknown function `\(name)`", at: span, help: hint)
        }
    }

    /// Row-wise: a's value where it is not null, else b's.
    static func merge(_ a: Vector, _ b: Vector) -> Vector {
        switch (a, b) {
        case (.int(let x), .int(let y)): .int(zip(x, y).map { $0 == Int64.min ? $1 : $0 })
        case (.money(let x), .money(let y)): .money(zip(x, y).map { $0 == Int64.min ? $1 : $0 })
        case (.timestamp(let x), .timestamp(let y)): .timestamp(zip(x, y).map { $0 == Int64.min ? $1 : $0 })
        case (.float(let x), .float(let y)): .float(zip(x, y).map { $0.isNaN ? $1 : $0 })
        case (.date(let x), .date(let y)): .date(zip(x, y).map { $0 == Int32.min ? $1 : $0 })
        case (.bool(let x), .bool(let y)): .bool(zip(x, y).map { $0 == 2 ? $1 : $0 })
        case (.string(let xc, let xd), .string(let yc, let yd)):
            .canonical(zip(xc, yc).map { $0 >= 0 ? $0 : ($1 >= 0 ? $1 + Int32(xd.count) : -1) }, xd + yd)
        default: b
        }
    }
}
