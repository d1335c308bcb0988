import RecoupStore

/// The classes of a contact (DATA.md, KPIS.md), on the store's codes, written once.
public enum ContactClass {
    public static let outbound = UInt8(Schema.directions.firstIndex(of: "outbound")!)
    public static let inbound = UInt8(Schema.directions.firstIndex(of: "inbound")!)
    public static let call = UInt8(Schema.channels.firstIndex(of: "call")!)
    /// Per outcome code: whether it makes a right-party contact (DATA.md).
    public static let rpcOutcomes: [Bool] = Schema.outcomes.map { Schema.rpcOutcomes.contains($0) }
    public static let promise = outcome("promise")
    public static let refused = outcome("refused")
    public static let dispute = outcome("dispute")
    public static let wrongParty = outcome("wrong_party")
    public static let bounced = outcome("bounced")

    /// The code of an outcome named in DATA.md.
    public static func outcome(_ name: String) -> UInt8 { UInt8(Schema.outcomes.firstIndex(of: name)!) }

    /// A right-party contact: an outcome in DATA.md's RPC set (an unknown code is not).
    @inlinable @inline(__always)
    public static func isRPC(_ outcome: UInt8) -> Bool {
        Int(outcome) < rpcOutcomes.count && rpcOutcomes[Int(outcome)]
    }

    /// A telephone conversation (KPIS.md): a call, inbound or outbound, with an RPC outcome.
    @inlinable @inline(__always)
    public static func isConversation(channel: UInt8, outcome: UInt8) -> Bool { channel == call && isRPC(outcome) }

    /// An outbound call: what the frequency and hours rules count and limit.
    @inlinable @inline(__always)
    public static func isOutboundCall(channel: UInt8, direction: UInt8) -> Bool {
        channel == call && direction == outbound
    }
}
