/// A product line in the book and the parameters of its collection story.
///
/// Agency portfolios are charged-off or seriously delinquent debts placed months after their due
/// date. The first-party `invoice` portfolio is a receivables ledger handled from the day each
/// invoice is issued (placed = opened, due = opened + 30), so DSO and CEI have something to measure.
struct Portfolio: Sendable {
    let name: String
    /// Share of accounts.
    let weight: Double
    let firstParty: Bool
    /// Principal: log-normal with this median (dollars) and log-sd, clamped to [min, max].
    let medianDollars: Double
    let sigma: Double
    let minDollars: Double
    let maxDollars: Double
    /// opened_date → due_date, days.
    let term: Int32
    /// due_date → placed_date, days (agency portfolios), drawn uniformly.
    let lagMin: Int32
    let lagMax: Int32
    /// Shift of the willingness logit.
    let zOffset: Double
    /// Daily probability scale of an unprompted payment (multiplied by willingness).
    let hazard: Double
    /// How fast willingness decays after placement, logit units per year on book.
    let decayPerYear: Double
    /// Probability that a conversation is a dispute (first conversation: ×1.6).
    let disputeRate: Double
    /// Among promises on balances above $300: shares of settlement and instalment-plan offers
    /// (the rest are partial-payment promises).
    let settleShare: Double
    let planShare: Double
    /// Payment method weights: card, ach, check, cash, other.
    let methods: [Double]
    /// Multiplies the gaps between outbound contacts (> 1 = worked less).
    let gapFactor: Double
    /// Probability that the debtor files for bankruptcy while the account is on book (per 2 years).
    let bankruptRate: Double
    /// Probability that the agency placed it with a collector (agent_id set).
    let assignedRate: Double
}

enum Portfolios {
    static let all: [Portfolio] = [
        Portfolio(name: "card", weight: 0.22, firstParty: false,
                  medianDollars: 2600, sigma: 0.85, minDollars: 150, maxDollars: 40000,
                  term: 25, lagMin: 150, lagMax: 420, zOffset: -0.35, hazard: 0.0012, decayPerYear: 1.2,
                  disputeRate: 0.03, settleShare: 0.30, planShare: 0.55,
                  methods: [0.34, 0.46, 0.12, 0.02, 0.06], gapFactor: 0.9, bankruptRate: 0.035, assignedRate: 0.93),
        Portfolio(name: "telco", weight: 0.15, firstParty: false,
                  medianDollars: 380, sigma: 0.7, minDollars: 40, maxDollars: 3500,
                  term: 21, lagMin: 60, lagMax: 200, zOffset: -0.55, hazard: 0.0016, decayPerYear: 1.6,
                  disputeRate: 0.06, settleShare: 0.30, planShare: 0.45,
                  methods: [0.55, 0.25, 0.08, 0.06, 0.06], gapFactor: 1.1, bankruptRate: 0.01, assignedRate: 0.85),
        Portfolio(name: "utility", weight: 0.13, firstParty: false,
                  medianDollars: 330, sigma: 0.75, minDollars: 30, maxDollars: 4500,
                  term: 21, lagMin: 75, lagMax: 240, zOffset: -0.1, hazard: 0.0016, decayPerYear: 1.0,
                  disputeRate: 0.03, settleShare: 0.20, planShare: 0.60,
                  methods: [0.40, 0.30, 0.15, 0.10, 0.05], gapFactor: 1.0, bankruptRate: 0.01, assignedRate: 0.88),
        Portfolio(name: "medical", weight: 0.19, firstParty: false,
                  medianDollars: 260, sigma: 1.0, minDollars: 25, maxDollars: 30000,
                  term: 30, lagMin: 90, lagMax: 365, zOffset: 0.15, hazard: 0.0016, decayPerYear: 0.9,
                  disputeRate: 0.08, settleShare: 0.15, planShare: 0.70,
                  methods: [0.50, 0.22, 0.22, 0.02, 0.04], gapFactor: 1.15, bankruptRate: 0.015, assignedRate: 0.85),
        Portfolio(name: "auto", weight: 0.07, firstParty: false,
                  medianDollars: 7000, sigma: 0.75, minDollars: 500, maxDollars: 45000,
                  term: 30, lagMin: 120, lagMax: 360, zOffset: -0.6, hazard: 0.0010, decayPerYear: 1.3,
                  disputeRate: 0.05, settleShare: 0.35, planShare: 0.55,
                  methods: [0.25, 0.50, 0.15, 0.05, 0.05], gapFactor: 0.8, bankruptRate: 0.05, assignedRate: 0.97),
        Portfolio(name: "invoice", weight: 0.24, firstParty: true,
                  medianDollars: 420, sigma: 1.1, minDollars: 15, maxDollars: 60000,
                  term: 30, lagMin: 0, lagMax: 0, zOffset: 0.0, hazard: 0.0040, decayPerYear: 1.0,
                  disputeRate: 0.03, settleShare: 0.0, planShare: 0.30,
                  methods: [0.18, 0.50, 0.28, 0.01, 0.03], gapFactor: 1.0, bankruptRate: 0.004, assignedRate: 0.55),
    ]

    static let cumulativeWeights: [Double] = cumulative(all.map(\.weight))
    static let methodTables: [[Double]] = all.map { cumulative($0.methods) }
    static let methodNames = ["card", "ach", "check", "cash", "other"]
}
