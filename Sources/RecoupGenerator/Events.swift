/// Codes used inside the generator; they index `Schema`'s enum lists.
enum Channel {
    static let call: UInt8 = 0, sms: UInt8 = 1, email: UInt8 = 2, letter: UInt8 = 3
}

enum Outcome {
    static let noAnswer: UInt8 = 0, busy: UInt8 = 1, voicemail: UInt8 = 2, wrongParty: UInt8 = 3
    static let rightParty: UInt8 = 4, promise: UInt8 = 5, refused: UInt8 = 6, dispute: UInt8 = 7
    static let delivered: UInt8 = 8, bounced: UInt8 = 9, opened: UInt8 = 10, replied: UInt8 = 11
}

enum Status {
    static let open: UInt8 = 0, disputed: UInt8 = 1, cease: UInt8 = 2, bankrupt: UInt8 = 3, closed: UInt8 = 4
}

/// How a contact's timestamp is written.
enum TimestampStyle {
    /// `2025-03-04T14:05:00Z`
    static let utc: UInt8 = 0
    /// `2025-03-04T09:05:00-05:00`
    static let local: UInt8 = 1
    /// `2025-03-04T14:05Z`
    static let utcMinutes: UInt8 = 2
}

struct ContactEvent {
    var utc: Int64
    var channel: UInt8
    var inbound: Bool
    var outcome: UInt8
    var style: UInt8
    var agent: Int32      // -1: none
    var duration: Int32   // -1: none
}

struct PaymentEvent {
    var day: Int32
    var method: UInt8
    var cents: Int64
}

struct PromiseEvent {
    var created: Int32
    var due: Int32
    var cents: Int64
}

/// A future money movement the account's story has already decided on.
struct Scheduled {
    enum Kind: UInt8 {
        /// Payment honouring a promise; `plan` says what it settles.
        case promisePay
        /// A later instalment of an active plan.
        case instalment
        /// Reversal (chargeback, returned ACH, bounced check) of an earlier payment.
        case reversal
        /// Refund of an overpayment.
        case refund
        /// A first-party invoice paid on the customer's own schedule.
        case invoicePay
    }

    enum Settles: UInt8 {
        case partial, full, settlement, planStart, invoiceFull
    }

    var day: Int32
    var kind: Kind
    var settles: Settles
    var method: UInt8
    var cents: Int64
}

/// Right-party outcomes (DATA.md): right_party, promise, refused, dispute, replied.
@inline(__always)
func isRPC(_ o: UInt8) -> Bool {
    o == Outcome.rightParty || o == Outcome.promise || o == Outcome.refused || o == Outcome.dispute || o == Outcome.replied
}
