import RecoupKPI
import XCTest

/// dso (with countback walking back several months), cei and days_to_collect on a small
/// first-party ledger plus two agency accounts, worked out by hand.
final class HandReceivablesTests: XCTestCase {
    // Invoices (placed = opened, due = opened + 30) and agency accounts:
    //   I1 opened 02-10, 1000, never paid (due 03-12)           agent G1
    //   I2 opened 04-05,  600, paid 600 on 05-10                 agent G9
    //   I3 opened 04-20,  400, paid 100 on 06-15 (due 05-20)     agent G1
    //   I4 opened 05-15,  800, never paid (due 06-14)            agent G1
    //   I5 opened 06-10,  300, never paid (due 07-10)            agent G1
    //   I6 opened 06-20,  200, paid 250 on 06-25 (overpaid → 0)  agent G1
    //   I7 opened 07-01 (after A = 06-30): out.
    //   C1 card opened 2024-12-01, due 2024-12-31, placed 03-01, 500; 100 paid 02-01 (before
    //      placement: ignored), 200 paid 06-05.                   agent G2
    //   C2 card opened 05-05, due 06-04, placed 06-20, 400, never paid. Known at A, so it is in
    //      credit_sales(May) although placed after May.          agent G2
    //   U1 utility opened 06-12, due 07-12, placed 06-12, 150.    no agent
    // Outstanding at 06-30: I1 1000, I3 300, I4 800, I5 300, C1 300, C2 400, U1 150 → AR 3250.
    // Outstanding at 05-31 (placed ≤ 05-31): I1 1000, I3 400, I4 800, C1 500 → 2700.
    // Outstanding at 04-30: I1 1000, I2 600, I3 400, C1 500 → 2500.
    static let accounts = """
    account_id,debtor_id,portfolio,opened_date,due_date,placed_date,principal,region,timezone,agent_id,credit_score,status,status_date
    I1,D1,invoice,2025-02-10,2025-03-12,2025-02-10,1000.00,TX,America/Chicago,G1,,open,
    I2,D2,invoice,2025-04-05,2025-05-05,2025-04-05,600.00,TX,America/Chicago,G9,,closed,2025-05-10
    I3,D3,invoice,2025-04-20,2025-05-20,2025-04-20,400.00,TX,America/Chicago,G1,,open,
    I4,D4,invoice,2025-05-15,2025-06-14,2025-05-15,800.00,TX,America/Chicago,G1,,open,
    I5,D5,invoice,2025-06-10,2025-07-10,2025-06-10,300.00,TX,America/Chicago,G1,,open,
    I6,D6,invoice,2025-06-20,2025-07-20,2025-06-20,200.00,TX,America/Chicago,G1,,closed,2025-06-25
    I7,D7,invoice,2025-07-01,2025-07-31,2025-07-01,700.00,TX,America/Chicago,G1,,open,
    C1,D8,card,2024-12-01,2024-12-31,2025-03-01,500.00,CA,America/Los_Angeles,G2,,open,
    C2,D9,card,2025-05-05,2025-06-04,2025-06-20,400.00,CA,America/Los_Angeles,G2,,open,
    U1,D10,utility,2025-06-12,2025-07-12,2025-06-12,150.00,TX,America/Chicago,,,open,
    """
    static let payments = """
    payment_id,account_id,paid_date,amount,method
    P1,I2,2025-05-10,600.00,ach
    P2,I3,2025-06-15,100.00,ach
    P3,I6,2025-06-25,250.00,card
    P4,C1,2025-02-01,100.00,card
    P5,C1,2025-06-05,200.00,card
    P6,I7,2025-07-02,100.00,ach
    """

    static let book: HandBook = {
        let b = HandBook()
        try! b.add(accounts: accounts, payments: payments)
        return b
    }()

