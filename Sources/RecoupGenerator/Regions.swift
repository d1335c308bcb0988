/// US states (and DC) with population weights and the IANA zones their residents live in.
///
/// Split states carry a second zone with its share of the population (the Florida panhandle is
/// Central, El Paso is Mountain, East Tennessee is Eastern, …). `zOffset` is a small regional
/// shift of willingness to pay (logit units), so `region` carries a little signal of its own.
struct Region: Sendable {
    let code: String
    let weight: Double
    let zone: Int
    let otherZone: Int
    let otherShare: Double
    let zOffset: Double
}

enum Regions {
    /// Zone identifiers, indexed by `Region.zone`. All are canonical IANA names.
    static let zones: [String] = [
        "America/New_York",              // 0
        "America/Chicago",               // 1
        "America/Denver",                // 2
        "America/Phoenix",               // 3
        "America/Los_Angeles",           // 4
        "America/Anchorage",             // 5
        "Pacific/Honolulu",              // 6
        "America/Detroit",               // 7
        "America/Indiana/Indianapolis",  // 8
        "America/Boise",                 // 9
    ]

    static let eastern = 0, central = 1, mountain = 2, arizona = 3, pacific = 4
    static let alaska = 5, hawaii = 6, detroit = 7, indiana = 8, boise = 9

