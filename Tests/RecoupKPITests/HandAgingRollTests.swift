import RecoupKPI
import XCTest

/// aging (bucket boundaries) and roll_rate (to `paid`), worked out by hand.
final class HandAgingRollTests: XCTestCase {
    // MARK: aging

    // As of A = 2025-06-30, dpd = A − due_date:
    //   AG01 due 07-10 → −10 current      AG02 due 06-30 → 0 current
    //   AG03 due 06-29 → 1 (1-30)          AG04 due 05-31 → 30 (1-30)
    //   AG05 due 05-30 → 31 (31-60)        AG06 due 04-30 → 61 (61-90)
    //   AG07 due 03-31 → 91 (91-180)       AG08 due 2024-12-31 → 181 (181-365)
    //   AG09 due 2024-06-30 → 365 (181-365) AG10 due 2024-06-29 → 366 (365+)
    //   AG11 overpaid (100 − 150 → outstanding 0): out.
    //   AG12 100 − 100 + 40 (reversal) = 40; due 2024-01-01 → 546 (365+).
    //   AG13 placed 07-01, after A: out.
    // AG03's payment of 05-15 is before its placement (06-01): ignored (outstanding 300).
    // AG05's payment of 07-01 is after A: outstanding 500 at A.
    static let agingAccounts = """
    account_id,debtor_id,portfolio,opened_date,due_date,placed_date,principal,region,timezone,agent_id,credit_score,status,status_date
    AG01,D01,card,2025-06-10,2025-07-10,2025-06-10,100.00,CA,America/Los_Angeles,G1,,open,
    AG02,D02,card,2025-05-31,2025-06-30,2025-05-31,200.00,CA,America/Los_Angeles,G1,,open,
    AG03,D03,card,2025-04-01,2025-06-29,2025-06-01,300.00,CA,America/Los_Angeles,G2,,open,
    AG04,D04,telco,2025-05-01,2025-05-31,2025-06-15,400.00,NY,America/New_York,G2,,open,
    AG05,D05,telco,2025-04-30,2025-05-30,2025-06-15,500.00,NY,America/New_York,,,open,
    AG06,D06,card,2025-03-31,2025-04-30,2025-06-01,100.00,CA,America/Los_Angeles,G1,,open,
    AG07,D07,card,2025-03-01,2025-03-31,2025-06-01,100.00,CA,America/Los_Angeles,G1,,open,
    AG08,D08,telco,2024-12-01,2024-12-31,2025-03-01,100.00,NY,America/New_York,,,open,
    AG09,D09,card,2024-06-01,2024-06-30,2024-12-01,250.00,CA,America/Los_Angeles,G2,,open,
    AG10,D10,telco,2024-06-01,2024-06-29,2024-12-01,600.00,NY,America/New_York,G1,,open,
    AG11,D11,card,2023-12-01,2024-01-01,2024-06-01,100.00,CA,America/Los_Angeles,G1,,closed,2025-01-10
    AG12,D12,telco,2023-12-01,2024-01-01,2024-06-01,100.00,NY,America/New_York,G2,,open,
    AG13,D13,card,2024-12-01,2025-01-01,2025-07-01,100.00,CA,America/Los_Angeles,G1,,open,
    """
    static let agingPayments = """
    payment_id,account_id,paid_date,amount,method
    P1,AG03,2025-05-15,50.00,card
    P2,AG05,2025-07-01,500.00,ach
    P3,AG11,2025-01-10,150.00,card
    P4,AG12,2025-06-01,100.00,check
    P5,AG12,2025-06-05,-40.00,check
    """

    static let agingBook: HandBook = {
        let b = HandBook()
        try! b.add(accounts: agingAccounts, payments: agingPayments)
        return b
    }()

