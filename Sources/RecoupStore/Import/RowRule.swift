/// Rules between the values of one row (DATA.md), with column slots resolved once.
struct RowRule {
    enum Kind { case accounts, contacts, payments, promises }
    let kind: Kind
    let a: Int, b: Int, c: Int, d: Int, e: Int  // column indexes, meaning by kind
    let sa: Int, sb: Int, sc: Int, sd: Int, se: Int  // their slots

    init(_ schema: TableSchema) {
        let buffer = RowBuffer(schema: schema)
        func ix(_ n: String) -> Int { schema.index(of: n)! }
        let cols: [Int]
        switch schema.name {
        case "accounts":
            kind = .accounts
            cols = [ix("opened_date"), ix("due_date"), ix("placed_date"), ix("principal"), ix("credit_score")]
        case "contacts":
            kind = .contacts
            cols = [ix("duration_s"), 0, 0, 0, 0]
        case "payments":
            kind = .payments
            cols = [ix("amount"), 0, 0, 0, 0]
        default:
            kind = .promises
            cols = [ix("created_date"), ix("due_date"), ix("amount"), 0, 0]
        }
        (a, b, c, d, e) = (cols[0], cols[1], cols[2], cols[3], cols[4])
        (sa, sb, sc, sd, se) = (buffer.slots[a], buffer.slots[b], buffer.slots[c], buffer.slots[d], buffer.slots[e])
    }

    /// The column to blame and why, or nil when the staged row is consistent.
    func check(_ r: inout RowBuffer) -> (Int, String)? {
        switch kind {
        case .accounts:
            let opened = r.pendingI32(sa)
            if r.pendingI32(sb) < opened { return (b, "is before opened_date \(CivilDate.format(opened))") }
            if r.pendingI32(sc) < opened { return (c, "is before opened_date \(CivilDate.format(opened))") }
            if r.pendingI64(sd) <= 0 { return (d, "must be greater than 0") }
            let score = r.pendingI64(se)
            if score != Null.int64 && (score < 300 || score > 850) { return (e, "is outside 300..850") }
        case .contacts:
            let v = r.pendingI64(sa)
            if v != Null.int64 && v < 0 { return (a, "must be ≥ 0") }
        case .payments:
            if r.pendingI64(sa) == 0 { return (a, "must not be 0") }
        case .promises:
            let created = r.pendingI32(sa)
            if r.pendingI32(sb) < created { return (b, "is before created_date \(CivilDate.format(created))") }
            if r.pendingI64(sc) <= 0 { return (c, "must be greater than 0") }
        }
        return nil
    }
}
