import RecoupStore

/// Everything about a book that every account needs and no account changes:
/// seed, size, end date, agents, zone tables, id widths and the byte forms of names.
struct BookContext: Sendable {
    let seed: UInt64
    let accounts: Int
    let end: Int32
    let zoneTables: [TimeZoneTable]

    /// Digits after the one-letter prefix: accounts and debtors, events, agents.
    let accountWidth: Int
    let eventWidth: Int
    let agentWidth: Int

    /// Events per account never exceed this, so `eventWidth` digits always suffice.
    static let maxEventsPerAccount = 99

    var portfolioNames: [[UInt8]]
    var regionCodes: [[UInt8]]
    var zoneNames: [[UInt8]]
    var statusNames: [[UInt8]] = Schema.accountStatus.map(\.utf8Bytes)
    var channelNames: [[UInt8]] = Schema.channels.map(\.utf8Bytes)
    var outcomeNames: [[UInt8]] = Schema.outcomes.map(\.utf8Bytes)
    var methodNames: [[UInt8]] = Schema.paymentMethods.map(\.utf8Bytes)
    var outbound: [UInt8] = "outbound".utf8Bytes
    var inbound: [UInt8] = "inbound".utf8Bytes
    var agents: [AgentProfile]

    init(seed: UInt64, accounts: Int, end: Int32) throws {
        self.seed = seed
        self.accounts = accounts
        self.end = end
        let agentCount = accounts / 2000 + 5
        agents = (0..<agentCount).map { AgentProfile(seed: seed, index: $0) }
        var tables: [TimeZoneTable] = []
        for z in Regions.zones {
            guard let t = TimeZoneCache.shared.table(z) else {
                throw RecoupError(.internal, "time zone \(z) is not available on this system")
            }
            tables.append(t)
        }
        zoneTables = tables
        accountWidth = max(7, Self.digits(accounts))
        eventWidth = max(8, Self.digits(accounts) + 2)
        agentWidth = max(4, Self.digits(agentCount))
        portfolioNames = Portfolios.all.map(\.name.utf8Bytes)
        regionCodes = Regions.all.map(\.code.utf8Bytes)
        zoneNames = Regions.zones.map(\.utf8Bytes)
    }

    /// A copy whose arrays share no storage with this one, so that worker threads do not contend
    /// on reference counts of the same buffers while formatting rows.
    func privateCopy() -> BookContext {
        var c = self
        func fresh(_ a: [[UInt8]]) -> [[UInt8]] { a.map { $0.map { $0 } } }
        c.portfolioNames = fresh(portfolioNames)
        c.regionCodes = fresh(regionCodes)
        c.zoneNames = fresh(zoneNames)
        c.statusNames = fresh(statusNames)
        c.channelNames = fresh(channelNames)
        c.outcomeNames = fresh(outcomeNames)
        c.methodNames = fresh(methodNames)
        c.outbound = outbound.map { $0 }
        c.inbound = inbound.map { $0 }
        c.agents = agents.map { $0 }
        return c
    }

    static func digits(_ v: Int) -> Int {
        var n = 1
        var x = v
        while x >= 10 { x /= 10; n += 1 }
        return n
    }
}
