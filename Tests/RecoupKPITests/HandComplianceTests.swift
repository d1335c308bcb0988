import RecoupKPI
import XCTest

/// call_compliance: each of the four rules, DST, ties on ts, history before P, contacts
/// before placement, and a local date that is before A while its UTC date is after it.
final class HandComplianceTests: XCTestCase {
    static let accounts = """
    account_id,debtor_id,portfolio,opened_date,due_date,placed_date,principal,region,timezone,agent_id,credit_score,status,status_date
    X1,D1,card,2024-10-01,2024-10-31,2025-01-01,1000.00,NY,America/New_York,G1,,open,
    X2,D2,medical,2024-10-01,2024-10-31,2025-01-01,500.00,HI,Pacific/Honolulu,G2,,cease_contact,2025-03-10
    X3,D3,card,2024-10-01,2024-10-31,2025-03-03,500.00,CA,America/Los_Angeles,G1,,bankrupt,
    X4,D4,telco,2024-10-01,2024-10-31,2025-01-01,500.00,TX,America/Chicago,G2,,open,
    X5,D5,telco,2024-10-01,2024-10-31,2025-01-01,500.00,CA,America/Los_Angeles,,,disputed,2025-03-01
    """
    // A = 2025-03-31, P = March. 2025-03-01 is a Saturday; US DST starts 03-09 at 02:00.
    //
    // X1 (New York, EST −5 / EDT −4), all outbound calls no_answer unless said:
    //   x01…x06 at 15:00Z on 02-26 … 03-03 (10:00 EST), x07 and x08 both 03-04 15:00Z (tie:
    //   x07 first by contact_id), x09 03-05, x10 03-07 (15:00Z), x11 sms 03-06, x12 inbound call
    //   03-06 (neither counts toward seven_in_seven).
    //   seven_in_seven counts outbound calls with local date in [d − 6, d] up to this one:
    //     x07 [02-26, 03-04]: x01…x07 = 7.   x08: 8 → flagged.
    //     x09 [02-27, 03-05]: x02…x09 = 8 → flagged (x01…x03 are before P: history).
    //     x10 [03-01, 03-07]: x04…x10 = 7 (x11 sms and x12 inbound not counted).
    //   x18 03-09 06:30Z = 01:30 EST, x19 03-09 07:30Z = 03:30 EDT: calling_hours.
    //     windows [03-03, 03-09]: x06…x10, x18 = 6; x19 = 7.
    //   x13 03-10 11:59:59Z = 07:59:59 EDT: calling_hours; window [03-04, 03-10]: 7.
    //   x14 03-11 12:00Z = 08:00 EDT (allowed); window [03-05, 03-11]: x09, x10, x18, x19, x13, x14 = 6.
    //   x16 03-12 00:59Z = 20:59 EDT 03-11 (allowed): 7.
    //   x15 03-12 01:00Z = 21:00 EDT 03-11: calling_hours, and the 8th → seven_in_seven.
    //   x17 sms at 22:00 EDT: calling_hours is for calls only.
    //   x20 04-01 02:00Z = 22:00 EDT 03-31: local date ≤ A → calling_hours.
    //   x21 04-01 14:00Z = local 04-01: after A, out.
    // X4 (Chicago, CST −6 / CDT −5):
    //   y00 02-27 16:00Z inbound call promise: a conversation on 02-27 (before P), days 02-27…03-05.
    //   y10 03-01 16:00Z outbound call → after_conversation (y00).
    //   y01 03-03 16:00Z inbound call right_party: conversation, days 03-03…03-09.
    //   y02 03-03 18:00Z outbound call the same day, later → after_conversation.
    //   y05 03-05 sms: not a call.
    //   y03 03-09 16:00Z = 11:00 CDT, day 7 → after_conversation.   y04 03-10, day 8 → allowed.
    //   y06 03-20 15:00Z outbound call right_party: a conversation itself, none before it in 7 days.
    //   y07 03-26 (day 7 of y06) → after_conversation.
    //   y08 03-28 inbound sms replied: RPC but not a telephone conversation; y09 03-29 allowed.
    // X2 (Honolulu −10), cease_contact since 03-10:
    //   z01 email 03-10 08:00Z = 22:00 HST 03-09: before the status date, allowed.
    //   z02 email 03-11 07:00Z = 21:00 HST 03-10 → cease_contact.
    //   z03 letter 03-12 20:00Z = 10:00 HST 03-12 → cease_contact.
    //   z04 inbound call right_party 03-13 20:00Z = 10:00 HST 03-13: not checked, but a conversation.
    //   z05 call 03-14 07:30Z = 21:30 HST 03-13 → calling_hours, after_conversation (z04), cease_contact.
    // X3 (Los Angeles, PST −8), bankrupt, no status_date → placed_date 03-03:
    //   w02 call 03-02 14:00Z = 06:00 PST 03-02 and w04 inbound conversation 03-02: before
    //   placement, count nowhere (not as history either).
    //   w05 call 03-04 20:00Z = 12:00 PST → cease_contact only (w04 does not count).
    //   w01 sms 03-05 20:00Z → cease_contact.
    // X5 disputed: w03 call 03-05 20:00Z, 12:00 PST: nothing.
    static let contacts = """
    contact_id,account_id,ts,channel,direction,outcome,agent_id,duration_s
    x01,X1,2025-02-26T15:00:00Z,call,outbound,no_answer,G1,
    x02,X1,2025-02-27T15:00:00Z,call,outbound,no_answer,G1,
    x03,X1,2025-02-28T15:00:00Z,call,outbound,no_answer,G1,
    x04,X1,2025-03-01T15:00:00Z,call,outbound,no_answer,G1,
    x05,X1,2025-03-02T15:00:00Z,call,outbound,no_answer,G1,
    x06,X1,2025-03-03T15:00:00Z,call,outbound,no_answer,G1,
    x08,X1,2025-03-04T15:00:00Z,call,outbound,busy,G1,
    x07,X1,2025-03-04T10:00:00-05:00,call,outbound,no_answer,G1,
    x09,X1,2025-03-05T15:00:00Z,call,outbound,voicemail,G1,30
    x10,X1,2025-03-07T15:00:00Z,call,outbound,no_answer,G1,
    x11,X1,2025-03-06T15:00:00Z,sms,outbound,delivered,,
    x12,X1,2025-03-06T16:00:00Z,call,inbound,busy,G1,
    x18,X1,2025-03-09T06:30:00Z,call,outbound,no_answer,G1,
    x19,X1,2025-03-09T07:30:00Z,call,outbound,no_answer,G1,
    x13,X1,2025-03-10T11:59:59Z,call,outbound,voicemail,G1,20
    x14,X1,2025-03-11T12:00:00Z,call,outbound,no_answer,G1,
    x16,X1,2025-03-12T00:59Z,call,outbound,no_answer,G1,
    x15,X1,2025-03-12T01:00:00Z,call,outbound,no_answer,G1,
    x17,X1,2025-03-13T02:00:00Z,sms,outbound,delivered,,
    x20,X1,2025-04-01T02:00:00Z,call,outbound,no_answer,G1,
    x21,X1,2025-04-01T14:00:00Z,call,outbound,no_answer,G1,
    y00,X4,2025-02-27T16:00:00Z,call,inbound,promise,G2,300
    y10,X4,2025-03-01T16:00:00Z,call,outbound,no_answer,G2,
    y01,X4,2025-03-03T16:00:00Z,call,inbound,right_party,G2,100
    y02,X4,2025-03-03T18:00:00Z,call,outbound,no_answer,G2,
    y05,X4,2025-03-05T16:00:00Z,sms,outbound,delivered,,
    y03,X4,2025-03-09T16:00:00Z,call,outbound,no_answer,G2,
    y04,X4,2025-03-10T16:00:00Z,call,outbound,no_answer,G2,
    y06,X4,2025-03-20T15:00:00Z,call,outbound,right_party,G2,90
    y07,X4,2025-03-26T15:00:00Z,call,outbound,no_answer,G2,
    y08,X4,2025-03-28T15:00:00Z,sms,inbound,replied,,
    y09,X4,2025-03-29T15:00:00Z,call,outbound,no_answer,G2,
    z01,X2,2025-03-10T08:00:00Z,email,outbound,delivered,,
    z02,X2,2025-03-11T07:00:00Z,email,outbound,delivered,,
    z03,X2,2025-03-12T20:00:00Z,letter,outbound,delivered,,
    z04,X2,2025-03-13T20:00:00Z,call,inbound,right_party,G2,60
    z05,X2,2025-03-14T07:30:00Z,call,outbound,no_answer,G2,
    w02,X3,2025-03-02T14:00:00Z,call,outbound,no_answer,G1,
    w04,X3,2025-03-02T20:00:00Z,call,inbound,right_party,G1,60
    w05,X3,2025-03-04T20:00:00Z,call,outbound,no_answer,G1,
    w01,X3,2025-03-05T20:00:00Z,sms,outbound,delivered,,
    w03,X5,2025-03-05T20:00:00Z,call,outbound,no_answer,,
    """