    static var cases: [KPICase] {
        let a = day("2025-06-30")
        let mayFrom = day("2025-05-01"), mayTo = day("2025-05-31")
        let dso = ["ar_end", "credit_sales", "days", "dso", "best_possible_dso", "add", "countback_dso"]
        let cei = ["begin_ar", "credit_sales", "end_ar", "end_current_ar", "cei"]
        let dtc = ["payments", "collected", "days_to_collect"]
        return [
            // June, D = 30. AR 3250; sales I5 300 + I6 200 + U1 150 = 650; current (due ≥ 06-30):
            // I5 300 + U1 150 (+ I6 0) = 450. dso = 3250/650·30 = 150; best = 450/650·30.
            // Countback from 3250: June 650 → 2600 (30 d); May I4 800 + C2 400 = 1200 → 1400
            // (61); April I2 600 + I3 400 = 1000 → 400 (91); March 0 → 400 (122); February
            // I1 1000 > 400: + 400/1000·28 = 11.2 → 133.2.
            KPICase("June", "dso", KPIParameters(asOf: a), table(dso, [
                [usd(3250), usd(650), n(30), dec(150), dec(450.0 / 650 * 30), dec(150 - 450.0 / 650 * 30), dec(133.2)],
            ])),
            // card (C1, C2): AR 300 + 400 = 700, no June sales → null dso. Countback: June 0 (30),
            //   May C2 400 → 300 (61), Apr, Mar, Feb, Jan 0 (91, 122, 150, 181), Dec 2024 C1 500 >
            //   300: + 300/500·31 = 18.6 → 199.6.
            // invoice: AR 1000 + 300 + 800 + 300 = 2400, sales 500, current 300: dso 144, best 18,
            //   add 126; countback 2400 − 500 (30) − 800 (61) − 1000 (91) = 100, March 0 (122),
            //   Feb 100/1000·28 = 2.8 → 124.8.
            // utility (U1): AR 150 = sales 150 = current: dso 30, best 30, add 0, countback 30.
            KPICase("June by portfolio", "dso", KPIParameters(asOf: a, by: [.portfolio]), table(["portfolio"] + dso, [
                [tx("card"), usd(700), usd(0), n(30), nul, nul, nul, dec(199.6)],
                [tx("invoice"), usd(2400), usd(500), n(30), dec(144), dec(18), dec(126), dec(124.8)],
                [tx("utility"), usd(150), usd(150), n(30), dec(30), dec(30), dec(0), dec(30)],
            ])),
            // "" = U1 (as utility). G1 = I1, I3, I4, I5, I6: AR 2400, sales 500 as invoice but
            //   April sales are I3 400 only: 2400 − 500 − 800 − 400 = 700 after April (91), March
            //   0 (122), Feb 700/1000·28 = 19.6 → 141.6.
            // G2 = C1, C2 (as card). G9 = I2: AR 0, no sales: null dso, countback 0.
            KPICase("June by agent_id (AR 0 → countback 0)", "dso", KPIParameters(asOf: a, by: [.agent_id]),
                    table(["agent_id"] + dso, [
                        [tx(""), usd(150), usd(150), n(30), dec(30), dec(30), dec(0), dec(30)],
                        [tx("G1"), usd(2400), usd(500), n(30), dec(144), dec(18), dec(126), dec(141.6)],
                        [tx("G2"), usd(700), usd(0), n(30), nul, nul, nul, dec(199.6)],
                        [tx("G9"), usd(0), usd(0), n(30), nul, nul, nul, dec(0)],
                    ])),
            // May, D = 31: AR(05-31) 2700; sales I4 800 + C2 400 = 1200; current (due ≥ 05-31):
            // I4 800. dso = 2700/1200·31 = 69.75; best = 800/1200·31; countback: May 1200 → 1500
            // (31), April 1000 → 500 (61), March 0 (92), Feb 500/1000·28 = 14 → 106.
            KPICase("May", "dso", KPIParameters(asOf: a, from: mayFrom, to: mayTo), table(dso, [
                [usd(2700), usd(1200), n(31), dec(69.75), dec(800.0 / 1200 * 31), dec(69.75 - 800.0 / 1200 * 31), dec(106)],
            ])),
            // card in May: AR C1 500 (C2 not yet placed), sales C2 400: dso 500/400·31 = 38.75,
            //   current 0 → best 0, add 38.75; countback 500 − 400 = 100 (31), Apr…Jan 0
            //   (61, 92, 120, 151), Dec C1 500: 100/500·31 = 6.2 → 157.2.
            // invoice in May: AR 2200, sales 800, current 800: 85.25, 31, 54.25; countback
            //   2200 − 800 (31) − 1000 (61) = 400, March (92), Feb 400/1000·28 = 11.2 → 103.2.
            // utility: U1 neither in the book at 05-31 nor opened in May: no row.
            KPICase("May by portfolio", "dso", KPIParameters(asOf: a, from: mayFrom, to: mayTo, by: [.portfolio]),
                    table(["portfolio"] + dso, [
                        [tx("card"), usd(500), usd(400), n(31), dec(38.75), dec(0), dec(38.75), dec(157.2)],
                        [tx("invoice"), usd(2200), usd(800), n(31), dec(85.25), dec(31), dec(54.25), dec(103.2)],
                    ])),
            // P = 06-01…06-15 (D = 15), A = 06-30. In the book at 06-15: I1 1000, I2 0, I3 300 (100
            // paid 06-15), I4 800, I5 300, C1 300 (200 paid 06-05), U1 150 → AR 2850 (I6 and C2 are
            // placed 06-20). Sales I5 300 + U1 150 = 450 → dso 2850/450·15 = 95. Current (due ≥
            // 06-15): I5 300 + U1 150 = 450 → best 15, add 80.
            // Countback: June 1…15 (15 d, 450) → 2400; May (31 d): I4 800 + C2 400 — C2 is known at
            // A although placed after `to`, so its May sale counts — → 1200 (46); April 1000 → 200
            // (76); March 0 (107); Feb 200/1000·28 = 5.6 → 112.6.
            // (Counting only accounts in the book at `to` would give May 800 and 123.8.)
            KPICase("mid-June: countback month sales of accounts placed after to", "dso",
                    KPIParameters(asOf: a, from: day("2025-06-01"), to: day("2025-06-15")), table(dso, [
                        [usd(2850), usd(450), n(15), dec(95), dec(15), dec(80), dec(112.6)],
                    ])),
            // B = AR(05-31) 2700, S 450, E 2850, EC 450 → (2700 + 450 − 2850) / (2700 + 450 − 450).
            KPICase("mid-June", "cei", KPIParameters(asOf: a, from: day("2025-06-01"), to: day("2025-06-15")), table(cei, [
                [usd(2700), usd(450), usd(2850), usd(450), dec(300.0 / 2700 * 100)],
            ])),

            // June: B = AR(05-31) 2700, S 650, E 3250, EC 450: (2700 + 650 − 3250) / (2700 + 650 − 450).
            KPICase("June", "cei", KPIParameters(asOf: a), table(cei, [
                [usd(2700), usd(650), usd(3250), usd(450), dec(100.0 / 2900 * 100)],
            ])),
            // card: B 500, S 0, E 700, EC 0 → −200/500 = −40 (negative: AR grew).
            // invoice: B 2200, S 500, E 2400, EC 300 → 300/2400 = 12.5.
            // utility: B 0, S 150, E 150, EC 150 → denominator 0 → null.
            KPICase("June by portfolio (negative, null)", "cei", KPIParameters(asOf: a, by: [.portfolio]),
                    table(["portfolio"] + cei, [
                        [tx("card"), usd(500), usd(0), usd(700), usd(0), dec(-40)],
                        [tx("invoice"), usd(2200), usd(500), usd(2400), usd(300), dec(12.5)],
                        [tx("utility"), usd(0), usd(150), usd(150), usd(150), nul],
                    ])),
            // May: B = AR(04-30) 2500, S 1200, E 2700, EC 800 → 1000/2900.
            // card: B 500, S 400, E 500, EC 0 → 400/900. invoice: B 2000, S 800, E 2200, EC 800 → 600/2000.
            KPICase("May by portfolio", "cei", KPIParameters(asOf: a, from: mayFrom, to: mayTo, by: [.portfolio]),
                    table(["portfolio"] + cei, [
                        [tx("card"), usd(500), usd(400), usd(500), usd(0), dec(400.0 / 900 * 100)],
                        [tx("invoice"), usd(2000), usd(800), usd(2200), usd(800), dec(30)],
                    ])),
            KPICase("May", "cei", KPIParameters(asOf: a, from: mayFrom, to: mayTo), table(cei, [
                [usd(2500), usd(1200), usd(2700), usd(800), dec(1000.0 / 2900 * 100)],
            ])),

            // June payments: P2 I3 100 (04-20 → 06-15 = 56 d), P3 I6 250 (06-20 → 06-25 = 5 d),
            // P5 C1 200 (opened 2024-12-01 → 06-05 = 186 d: from the invoice date, not placement).
            // (100·56 + 250·5 + 200·186) / 550 = 44050 / 550.
            KPICase("June", "days_to_collect", KPIParameters(asOf: a), table(dtc, [[n(3), usd(550), dec(44050.0 / 550)]])),
            KPICase("June by portfolio", "days_to_collect", KPIParameters(asOf: a, by: [.portfolio]),
                    table(["portfolio"] + dtc, [
                        [tx("card"), n(1), usd(200), dec(186)],
                        [tx("invoice"), n(2), usd(350), dec(6850.0 / 350)],
                    ])),
        ]
    }

    func testReference() throws { try FixtureCheck.reference(Self.book, Self.cases) }
    func testEngine() throws { try FixtureCheck.engine(Self.book, Self.cases) }
}