    // weight: residents in units of 100,000 (rounded census figures).
    static let all: [Region] = [
        Region(code: "AL", weight: 50, zone: central, otherZone: central, otherShare: 0, zOffset: -0.15),
        Region(code: "AK", weight: 7, zone: alaska, otherZone: alaska, otherShare: 0, zOffset: 0.05),
        Region(code: "AZ", weight: 72, zone: arizona, otherZone: arizona, otherShare: 0, zOffset: 0.0),
        Region(code: "AR", weight: 30, zone: central, otherZone: central, otherShare: 0, zOffset: -0.15),
        Region(code: "CA", weight: 395, zone: pacific, otherZone: pacific, otherShare: 0, zOffset: 0.05),
        Region(code: "CO", weight: 58, zone: mountain, otherZone: mountain, otherShare: 0, zOffset: 0.1),
        Region(code: "CT", weight: 36, zone: eastern, otherZone: eastern, otherShare: 0, zOffset: 0.1),
        Region(code: "DE", weight: 10, zone: eastern, otherZone: eastern, otherShare: 0, zOffset: 0.05),
        Region(code: "DC", weight: 7, zone: eastern, otherZone: eastern, otherShare: 0, zOffset: 0.0),
        Region(code: "FL", weight: 216, zone: eastern, otherZone: central, otherShare: 0.06, zOffset: -0.05),
        Region(code: "GA", weight: 107, zone: eastern, otherZone: eastern, otherShare: 0, zOffset: -0.1),
        Region(code: "HI", weight: 14, zone: hawaii, otherZone: hawaii, otherShare: 0, zOffset: 0.1),
        Region(code: "ID", weight: 18, zone: boise, otherZone: pacific, otherShare: 0.2, zOffset: 0.1),
        Region(code: "IL", weight: 128, zone: central, otherZone: central, otherShare: 0, zOffset: 0.0),
        Region(code: "IN", weight: 68, zone: indiana, otherZone: central, otherShare: 0.12, zOffset: -0.05),
        Region(code: "IA", weight: 32, zone: central, otherZone: central, otherShare: 0, zOffset: 0.15),
        Region(code: "KS", weight: 29, zone: central, otherZone: mountain, otherShare: 0.03, zOffset: 0.05),
        Region(code: "KY", weight: 45, zone: eastern, otherZone: central, otherShare: 0.35, zOffset: -0.1),
        Region(code: "LA", weight: 47, zone: central, otherZone: central, otherShare: 0, zOffset: -0.2),
        Region(code: "ME", weight: 14, zone: eastern, otherZone: eastern, otherShare: 0, zOffset: 0.1),
        Region(code: "MD", weight: 62, zone: eastern, otherZone: eastern, otherShare: 0, zOffset: 0.05),
        Region(code: "MA", weight: 70, zone: eastern, otherZone: eastern, otherShare: 0, zOffset: 0.15),
        Region(code: "MI", weight: 101, zone: detroit, otherZone: detroit, otherShare: 0, zOffset: -0.05),
        Region(code: "MN", weight: 57, zone: central, otherZone: central, otherShare: 0, zOffset: 0.2),
        Region(code: "MS", weight: 30, zone: central, otherZone: central, otherShare: 0, zOffset: -0.25),
        Region(code: "MO", weight: 62, zone: central, otherZone: central, otherShare: 0, zOffset: -0.05),
        Region(code: "MT", weight: 11, zone: mountain, otherZone: mountain, otherShare: 0, zOffset: 0.1),
        Region(code: "NE", weight: 20, zone: central, otherZone: mountain, otherShare: 0.1, zOffset: 0.15),
        Region(code: "NV", weight: 31, zone: pacific, otherZone: pacific, otherShare: 0, zOffset: -0.1),
        Region(code: "NH", weight: 14, zone: eastern, otherZone: eastern, otherShare: 0, zOffset: 0.2),
        Region(code: "NJ", weight: 93, zone: eastern, otherZone: eastern, otherShare: 0, zOffset: 0.05),
        Region(code: "NM", weight: 21, zone: mountain, otherZone: mountain, otherShare: 0, zOffset: -0.15),
        Region(code: "NY", weight: 202, zone: eastern, otherZone: eastern, otherShare: 0, zOffset: 0.0),
        Region(code: "NC", weight: 105, zone: eastern, otherZone: eastern, otherShare: 0, zOffset: 0.0),
        Region(code: "ND", weight: 8, zone: central, otherZone: mountain, otherShare: 0.1, zOffset: 0.2),
        Region(code: "OH", weight: 118, zone: eastern, otherZone: eastern, otherShare: 0, zOffset: -0.05),
        Region(code: "OK", weight: 40, zone: central, otherZone: central, otherShare: 0, zOffset: -0.15),
        Region(code: "OR", weight: 42, zone: pacific, otherZone: boise, otherShare: 0.02, zOffset: 0.05),
        Region(code: "PA", weight: 130, zone: eastern, otherZone: eastern, otherShare: 0, zOffset: 0.05),
        Region(code: "RI", weight: 11, zone: eastern, otherZone: eastern, otherShare: 0, zOffset: 0.0),
        Region(code: "SC", weight: 51, zone: eastern, otherZone: eastern, otherShare: 0, zOffset: -0.1),
        Region(code: "SD", weight: 9, zone: central, otherZone: mountain, otherShare: 0.25, zOffset: 0.15),
        Region(code: "TN", weight: 69, zone: central, otherZone: eastern, otherShare: 0.4, zOffset: -0.1),
        Region(code: "TX", weight: 291, zone: central, otherZone: mountain, otherShare: 0.03, zOffset: -0.05),
        Region(code: "UT", weight: 33, zone: mountain, otherZone: mountain, otherShare: 0, zOffset: 0.25),
        Region(code: "VT", weight: 6, zone: eastern, otherZone: eastern, otherShare: 0, zOffset: 0.15),
        Region(code: "VA", weight: 86, zone: eastern, otherZone: eastern, otherShare: 0, zOffset: 0.05),
        Region(code: "WA", weight: 77, zone: pacific, otherZone: pacific, otherShare: 0, zOffset: 0.1),
        Region(code: "WV", weight: 18, zone: eastern, otherZone: eastern, otherShare: 0, zOffset: -0.2),
        Region(code: "WI", weight: 59, zone: central, otherZone: central, otherShare: 0, zOffset: 0.15),
        Region(code: "WY", weight: 6, zone: mountain, otherZone: mountain, otherShare: 0, zOffset: 0.1),
    ]

    static let cumulativeWeights: [Double] = cumulative(all.map(\.weight))
}
