import RecoupKPI
import XCTest

/// contact_effectiveness and collector_performance with local time across DST changes,
/// midnight UTC and two zones (New York, Honolulu), worked out by hand.
final class HandContactTests: XCTestCase {
    static let accounts = """
    account_id,debtor_id,portfolio,opened_date,due_date,placed_date,principal,region,timezone,agent_id,credit_score,status,status_date
    K1,D1,card,2024-10-01,2024-10-31,2025-01-02,1000.00,NY,America/New_York,G1,,open,
    K2,D2,medical,2024-10-01,2024-10-31,2025-01-02,500.00,HI,Pacific/Honolulu,G2,,open,
    K3,D3,card,2025-01-15,2025-02-14,2025-03-05,300.00,NY,America/New_York,,,open,
    K4,D4,card,2025-10-01,2025-10-31,2025-12-05,100.00,NY,America/New_York,G1,,open,
    """
    // Local times (New York: EST −5 until 2025-03-09 07:00Z, EDT −4 until 2025-11-02 06:00Z;
    // Honolulu −10 always). 2025-03-01 and 2025-11-01 are Saturdays.
    //   c01 03-09 06:30Z → 01:30 EST Sun 03-09   call out no_answer
    //   c02 03-09 07:30Z → 03:30 EDT Sun 03-09   call out right_party (RPC)
    //   c03 11-02 05:30Z → 01:30 EDT Sun 11-02   call out promise (RPC)
    //   c04 11-02 06:30Z → 01:30 EST Sun 11-02   call out voicemail
    //   c05 03-10 03:30Z → 23:30 EDT Sun 03-09   sms out replied (RPC); local date ≠ UTC date
    //   c06 02-28 20:00Z → 15:00 EST Fri 02-28   before P
    //   c07 03-12 14:00Z → 10:00 EDT Wed 03-12   call inbound right_party (its agent G2 is not used)
    //   h01 03-09 06:30Z → 20:30 HST Sat 03-08   call out right_party (RPC)
    //   h02 03-01 05:00Z → 19:00 HST Fri 02-28   before P although its UTC date is in March
    //   h03 11-02 06:30Z → 20:30 HST Sat 11-01   email out opened
    //   h04 12-01 05:00Z → 19:00 HST Sun 11-30   call out promise (RPC); local date = A
    //   k01 03-04 15:00Z → 10:00 EST Tue 03-04   before K3's placement (03-05): counts nowhere
    //   k02 03-05 15:00Z → 10:00 EST Wed 03-05   call out refused (RPC)
    //   k03 03-06 15:00-05:00 → 15:00 EST Thu    letter out delivered
    //   k04 on K4 (placed after A): out.
    static let contacts = """
    contact_id,account_id,ts,channel,direction,outcome,agent_id,duration_s
    c01,K1,2025-03-09T06:30:00Z,call,outbound,no_answer,G1,
    c02,K1,2025-03-09T07:30:00Z,call,outbound,right_party,G1,60
    c03,K1,2025-11-02T05:30:00Z,call,outbound,promise,G1,200
    c04,K1,2025-11-02T06:30:00Z,call,outbound,voicemail,G1,20
    c05,K1,2025-03-10T03:30:00Z,sms,outbound,replied,,
    c06,K1,2025-02-28T20:00:00Z,call,outbound,right_party,G1,50
    c07,K1,2025-03-12T14:00Z,call,inbound,right_party,G2,100
    h01,K2,2025-03-09T06:30:00Z,call,outbound,right_party,G2,80
    h02,K2,2025-03-01T05:00:00Z,call,outbound,promise,G2,90
    h03,K2,2025-11-01T20:30:00-10:00,email,outbound,opened,,
    h04,K2,2025-12-01T05:00:00Z,call,outbound,promise,G2,120
    k01,K3,2025-03-04T15:00:00Z,call,outbound,promise,G1,100
    k02,K3,2025-03-05T15:00:00Z,call,outbound,refused,G1,30
    k03,K3,2025-03-06T15:00:00-05:00,letter,outbound,delivered,,
    k04,K4,2025-12-06T15:00:00Z,call,outbound,promise,G1,100
    """
    // conversion_7d (payment > 0 with local_date ≤ paid_date ≤ local_date + 7, ≤ A):
    //   c02, c05 (03-09): K1 50 on 03-16 (day + 7) → yes.
    //   c03 (11-02): −20 on 11-09 is not a payment; 30 on 11-10 is day + 8 → no.
    //   h01 (03-08): K2 10 on 03-08, the same day → yes.
    //   h04 (11-30): K2 25 on 12-01 is after A → no.
    //   k02 (03-05): K3's 15 on 03-04 is before the RPC (and before placement) → no.
    static let payments = """
    payment_id,account_id,paid_date,amount,method
    P1,K1,2025-02-20,40.00,card
    P2,K1,2025-03-16,50.00,card
    P3,K1,2025-11-09,-20.00,card
    P4,K1,2025-11-10,30.00,card
    P5,K2,2025-03-08,10.00,ach
    P6,K2,2025-12-01,25.00,ach
    P7,K3,2025-03-04,15.00,card
    """