    static var agingCases: [KPICase] {
        let cols = ["bucket", "accounts", "balance", "share"]
        // Total = 300 + 700 + 500 + 100 + 100 + 350 + 640 = 2690.
        let all = 2690.0
        // card: AG01 100, AG02 200 (current 300), AG03 300 (1-30), AG06 100 (61-90), AG07 100
        //       (91-180), AG09 250 (181-365): 1050.
        // telco: AG04 400 (1-30), AG05 500 (31-60), AG08 100 (181-365), AG10 600 + AG12 40 (365+): 1640.
        // Default A = latest date = 2025-07-01 (AG13's placement and P2): dpd one more, AG05
        // paid (out), AG13 in (due 2025-01-01 → 181):
        //   current AG01 100; 1-30 AG02 (1) 200 + AG03 (2) 300 = 500; 31-60 AG04 (31) 400;
        //   61-90 AG06 (62) 100; 91-180 AG07 (92) 100; 181-365 AG08 (182) 100 + AG13 100 = 200;
        //   365+ AG09 (366) 250 + AG10 600 + AG12 40 = 890. Total 2290.
        return [
            KPICase("bucket boundaries", "aging", KPIParameters(asOf: day("2025-06-30")), table(cols, [
                [tx("current"), n(2), usd(300), dec(300 / all)],
                [tx("1-30"), n(2), usd(700), dec(700 / all)],
                [tx("31-60"), n(1), usd(500), dec(500 / all)],
                [tx("61-90"), n(1), usd(100), dec(100 / all)],
                [tx("91-180"), n(1), usd(100), dec(100 / all)],
                [tx("181-365"), n(2), usd(350), dec(350 / all)],
                [tx("365+"), n(2), usd(640), dec(640 / all)],
            ])),
            KPICase("by portfolio: empty buckets absent", "aging", KPIParameters(asOf: day("2025-06-30"), by: [.portfolio]),
                    table(["portfolio"] + cols, [
                        [tx("card"), tx("current"), n(2), usd(300), dec(300.0 / 1050)],
                        [tx("card"), tx("1-30"), n(1), usd(300), dec(300.0 / 1050)],
                        [tx("card"), tx("61-90"), n(1), usd(100), dec(100.0 / 1050)],
                        [tx("card"), tx("91-180"), n(1), usd(100), dec(100.0 / 1050)],
                        [tx("card"), tx("181-365"), n(1), usd(250), dec(250.0 / 1050)],
                        [tx("telco"), tx("1-30"), n(1), usd(400), dec(400.0 / 1640)],
                        [tx("telco"), tx("31-60"), n(1), usd(500), dec(500.0 / 1640)],
                        [tx("telco"), tx("181-365"), n(1), usd(100), dec(100.0 / 1640)],
                        [tx("telco"), tx("365+"), n(2), usd(640), dec(640.0 / 1640)],
                    ])),
            KPICase("default as-of 07-01", "aging", KPIParameters(), table(cols, [
                [tx("current"), n(1), usd(100), dec(100.0 / 2290)],
                [tx("1-30"), n(2), usd(500), dec(500.0 / 2290)],
                [tx("31-60"), n(1), usd(400), dec(400.0 / 2290)],
                [tx("61-90"), n(1), usd(100), dec(100.0 / 2290)],
                [tx("91-180"), n(1), usd(100), dec(100.0 / 2290)],
                [tx("181-365"), n(2), usd(200), dec(200.0 / 2290)],
                [tx("365+"), n(3), usd(890), dec(890.0 / 2290)],
            ])),
            // As of 2024-05-31 no account is placed: no rows.
            KPICase("before any placement: empty", "aging", KPIParameters(asOf: day("2024-05-31")), table(cols, [])),
        ]
    }

    func testAgingReference() throws { try FixtureCheck.reference(Self.agingBook, Self.agingCases) }
    func testAgingEngine() throws { try FixtureCheck.engine(Self.agingBook, Self.agingCases) }

    // MARK: roll_rate

    // End of May = 05-31, end of June = 06-30 (dpd from due_date):
    //   RR1 due 05-15: 16 (1-30) → 46 (31-60), 100.
    //   RR2 due 05-31: 0 (current) → 30 (1-30), 200.
    //   RR3 due 04-01: 60 (31-60) → paid (300 paid 06-10), 300.
    //   RR4 due 04-01: 60 (31-60) → 90 (61-90) (100 of 300 paid), 300.
    //   RR5 paid in full 05-20: outstanding 0 at end of May, out.
    //   RR6 placed 06-05: not in the book at end of May, out.
    //   RR7 due 2024-05-30: 366 (365+) → 396 (365+), 500.
    //   RR8 due 05-20: 11 (1-30) → paid (60 paid on 50: overpaid), 50.
    //   RR9 due 06-10: −10 (current) → 20 (1-30): paid 80 then reversed, 80.
    //   RR10 due 04-01: 60 (31-60) → 90 (61-90); its payment of 07-02 is after June, 300.
    // End of April = 04-30 → end of May (in the book at 04-30: RR3, RR4, RR5, RR7, RR10):
    //   RR3, RR4, RR10 due 04-01: 29 (1-30) → 60 (31-60), 300 each.
    //   RR5 due 03-01: 60 (31-60) → paid (05-20), 100.
    //   RR7: 335 (181-365) → 366 (365+), 500.
    static let rollAccounts = """
    account_id,debtor_id,portfolio,opened_date,due_date,placed_date,principal,region,timezone,agent_id,credit_score,status,status_date
    RR1,D1,card,2025-04-15,2025-05-15,2025-05-01,100.00,CA,America/Los_Angeles,G1,,open,
    RR2,D2,card,2025-05-01,2025-05-31,2025-05-01,200.00,CA,America/Los_Angeles,G1,,open,
    RR3,D3,card,2025-03-01,2025-04-01,2025-04-10,300.00,CA,America/Los_Angeles,G1,,closed,2025-06-10
    RR4,D4,telco,2025-03-01,2025-04-01,2025-04-10,300.00,CA,America/Los_Angeles,G1,,open,
    RR5,D5,telco,2025-02-01,2025-03-01,2025-04-10,100.00,CA,America/Los_Angeles,G1,,closed,2025-05-20
    RR6,D6,telco,2025-06-05,2025-07-05,2025-06-05,100.00,CA,America/Los_Angeles,G1,,open,
    RR7,D7,card,2024-04-30,2024-05-30,2024-08-01,500.00,CA,America/Los_Angeles,G1,,open,
    RR8,D8,telco,2025-04-20,2025-05-20,2025-05-05,50.00,CA,America/Los_Angeles,G1,,closed,2025-06-15
    RR9,D9,card,2025-05-11,2025-06-10,2025-05-11,80.00,CA,America/Los_Angeles,G1,,open,
    RR10,D10,telco,2025-03-01,2025-04-01,2025-04-10,300.00,CA,America/Los_Angeles,G1,,open,
    """
    static let rollPayments = """
    payment_id,account_id,paid_date,amount,method
    P1,RR3,2025-06-10,300.00,card
    P2,RR4,2025-06-10,100.00,card
    P3,RR5,2025-05-20,100.00,card
    P4,RR8,2025-06-15,60.00,card
    P5,RR9,2025-06-01,80.00,card
    P6,RR9,2025-06-03,-80.00,card
    P7,RR10,2025-07-02,300.00,card
    """

