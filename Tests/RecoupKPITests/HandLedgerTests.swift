import RecoupKPI
import XCTest

/// recovery_rate, liquidation and days_to_collect on a hand book, worked out by hand.
/// Every case is checked twice: `testReference` (ReferenceKPI on the CSV files) and
/// `testEngine` (KPIRunner on the imported store).
final class HandLedgerTests: XCTestCase {
    static let accounts = """
    account_id,debtor_id,portfolio,opened_date,due_date,placed_date,principal,region,timezone,agent_id,credit_score,status,status_date
    M1,D1,card,2024-10-01,2024-10-31,2025-01-10,1000.00,NY,America/New_York,G1,700,open,
    M2,D2,card,2024-11-01,2024-12-01,2025-01-20,500.00,CA,America/Los_Angeles,G2,,closed,2025-02-05
    M3,D3,medical,2024-12-15,2025-01-14,2025-02-03,200.00,NY,America/New_York,,,open,
    M4,D4,medical,2025-01-01,2025-01-31,2025-03-15,300,CA,America/Los_Angeles,G1,650,open,
    M5,D5,card,2025-05-01,2025-05-31,2025-07-02,999.00,NY,America/New_York,G2,,open,
    """
    // M5 is placed after 2025-06-30: out of every KPI as of 2025-06-30.
    static let payments = """
    payment_id,account_id,paid_date,amount,method
    P01,M1,2024-12-20,100.00,card
    P02,M1,2025-01-15,200.00,card
    P03,M1,2025-02-10,300.00,ach
    P04,M1,2025-02-15,-300.00,ach
    P05,M1,2025-04-01,250,card
    P06,M2,2025-01-25,500.00,card
    P07,M2,2025-02-05,50.00,card
    P08,M3,2025-06-30,20.00,check
    P09,M4,2025-03-20,100.00,check
    P10,M4,2025-07-05,100.00,check
    P11,M5,2025-07-03,10.00,card
    """
    // P01 is before M1's placement (history: ignored). P04 reverses P03. P07 overpays M2
    // (balance −50). P10 and P11 are after 2025-06-30.
    // Collected per account as of 2025-06-30 (placed ≤ paid ≤ A):
    //   M1 = 200 + 300 − 300 + 250 = 450;  M2 = 500 + 50 = 550;  M3 = 20;  M4 = 100.

    static let book: HandBook = {
        let b = HandBook()
        try! b.add(accounts: accounts, payments: payments)
        return b
    }()

    static let june30 = day("2025-06-30")