    static let book: HandBook = {
        let b = HandBook()
        try! b.add(accounts: accounts, contacts: contacts, payments: payments)
        return b
    }()

    static var cases: [KPICase] {
        let a = day("2025-11-30")
        let from = day("2025-03-01")
        let ce = ["attempts", "rpc", "rpc_rate", "promises", "promise_rate", "conversion_7d", "inbound"]
        let cp = ["accounts", "attempts", "rpc", "rpc_rate", "promises", "collected"]
        return [
            // P = 03-01 … 11-30. Outbound in P: c01–c05, h01, h03, h04, k02, k03 = 10 attempts;
            // RPC: c02, c03, c05, h01, h04, k02 = 6; promises c03, h04 = 2; converted c02, c05,
            // h01 = 3; inbound c07 = 1.
            KPICase("whole period", "contact_effectiveness", KPIParameters(asOf: a, from: from), table(ce, [
                [n(10), n(6), dec(0.6), n(2), dec(2.0 / 6), dec(0.5), n(1)],
            ])),
            // call: c01–c04, h01, h04, k02 = 7, RPC c02, c03, h01, h04, k02 = 5, promises 2,
            //   converted c02, h01 = 2, inbound c07. email h03, letter k03: 1 attempt, no RPC.
            //   sms c05: 1 attempt, 1 RPC, converted.
            KPICase("by channel", "contact_effectiveness", KPIParameters(asOf: a, from: from, by: [.channel]),
                    table(["channel"] + ce, [
                        [tx("call"), n(7), n(5), dec(5.0 / 7), n(2), dec(0.4), dec(0.4), n(1)],
                        [tx("email"), n(1), n(0), dec(0), n(0), nul, nul, n(0)],
                        [tx("letter"), n(1), n(0), dec(0), n(0), nul, nul, n(0)],
                        [tx("sms"), n(1), n(1), dec(1), n(0), dec(0), dec(1), n(0)],
                    ])),
            // Hours: 1 = c01, c03, c04 (both sides of the November repeat); 3 = c02 (02:xx is
            // skipped in March); 10 = k02 + inbound c07; 15 = k03; 19 = h04; 20 = h01, h03; 23 = c05.
            KPICase("by local_hour (DST)", "contact_effectiveness", KPIParameters(asOf: a, from: from, by: [.local_hour]),
                    table(["local_hour"] + ce, [
                        [n(1), n(3), n(1), dec(1.0 / 3), n(1), dec(1), dec(0), n(0)],
                        [n(3), n(1), n(1), dec(1), n(0), dec(0), dec(1), n(0)],
                        [n(10), n(1), n(1), dec(1), n(0), dec(0), dec(0), n(1)],
                        [n(15), n(1), n(0), dec(0), n(0), nul, nul, n(0)],
                        [n(19), n(1), n(1), dec(1), n(1), dec(1), dec(0), n(0)],
                        [n(20), n(2), n(1), dec(0.5), n(0), dec(0), dec(1), n(0)],
                        [n(23), n(1), n(1), dec(1), n(0), dec(0), dec(1), n(0)],
                    ])),
            // wed = k02 + inbound c07; thu = k03; sat = h01, h03; sun = c01–c05, h04
            // (RPC c02, c03, c05, h04; promises c03, h04; converted c02, c05).
            KPICase("by local_weekday", "contact_effectiveness", KPIParameters(asOf: a, from: from, by: [.local_weekday]),
                    table(["local_weekday"] + ce, [
                        [tx("wed"), n(1), n(1), dec(1), n(0), dec(0), dec(0), n(1)],
                        [tx("thu"), n(1), n(0), dec(0), n(0), nul, nul, n(0)],
                        [tx("sat"), n(2), n(1), dec(0.5), n(0), dec(0), dec(1), n(0)],
                        [tx("sun"), n(6), n(4), dec(4.0 / 6), n(2), dec(0.5), dec(0.5), n(0)],
                    ])),
            // card = K1 + K3: 7 attempts, RPC c02, c03, c05, k02, promise c03, converted c02, c05.
            // medical = K2: h01, h03, h04; RPC h01, h04; promise h04; converted h01.
            KPICase("by portfolio", "contact_effectiveness", KPIParameters(asOf: a, from: from, by: [.portfolio]),
                    table(["portfolio"] + ce, [
                        [tx("card"), n(7), n(4), dec(4.0 / 7), n(1), dec(0.25), dec(0.5), n(1)],
                        [tx("medical"), n(3), n(2), dec(2.0 / 3), n(1), dec(0.5), dec(0.5), n(0)],
                    ])),
            // Default P = November up to A: c03, c04 (11-02), h03 (11-01), h04 (11-30).
            KPICase("default period (November)", "contact_effectiveness", KPIParameters(asOf: a), table(ce, [
                [n(4), n(2), dec(0.5), n(2), dec(1), dec(0), n(0)],
            ])),
            KPICase("November by local_hour", "contact_effectiveness", KPIParameters(asOf: a, by: [.local_hour]),
                    table(["local_hour"] + ce, [
                        [n(1), n(2), n(1), dec(0.5), n(1), dec(1), dec(0), n(0)],
                        [n(19), n(1), n(1), dec(1), n(1), dec(1), dec(0), n(0)],
                        [n(20), n(1), n(0), dec(0), n(0), nul, nul, n(0)],
                    ])),
            // Only the inbound c07 on 03-12: a row with no attempts (rates null).
            KPICase("inbound only", "contact_effectiveness",
                    KPIParameters(asOf: a, from: day("2025-03-12"), to: day("2025-03-12"), by: [.channel]),
                    table(["channel"] + ce, [[tx("call"), n(0), n(0), nul, n(0), nul, nul, n(1)]])),
            KPICase("no contacts: empty", "contact_effectiveness",
                    KPIParameters(asOf: a, from: day("2025-04-01"), to: day("2025-04-30")), table(ce, [])),
            // As of 03-08 (P = 03-01…03-08): h01 (local 03-08 20:30 although 03-09 in UTC),
            // k02 (03-05, RPC) and k03 (03-06); k01 is before K3's placement; c01, c02, c05 are
            // 03-09 local. RPC h01, k02; only h01 converts (its same-day payment) → 1/2.
            KPICase("as of 03-08: local date, not UTC date", "contact_effectiveness", KPIParameters(asOf: day("2025-03-08")),
                    table(ce, [[n(3), n(2), dec(2.0 / 3), n(0), dec(0), dec(0.5), n(0)]])),

            // "" = K3: k02, k03; K3's only payment (03-04) is before placement → 0.
            // G1 = K1 (K4 is placed after `to`): 5 attempts, RPC 3, promise c03; collected in P:
            //   50 − 20 + 30 = 60 (the 02-20 payment is before P).
            // G2 = K2: 3 attempts, RPC 2, promise h04; collected 10 (12-01 is after P).
            KPICase("by agent", "collector_performance", KPIParameters(asOf: a, from: from), table(["agent_id"] + cp, [
                [tx(""), n(1), n(2), n(1), dec(0.5), n(0), usd(0)],
                [tx("G1"), n(1), n(5), n(3), dec(0.6), n(1), usd(60)],
                [tx("G2"), n(1), n(3), n(2), dec(2.0 / 3), n(1), usd(10)],
            ])),
            KPICase("by portfolio: agent_id stays first", "collector_performance",
                    KPIParameters(asOf: a, from: from, by: [.portfolio]), table(["agent_id", "portfolio"] + cp, [
                        [tx(""), tx("card"), n(1), n(2), n(1), dec(0.5), n(0), usd(0)],
                        [tx("G1"), tx("card"), n(1), n(5), n(3), dec(0.6), n(1), usd(60)],
                        [tx("G2"), tx("medical"), n(1), n(3), n(2), dec(2.0 / 3), n(1), usd(10)],
                    ])),
            KPICase("contact dims are not for collector_performance", "collector_performance",
                    KPIParameters(asOf: a, from: from, by: [.channel]), nil),
            // April: no contacts and no payments, but the accounts are assigned: zero rows
            // with a null rpc_rate (0 attempts).
            KPICase("April: accounts only", "collector_performance",
                    KPIParameters(asOf: a, from: day("2025-04-01"), to: day("2025-04-30")), table(["agent_id"] + cp, [
                        [tx(""), n(1), n(0), n(0), nul, n(0), usd(0)],
                        [tx("G1"), n(1), n(0), n(0), nul, n(0), usd(0)],
                        [tx("G2"), n(1), n(0), n(0), nul, n(0), usd(0)],
                    ])),
        ]
    }

    func testReference() throws { try FixtureCheck.reference(Self.book, Self.cases) }
    func testEngine() throws { try FixtureCheck.engine(Self.book, Self.cases) }
}
