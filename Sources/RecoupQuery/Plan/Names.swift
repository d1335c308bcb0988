/// The names expressions and stages refer to: what column pruning keeps.
enum Names {
    static func referenced(_ exprs: [Expr]) -> Set<String> {
        var names = Set<String>()
        exprs.forEach { visit($0, &names) }
        return names
    }

    static func visit(_ e: Expr, _ names: inout Set<String>) {
        switch e {
        case .column(let n, _): names.insert(n)
        case .call(_, let args, _): args.forEach { visit($0, &names) }
        case .unary(_, let x, _): visit(x, &names)
        case .binary(_, let l, let r, _): visit(l, &names); visit(r, &names)
        case .inList(let x, let items, _, _): visit(x, &names); items.forEach { visit($0, &names) }
        case .between(let x, let a, let b, _, _): visit(x, &names); visit(a, &names); visit(b, &names)
        case .isNull(let x, _, _): visit(x, &names)
        case .literal, .parameter: break
        }
    }

    /// Every name the steps refer to (columns, keys, and join columns unless `exceptJoins`).
    static func referenced(_ steps: [PlanStep], exceptJoins: Bool = false) -> Set<String> {
        var names = Set<String>()
        for s in steps {
            switch s {
            case .filter(let e, _): visit(e, &names)
            case .derive(let b, _), .select(let b, _): b.forEach { visit($0.expr, &names) }
            case .aggregate(let a, let by, _): (a + by).forEach { visit($0.expr, &names) }
            case .sort(let keys, _), .topK(let keys, _, _): keys.forEach { visit($0.expr, &names) }
            case .join(let j): if !exceptJoins { names.insert(j.on) }
            case .limit: break
            }
        }
        return names
    }

    /// Whether the result shows every column of the sources (no `select` or `summarize` narrows it).
    static func outputsSourceColumns(_ steps: [PlanStep]) -> Bool {
        !steps.contains { if case .select = $0 { true } else if case .aggregate = $0 { true } else { false } }
    }
}