    static let book: HandBook = {
        let b = HandBook()
        try! b.add(accounts: accounts, contacts: contacts)
        return b
    }()

    static var cases: [KPICase] {
        let a = day("2025-03-31")
        let cols = ["contact_id", "account_id", "rule", "local_ts"]
        func r(_ id: String, _ acc: String, _ rule: String, _ ts: String) -> [KPIValue] { [tx(id), tx(acc), tx(rule), tx(ts)] }
        let march = table(cols, [
            r("y10", "X4", "after_conversation", "2025-03-01T10:00:00-06:00"),
            r("y02", "X4", "after_conversation", "2025-03-03T12:00:00-06:00"),
            r("x08", "X1", "seven_in_seven", "2025-03-04T10:00:00-05:00"),
            r("w05", "X3", "cease_contact", "2025-03-04T12:00:00-08:00"),
            r("x09", "X1", "seven_in_seven", "2025-03-05T10:00:00-05:00"),
            r("w01", "X3", "cease_contact", "2025-03-05T12:00:00-08:00"),
            r("x18", "X1", "calling_hours", "2025-03-09T01:30:00-05:00"),
            r("x19", "X1", "calling_hours", "2025-03-09T03:30:00-04:00"),
            r("y03", "X4", "after_conversation", "2025-03-09T11:00:00-05:00"),
            r("x13", "X1", "calling_hours", "2025-03-10T07:59:59-04:00"),
            r("z02", "X2", "cease_contact", "2025-03-10T21:00:00-10:00"),
            r("x15", "X1", "calling_hours", "2025-03-11T21:00:00-04:00"),
            r("x15", "X1", "seven_in_seven", "2025-03-11T21:00:00-04:00"),
            r("z03", "X2", "cease_contact", "2025-03-12T10:00:00-10:00"),
            r("z05", "X2", "calling_hours", "2025-03-13T21:30:00-10:00"),
            r("z05", "X2", "after_conversation", "2025-03-13T21:30:00-10:00"),
            r("z05", "X2", "cease_contact", "2025-03-13T21:30:00-10:00"),
            r("y07", "X4", "after_conversation", "2025-03-26T10:00:00-05:00"),
            r("x20", "X1", "calling_hours", "2025-03-31T22:00:00-04:00"),
        ])
        return [
            KPICase("March", "call_compliance", KPIParameters(asOf: a), march),
            // Default A = the latest local contact date, 04-01 (x21): then P = April 1, where
            // x21 at 10:00 EDT breaks nothing.
            KPICase("default as-of 04-01", "call_compliance", KPIParameters(), table(cols, [])),
            KPICase("explicit March with default A", "call_compliance",
                    KPIParameters(from: day("2025-03-01"), to: day("2025-03-31")), march),
            // 03-10 … 03-12: x15's seven_in_seven still counts the calls before P.
            KPICase("03-10…03-12: history before P counts", "call_compliance",
                    KPIParameters(asOf: a, from: day("2025-03-10"), to: day("2025-03-12")), table(cols, [
                        r("x13", "X1", "calling_hours", "2025-03-10T07:59:59-04:00"),
                        r("z02", "X2", "cease_contact", "2025-03-10T21:00:00-10:00"),
                        r("x15", "X1", "calling_hours", "2025-03-11T21:00:00-04:00"),
                        r("x15", "X1", "seven_in_seven", "2025-03-11T21:00:00-04:00"),
                        r("z03", "X2", "cease_contact", "2025-03-12T10:00:00-10:00"),
                    ])),
            // calling_hours x18, x19, x13, x15, z05, x20; seven_in_seven x08, x09, x15;
            // after_conversation y10, y02, y03, z05, y07; cease_contact w05, w01, z02, z03, z05.
            KPICase("summary", "call_compliance", KPIParameters(asOf: a, summary: true), table(["rule", "calls"], [
                [tx("calling_hours"), n(6)],
                [tx("seven_in_seven"), n(3)],
                [tx("after_conversation"), n(5)],
                [tx("cease_contact"), n(5)],
            ])),
            // card = X1 + X3, medical = X2, telco = X4.
            KPICase("summary by portfolio", "call_compliance", KPIParameters(asOf: a, by: [.portfolio], summary: true),
                    table(["portfolio", "rule", "calls"], [
                        [tx("card"), tx("calling_hours"), n(5)],
                        [tx("card"), tx("seven_in_seven"), n(3)],
                        [tx("card"), tx("cease_contact"), n(2)],
                        [tx("medical"), tx("calling_hours"), n(1)],
                        [tx("medical"), tx("after_conversation"), n(1)],
                        [tx("medical"), tx("cease_contact"), n(3)],
                        [tx("telco"), tx("after_conversation"), n(4)],
                    ])),
            // Local hours: x18 1, x19 3, x13 7, x08 x09 y10 y07 z03 10, y03 11, y02 w05 w01 12,
            // x15 z02 z05 21, x20 22.
            KPICase("summary by local_hour", "call_compliance", KPIParameters(asOf: a, by: [.local_hour], summary: true),
                    table(["local_hour", "rule", "calls"], [
                        [n(1), tx("calling_hours"), n(1)],
                        [n(3), tx("calling_hours"), n(1)],
                        [n(7), tx("calling_hours"), n(1)],
                        [n(10), tx("seven_in_seven"), n(2)],
                        [n(10), tx("after_conversation"), n(2)],
                        [n(10), tx("cease_contact"), n(1)],
                        [n(11), tx("after_conversation"), n(1)],
                        [n(12), tx("after_conversation"), n(1)],
                        [n(12), tx("cease_contact"), n(2)],
                        [n(21), tx("calling_hours"), n(2)],
                        [n(21), tx("seven_in_seven"), n(1)],
                        [n(21), tx("after_conversation"), n(1)],
                        [n(21), tx("cease_contact"), n(2)],
                        [n(22), tx("calling_hours"), n(1)],
                    ])),
            // mon: y02 (03-03), x13, z02 (03-10), x20 (03-31); tue: x08, w05 (03-04), x15 (03-11);
            // wed: x09, w01 (03-05), z03 (03-12), y07 (03-26); thu: z05 (03-13); sat: y10 (03-01);
            // sun: x18, x19, y03 (03-09).
            KPICase("summary by local_weekday", "call_compliance",
                    KPIParameters(asOf: a, by: [.local_weekday], summary: true), table(["local_weekday", "rule", "calls"], [
                        [tx("mon"), tx("calling_hours"), n(2)],
                        [tx("mon"), tx("after_conversation"), n(1)],
                        [tx("mon"), tx("cease_contact"), n(1)],
                        [tx("tue"), tx("calling_hours"), n(1)],
                        [tx("tue"), tx("seven_in_seven"), n(2)],
                        [tx("tue"), tx("cease_contact"), n(1)],
                        [tx("wed"), tx("seven_in_seven"), n(1)],
                        [tx("wed"), tx("after_conversation"), n(1)],
                        [tx("wed"), tx("cease_contact"), n(2)],
                        [tx("thu"), tx("calling_hours"), n(1)],
                        [tx("thu"), tx("after_conversation"), n(1)],
                        [tx("thu"), tx("cease_contact"), n(1)],
                        [tx("sat"), tx("after_conversation"), n(1)],
                        [tx("sun"), tx("calling_hours"), n(2)],
                        [tx("sun"), tx("after_conversation"), n(1)],
                    ])),
            KPICase("detail with by is a usage error", "call_compliance", KPIParameters(asOf: a, by: [.portfolio]), nil),
            KPICase("summary by channel", "call_compliance", KPIParameters(asOf: a, by: [.channel], summary: true),
                    table(["channel", "rule", "calls"], [
                        [tx("call"), tx("calling_hours"), n(6)],
                        [tx("call"), tx("seven_in_seven"), n(3)],
                        [tx("call"), tx("after_conversation"), n(5)],
                        [tx("call"), tx("cease_contact"), n(2)],
                        [tx("email"), tx("cease_contact"), n(1)],
                        [tx("letter"), tx("cease_contact"), n(1)],
                        [tx("sms"), tx("cease_contact"), n(1)],
                    ])),
        ]
    }

    func testReference() throws { try FixtureCheck.reference(Self.book, Self.cases) }
    func testEngine() throws { try FixtureCheck.engine(Self.book, Self.cases) }
}