    static let rollBook: HandBook = {
        let b = HandBook()
        try! b.add(accounts: rollAccounts, payments: rollPayments)
        return b
    }()

    static var rollCases: [KPICase] {
        let cols = ["from_bucket", "to_bucket", "accounts", "balance", "share"]
        // May: from current 280 (RR2 + RR9), 1-30 150 (RR1 + RR8), 31-60 900 (RR3 + RR4 + RR10), 365+ 500.
        let may = table(cols, [
            [tx("current"), tx("1-30"), n(2), usd(280), dec(1)],
            [tx("1-30"), tx("31-60"), n(1), usd(100), dec(100.0 / 150)],
            [tx("1-30"), tx("paid"), n(1), usd(50), dec(50.0 / 150)],
            [tx("31-60"), tx("61-90"), n(2), usd(600), dec(600.0 / 900)],
            [tx("31-60"), tx("paid"), n(1), usd(300), dec(300.0 / 900)],
            [tx("365+"), tx("365+"), n(1), usd(500), dec(1)],
        ])
        let april = table(cols, [
            [tx("1-30"), tx("31-60"), n(3), usd(900), dec(1)],
            [tx("31-60"), tx("paid"), n(1), usd(100), dec(1)],
            [tx("181-365"), tx("365+"), n(1), usd(500), dec(1)],
        ])
        return [
            // A = 06-30 is June's last day: June ended ≤ A, so M = May.
            KPICase("default month as of 06-30 = May", "roll_rate", KPIParameters(asOf: day("2025-06-30")), may),
            // Default A = 07-02 (P7): June (M+1 of May) ended ≤ A, July did not: M = May.
            KPICase("default as-of 07-02 → May", "roll_rate", KPIParameters(), may),
            // A = 06-29: June has not ended: M = April.
            KPICase("default month as of 06-29 = April", "roll_rate", KPIParameters(asOf: day("2025-06-29")), april),
            KPICase("explicit April", "roll_rate", KPIParameters(asOf: day("2025-06-30"), month: day("2025-04-01")), april),
            KPICase("May needs A ≥ 06-30", "roll_rate", KPIParameters(asOf: day("2025-06-29"), month: day("2025-05-01")), nil),
            // card: RR1, RR2, RR3, RR7, RR9; telco: RR4, RR8, RR10.
            KPICase("May by portfolio", "roll_rate", KPIParameters(asOf: day("2025-06-30"), by: [.portfolio]),
                    table(["portfolio"] + cols, [
                        [tx("card"), tx("current"), tx("1-30"), n(2), usd(280), dec(1)],
                        [tx("card"), tx("1-30"), tx("31-60"), n(1), usd(100), dec(1)],
                        [tx("card"), tx("31-60"), tx("paid"), n(1), usd(300), dec(1)],
                        [tx("card"), tx("365+"), tx("365+"), n(1), usd(500), dec(1)],
                        [tx("telco"), tx("1-30"), tx("paid"), n(1), usd(50), dec(1)],
                        [tx("telco"), tx("31-60"), tx("61-90"), n(2), usd(600), dec(1)],
                    ])),
        ]
    }

    func testRollReference() throws { try FixtureCheck.reference(Self.rollBook, Self.rollCases) }
    func testRollEngine() throws { try FixtureCheck.engine(Self.rollBook, Self.rollCases) }
}