    static var cases: [KPICase] {
        let a = june30
        let rr = ["accounts", "placed", "collected", "recovery_rate"]
        let liq = ["months_on_book", "placed", "collected_cum", "liquidation_rate"]
        let dtc = ["payments", "collected", "days_to_collect"]
        return [
            // placed = 1000 + 500 + 200 + 300 = 2000; collected = 450 + 550 + 20 + 100 = 1120.
            KPICase("as of 06-30", "recovery_rate", KPIParameters(asOf: a),
                    table(rr, [[n(4), usd(2000), usd(1120), dec(1120.0 / 2000)]])),
            // card = M1 + M2: 1500 placed, 1000 collected; medical = M3 + M4: 500, 120.
            KPICase("by portfolio", "recovery_rate", KPIParameters(asOf: a, by: [.portfolio]),
                    table(["portfolio"] + rr, [
                        [tx("card"), n(2), usd(1500), usd(1000), dec(1000.0 / 1500)],
                        [tx("medical"), n(2), usd(500), usd(120), dec(0.24)],
                    ])),
            // "" (M3) first; G1 = M1 + M4: 1300, 550; G2 = M2: 500, 550 (overpaid: 110%).
            KPICase("by agent_id, empty first", "recovery_rate", KPIParameters(asOf: a, by: [.agent_id]),
                    table(["agent_id"] + rr, [
                        [tx(""), n(1), usd(200), usd(20), dec(0.1)],
                        [tx("G1"), n(2), usd(1300), usd(550), dec(550.0 / 1300)],
                        [tx("G2"), n(1), usd(500), usd(550), dec(1.1)],
                    ])),
            KPICase("by cohort", "recovery_rate", KPIParameters(asOf: a, by: [.cohort]),
                    table(["cohort"] + rr, [
                        [tx("2025-01"), n(2), usd(1500), usd(1000), dec(1000.0 / 1500)],
                        [tx("2025-02"), n(1), usd(200), usd(20), dec(0.1)],
                        [tx("2025-03"), n(1), usd(300), usd(100), dec(100.0 / 300)],
                    ])),
            KPICase("by region, portfolio", "recovery_rate", KPIParameters(asOf: a, by: [.region, .portfolio]),
                    table(["region", "portfolio"] + rr, [
                        [tx("CA"), tx("card"), n(1), usd(500), usd(550), dec(1.1)],
                        [tx("CA"), tx("medical"), n(1), usd(300), usd(100), dec(100.0 / 300)],
                        [tx("NY"), tx("card"), n(1), usd(1000), usd(450), dec(0.45)],
                        [tx("NY"), tx("medical"), n(1), usd(200), usd(20), dec(0.1)],
                    ])),
            // Default A = the latest date in the book: P10's paid_date 2025-07-05 (after M5's
            // placement 07-02). Then M5 (999) and P10 (100), P11 (10) count:
            // placed 2000 + 999 = 2999; collected 1120 + 100 + 10 = 1230.
            KPICase("default as-of = latest paid_date", "recovery_rate", KPIParameters(),
                    table(rr, [[n(5), usd(2999), usd(1230), dec(1230.0 / 2999)]])),
            KPICase("contact dims are not for recovery_rate", "recovery_rate", KPIParameters(asOf: a, by: [.channel]), nil),

            // Cohort 2025-01 (M1, M2; placed 1500), months Jan (k 0) … Jun (k 5):
            //   k0: P02 200 + P06 500 = 700; k1: + P03 300 − P04 300 + P07 50 = 750; k2: 750;
            //   k3: + P05 250 = 1000; k4, k5: 1000.
            // Cohort 2025-02 (M3; 200): k0…k3 = 0, k4 (June) = P08 20.
            // Cohort 2025-03 (M4; 300): k0 = P09 100 … k3 = 100 (P10 in July is beyond June).
            KPICase("as of 06-30 (June complete)", "liquidation", KPIParameters(asOf: a),
                    table(["cohort"] + liq, [
                        [tx("2025-01"), n(0), usd(1500), usd(700), dec(700.0 / 1500)],
                        [tx("2025-01"), n(1), usd(1500), usd(750), dec(0.5)],
                        [tx("2025-01"), n(2), usd(1500), usd(750), dec(0.5)],
                        [tx("2025-01"), n(3), usd(1500), usd(1000), dec(1000.0 / 1500)],
                        [tx("2025-01"), n(4), usd(1500), usd(1000), dec(1000.0 / 1500)],
                        [tx("2025-01"), n(5), usd(1500), usd(1000), dec(1000.0 / 1500)],
                        [tx("2025-02"), n(0), usd(200), usd(0), dec(0)],
                        [tx("2025-02"), n(1), usd(200), usd(0), dec(0)],
                        [tx("2025-02"), n(2), usd(200), usd(0), dec(0)],
                        [tx("2025-02"), n(3), usd(200), usd(0), dec(0)],
                        [tx("2025-02"), n(4), usd(200), usd(20), dec(0.1)],
                        [tx("2025-03"), n(0), usd(300), usd(100), dec(100.0 / 300)],
                        [tx("2025-03"), n(1), usd(300), usd(100), dec(100.0 / 300)],
                        [tx("2025-03"), n(2), usd(300), usd(100), dec(100.0 / 300)],
                        [tx("2025-03"), n(3), usd(300), usd(100), dec(100.0 / 300)],
                    ])),
            // As of 06-29 June is not complete: the last month is May.
            KPICase("as of 06-29 (May the last complete month)", "liquidation", KPIParameters(asOf: day("2025-06-29")),
                    table(["cohort"] + liq, [
                        [tx("2025-01"), n(0), usd(1500), usd(700), dec(700.0 / 1500)],
                        [tx("2025-01"), n(1), usd(1500), usd(750), dec(0.5)],
                        [tx("2025-01"), n(2), usd(1500), usd(750), dec(0.5)],
                        [tx("2025-01"), n(3), usd(1500), usd(1000), dec(1000.0 / 1500)],
                        [tx("2025-01"), n(4), usd(1500), usd(1000), dec(1000.0 / 1500)],
                        [tx("2025-02"), n(0), usd(200), usd(0), dec(0)],
                        [tx("2025-02"), n(1), usd(200), usd(0), dec(0)],
                        [tx("2025-02"), n(2), usd(200), usd(0), dec(0)],
                        [tx("2025-02"), n(3), usd(200), usd(0), dec(0)],
                        [tx("2025-03"), n(0), usd(300), usd(100), dec(100.0 / 300)],
                        [tx("2025-03"), n(1), usd(300), usd(100), dec(100.0 / 300)],
                        [tx("2025-03"), n(2), usd(300), usd(100), dec(100.0 / 300)],
                    ])),
            // cohort first even when not named; G1 in 2025-01 is M1 alone (1000):
            // k0 200, k1 200 + 300 − 300 = 200, k2 200, k3 450…; G2 is M2 (500): 500, 550…
            KPICase("by agent_id: cohort stays first", "liquidation", KPIParameters(asOf: a, by: [.agent_id]),
                    table(["cohort", "agent_id"] + liq, [
                        [tx("2025-01"), tx("G1"), n(0), usd(1000), usd(200), dec(0.2)],
                        [tx("2025-01"), tx("G1"), n(1), usd(1000), usd(200), dec(0.2)],
                        [tx("2025-01"), tx("G1"), n(2), usd(1000), usd(200), dec(0.2)],
                        [tx("2025-01"), tx("G1"), n(3), usd(1000), usd(450), dec(0.45)],
                        [tx("2025-01"), tx("G1"), n(4), usd(1000), usd(450), dec(0.45)],
                        [tx("2025-01"), tx("G1"), n(5), usd(1000), usd(450), dec(0.45)],
                        [tx("2025-01"), tx("G2"), n(0), usd(500), usd(500), dec(1)],
                        [tx("2025-01"), tx("G2"), n(1), usd(500), usd(550), dec(1.1)],
                        [tx("2025-01"), tx("G2"), n(2), usd(500), usd(550), dec(1.1)],
                        [tx("2025-01"), tx("G2"), n(3), usd(500), usd(550), dec(1.1)],
                        [tx("2025-01"), tx("G2"), n(4), usd(500), usd(550), dec(1.1)],
                        [tx("2025-01"), tx("G2"), n(5), usd(500), usd(550), dec(1.1)],
                        [tx("2025-02"), tx(""), n(0), usd(200), usd(0), dec(0)],
                        [tx("2025-02"), tx(""), n(1), usd(200), usd(0), dec(0)],
                        [tx("2025-02"), tx(""), n(2), usd(200), usd(0), dec(0)],
                        [tx("2025-02"), tx(""), n(3), usd(200), usd(0), dec(0)],
                        [tx("2025-02"), tx(""), n(4), usd(200), usd(20), dec(0.1)],
                        [tx("2025-03"), tx("G1"), n(0), usd(300), usd(100), dec(100.0 / 300)],
                        [tx("2025-03"), tx("G1"), n(1), usd(300), usd(100), dec(100.0 / 300)],
                        [tx("2025-03"), tx("G1"), n(2), usd(300), usd(100), dec(100.0 / 300)],
                        [tx("2025-03"), tx("G1"), n(3), usd(300), usd(100), dec(100.0 / 300)],
                    ])),
            // As of 01-31: only M1 and M2 are placed; January is complete: k0 = 700.
            KPICase("as of 01-31: one month", "liquidation", KPIParameters(asOf: day("2025-01-31"), by: [.cohort]),
                    table(["cohort"] + liq, [[tx("2025-01"), n(0), usd(1500), usd(700), dec(700.0 / 1500)]])),
            // As of 01-30 no cohort has a complete month: no rows.
            KPICase("as of 01-30: no complete month", "liquidation", KPIParameters(asOf: day("2025-01-30")),
                    table(["cohort"] + liq, [])),

            // February: P03 (M1, 300, opened 2024-10-01 → 02-10 = 31+30+31+31+9 = 132 days) and
            // P07 (M2, 50, opened 2024-11-01 → 02-05 = 30+31+31+4 = 96 days); the reversal P04
            // is not a payment. (300·132 + 50·96) / 350 = 44400 / 350.
            KPICase("February, reversal excluded", "days_to_collect",
                    KPIParameters(asOf: a, from: day("2025-02-01"), to: day("2025-02-28")),
                    table(dtc, [[n(2), usd(350), dec(44400.0 / 350)]])),
            KPICase("February by agent_id", "days_to_collect",
                    KPIParameters(asOf: a, from: day("2025-02-01"), to: day("2025-02-28"), by: [.agent_id]),
                    table(["agent_id"] + dtc, [
                        [tx("G1"), n(1), usd(300), dec(132)],
                        [tx("G2"), n(1), usd(50), dec(96)],
                    ])),
            // December 2024 holds only P01, before M1's placement: no rows at all.
            KPICase("only a pre-placement payment: empty", "days_to_collect",
                    KPIParameters(asOf: a, from: day("2024-12-01"), to: day("2024-12-31")), table(dtc, [])),
            // Default period = June up to A: P08 (M3, 20, opened 2024-12-15 → 06-30 = 197 days).
            KPICase("default period (June)", "days_to_collect", KPIParameters(asOf: a),
                    table(dtc, [[n(1), usd(20), dec(197)]])),
            // Only `to` given: from = the first of to's month (2025-04-01): P05 (M1, 250,
            // opened 2024-10-01 → 04-01 = 182 days); P09 (M4, 100, 01-01 → 03-20 = 78 days) is in March.
            KPICase("only --to", "days_to_collect", KPIParameters(asOf: a, to: day("2025-04-30")),
                    table(dtc, [[n(1), usd(250), dec(182)]])),
            KPICase("to after A is an error", "days_to_collect", KPIParameters(asOf: a, to: day("2025-07-01")), nil),
            KPICase("from after to is an error", "days_to_collect",
                    KPIParameters(asOf: a, from: day("2025-06-10"), to: day("2025-06-09")), nil),
        ]
    }

    func testReference() throws { try FixtureCheck.reference(Self.book, Self.cases) }
    func testEngine() throws { try FixtureCheck.engine(Self.book, Self.cases) }
}
