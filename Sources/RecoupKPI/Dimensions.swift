import RecoupEngine
import RecoupStore

/// The `by` dimensions of one KPI run: per dimension a code for every account
/// (or every contact), its label, and its rank in the output order (KPIS.md:
/// strings by code point, local_hour numerically, local_weekday mon..sun,
/// an empty value first).
struct Dimensions {
    struct Column {
        let dimension: KPIDimension
        /// Per account, or per contact for contact dimensions.
        let codes: [Int32]
        let labels: [KPIValue]
        let rank: [Int]
        var perContact: Bool { dimension.isContactOnly }
    }

    let columns: [Column]
    var names: [String] { columns.map(\.dimension.rawValue) }
    var ranks: [[Int]] { columns.map(\.rank) }

    /// With `lazyContactCodes`, contact dimensions get labels but no per-contact codes (a `ContactPass` computes them).
    init(_ book: Book, _ dims: [KPIDimension], kpi: String, contactDimensions: Bool, lazyContactCodes: Bool = false) throws {
        var seen = Set<KPIDimension>()
        var columns: [Column] = []
        for d in dims {
            guard seen.insert(d).inserted else { throw RecoupError(.usage, "dimension `\(d.rawValue)` is given twice") }
            if d.isContactOnly && !contactDimensions {
                throw RecoupError(.usage, "dimension `\(d.rawValue)` applies to contacts; \(kpi) takes portfolio, region, agent_id, cohort")
            }
            columns.append(try Self.column(book, d, lazy: lazyContactCodes))
        }
        self.columns = columns
        try book.check()
    }

    private static func column(_ book: Book, _ d: KPIDimension, lazy: Bool) throws -> Column {
        switch d {
        case .portfolio, .region, .agent_id:
            let codes = try TableScan(book.snapshot, "accounts").int32(d.rawValue)
            let dict = book.snapshot.dictionary(table: "accounts", column: d.rawValue)
            // Code 0 is the empty value; dictionary code c becomes c + 1.
            let names = [""] + dict
            return Column(dimension: d, codes: codes.map { $0 == Null.int32 ? 0 : $0 + 1 },
                          labels: names.map { .text($0) }, rank: CodePointOrder.ranks(names))
        case .cohort:
            let months = book.placed.map { CivilDate.monthIndex($0) }
            let lo = months.min() ?? 0, hi = months.max() ?? 0
            let labels = (lo...max(lo, hi)).map { m -> KPIValue in .text(Cohort.label(monthIndex: m)) }
            return Column(dimension: d, codes: months.map { Int32($0 - lo) }, labels: labels, rank: Array(labels.indices))
        case .channel:
            let names = Schema.channels
            return Column(dimension: d, codes: lazy ? [] : book.channel.map { Int32($0) }, labels: names.map { .text($0) }, rank: CodePointOrder.ranks(names))
        case .local_hour:
            let codes = lazy ? [] : book.localSeconds.map { Int32(LocalTime.hour($0)) }
            return Column(dimension: d, codes: codes, labels: (0..<24).map { .int(Int64($0)) }, rank: Array(0..<24))
        case .local_weekday:
            let codes = lazy ? [] : book.localDate.map { Int32(CivilDate.weekday($0)) }
            return Column(dimension: d, codes: codes, labels: CivilDate.weekdayNames.map { .text($0) }, rank: Array(0..<7))
        }
    }

    /// Grouping keys for rows of a table whose account keys are `accounts`
    /// (nil: the rows are the accounts themselves). Contact dimensions read the row itself.
    func keys(accounts: [Int32]?) -> [GroupKey] {
        columns.map { c in
            let codes: [Int32]
            if c.perContact || accounts == nil { codes = c.codes } else { codes = accounts!.map { c.codes[Int($0)] } }
            return GroupKey(codes: codes, cardinality: c.labels.count)
        }
    }

    func labels(_ key: [Int32]) -> [KPIValue] {
        zip(columns, key).map { $0.labels[Int($1)] }
    }
}

enum Cohort {
    static func label(monthIndex m: Int) -> String {
        let y = m / 12, mo = m % 12 + 1
        return String(y) + "-" + (mo < 10 ? "0" : "") + String(mo)
    }

    static func monthEnd(_ monthIndex: Int) -> Int32 { CivilDate.monthEnd(monthIndex) }
}

/// One output row per group, in dimension order.
struct GroupedRows {
    static func build(_ dims: Dimensions, _ grouping: Grouping, only visible: [Bool]? = nil, _ metrics: (Int) -> [KPIValue]) -> [[KPIValue]] {
        grouping.sortedGroups(rank: dims.ranks).filter { visible?[$0] ?? true }.map { g in dims.labels(grouping.keys[g]) + metrics(g) }
    }
}

func rate(_ n: Int64, _ d: Int64) -> KPIValue { d == 0 ? .null : .decimal(Double(n) / Double(d)) }

extension Dimensions {
    /// The sources of a `ContactPass` for these dimensions.
    var contactSources: [ContactPass.Source] {
        columns.map { c in
            switch c.dimension {
            case .channel: .channel
            case .local_hour: .localHour
            case .local_weekday: .localWeekday
            default: .account(c.codes, cardinality: c.labels.count)
            }
        }
    }

    /// Rows for the composite groups of `pass` that `keep` accepts, sorted by the dimensions.
    func rows(_ pass: ContactPass, keep: (Int) -> Bool, _ metrics: (Int) -> [KPIValue]) -> [[KPIValue]] {
        let groups = (0..<pass.space).filter(keep).map { ($0, pass.codes($0)) }
        let ranks = self.ranks
        return groups.sorted { x, y in
            for (i, r) in ranks.enumerated() {
                let a = r[Int(x.1[i])], b = r[Int(y.1[i])]
                if a != b { return a < b }
            }
            return false
        }.map { g, codes in labels(codes) + metrics(g) }
    }
}
