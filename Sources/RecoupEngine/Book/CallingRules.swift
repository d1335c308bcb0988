import RecoupStore

/// The calling rules (KPIS.md call_compliance, STRATEGY.md contactability), written once: the
/// compliance KPI checks them after a call, the contact-time recommender and the plan before it.
public enum CallingRules {
    /// The rules call_compliance reports, in its order.
    public enum Breach: Int, CaseIterable, Sendable {
        case callingHours, sevenInSeven, afterConversation, ceaseContact
        public var id: String { ["calling_hours", "seven_in_seven", "after_conversation", "cease_contact"][rawValue] }
    }

    /// Calls start at 08:00 local or later and before 21:00 (12 CFR 1006.6(b)(1)(i)).
    public static let firstHour = 8
    public static let endHour = 21
    /// The hours a call may start in: 8…20.
    public static let callingHours = firstHour..<endHour

    /// At most 7 outbound calls in any 7 consecutive local days (12 CFR 1006.14(b)(2)(i)).
    public static let callsPerWeek = 7

    /// Statuses that forbid every outbound contact from the account's status_date on.
    public static let ceaseStatuses: Set<UInt8> = [
        UInt8(Schema.accountStatus.firstIndex(of: "cease_contact")!),
        UInt8(Schema.accountStatus.firstIndex(of: "bankrupt")!),
    ]

    /// A call starting `secondOfDay` seconds after local midnight is within the calling hours.
    @inlinable @inline(__always)
    public static func isCallingTime(secondOfDay s: Int) -> Bool { s >= firstHour * 3600 && s < endHour * 3600 }

    /// The 7 local days ending on `d` (d − 6 … d): the window of both frequency rules. A conversation
    /// on d_conv keeps calls away on d_conv … d_conv + 6, that is when d_conv is in `window(endingOn: d)`.
    @inlinable @inline(__always)
    public static func window(endingOn d: Int32) -> ClosedRange<Int32> { (d - 6)...d }
}

/// One account's call history known at A, for deciding whether a call on a later local day d > A is
/// allowed by the frequency rules (STRATEGY.md): `seven_in_seven` when 7 or more outbound calls have
/// local dates in [d − 6, d − 1]; `after_conversation` when a telephone conversation has one.
public struct CallHistory: Sendable {
    public private(set) var callDates: [Int32] = []
    public private(set) var conversationDates: [Int32] = []

    public init() {}

    public mutating func removeAll() {
        callDates.removeAll(keepingCapacity: true)
        conversationDates.removeAll(keepingCapacity: true)
    }

    /// Adds a contact of the account (any channel or direction; only calls matter).
    public mutating func add(channel: UInt8, direction: UInt8, outcome: UInt8, localDate: Int32) {
        add(
            outboundCall: ContactClass.isOutboundCall(channel: channel, direction: direction),
            conversation: ContactClass.isConversation(channel: channel, outcome: outcome), localDate: localDate)
    }

    /// Adds a contact already classed: an outbound call, a telephone conversation, both or neither.
    public mutating func add(outboundCall: Bool, conversation: Bool, localDate: Int32) {
        if outboundCall { callDates.append(localDate) }
        if conversation { conversationDates.append(localDate) }
    }

    /// The earlier days of the window of a call on `d`: d − 6 … d − 1.
    static func before(_ d: Int32) -> ClosedRange<Int32> { CallingRules.window(endingOn: d).lowerBound...(d - 1) }

    /// A call on local day `d` would be the 8th outbound call in 7 days.
    public func sevenInSeven(on d: Int32) -> Bool {
        let w = Self.before(d)
        var calls = 0
        for x in callDates where w.contains(x) { calls += 1 }
        return calls >= CallingRules.callsPerWeek
    }

    /// A call on local day `d` would follow a telephone conversation within its 7 days.
    public func afterConversation(on d: Int32) -> Bool {
        let w = Self.before(d)
        return conversationDates.contains { w.contains($0) }
    }

    /// Neither frequency rule blocks a call on local day `d`.
    public func allowsCall(on d: Int32) -> Bool { !sevenInSeven(on: d) && !afterConversation(on: d) }
}
