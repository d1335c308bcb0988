import RecoupKPI
import XCTest

/// promise_adherence: overlapping promises served by one payment, pending promises, a
/// promise kept exactly at due + G, reversals inside the window, promises made before
/// placement; worked out by hand.
final class HandPromiseTests: XCTestCase {
    static let accounts = """
    account_id,debtor_id,portfolio,opened_date,due_date,placed_date,principal,region,timezone,agent_id,credit_score,status,status_date
    PA,D1,card,2024-11-01,2024-12-01,2025-01-01,1000.00,NY,America/New_York,G1,,open,
    PB,D2,telco,2024-11-01,2024-12-01,2025-01-01,1000.00,CA,America/Los_Angeles,G2,,open,
    PC,D3,card,2025-05-01,2025-06-01,2025-06-10,500.00,NY,America/New_York,,,open,
    """
    // A = 2025-06-30, P = June, G = 3. paid(p) sums the account's payments in
    // [created, due + G]:
    //   R1 PA 06-01→06-10, 100: [06-01, 06-13] = 60 + 50 = 110 → kept (100).
    //   R2 PA 06-08→06-12,  50: [06-08, 06-15] = 50 (the same 06-12 payment) → kept (50).
    //   R3 PA 06-20→06-27,  80: due + G = 06-30 = A, judged; [06-20, 06-30] = 80 → kept (80).
    //   R4 PA 06-25→06-28,  40: due + G = 07-01 > A → pending (although 06-30 paid 80).
    //   R5 PB 06-01→06-05, 200: [06-01, 06-08] = 150 − 150 + 30 = 30 → broken (30).
    //   R6 PB 06-02→06-04, 100: [06-02, 06-07] = 150 − 150 = 0 → broken (0).
    //   R7 PB 05-20→05-31,  70: due in May, not in P.
    //   R8 PC created 06-05, before PC's placement 06-10: counts nowhere.
    //   R9 PB 06-09→06-12,  20: [06-09, 06-15] = −30 → broken (max(−30, 0) = 0).
    //   R10 PC 06-12→06-14, 25: [06-12, 06-17] = 25 → kept (25).
    static let promises = """
    promise_id,account_id,created_date,due_date,amount
    R1,PA,2025-06-01,2025-06-10,100.00
    R2,PA,2025-06-08,2025-06-12,50.00
    R3,PA,2025-06-20,2025-06-27,80.00
    R4,PA,2025-06-25,2025-06-28,40.00
    R5,PB,2025-06-01,2025-06-05,200.00
    R6,PB,2025-06-02,2025-06-04,100.00
    R7,PB,2025-05-20,2025-05-31,70.00
    R8,PC,2025-06-05,2025-06-15,60.00
    R9,PB,2025-06-09,2025-06-12,20.00
    R10,PC,2025-06-12,2025-06-14,25.00
    """
    static let payments = """
    payment_id,account_id,paid_date,amount,method
    P1,PA,2025-06-05,60.00,card
    P2,PA,2025-06-12,50.00,card
    P3,PA,2025-06-30,80.00,card
    P4,PB,2025-06-03,150.00,ach
    P5,PB,2025-06-06,-150.00,ach
    P6,PB,2025-06-08,30.00,ach
    P7,PB,2025-06-09,-30.00,ach
    P8,PC,2025-06-08,10.00,card
    P9,PC,2025-06-15,25.00,card
    """

    static let book: HandBook = {
        let b = HandBook()
        try! b.add(accounts: accounts, payments: payments, promises: promises)
        return b
    }()

    static var cases: [KPICase] {
        let a = day("2025-06-30")
        let cols = ["promises", "pending", "kept", "kept_rate", "promised_amount", "kept_amount", "amount_kept_rate"]
        return [
            // 8 promises (R1–R6, R9, R10), 1 pending (R4), 7 judged, kept R1, R2, R3, R10;
            // promised 100 + 50 + 80 + 200 + 100 + 20 + 25 = 575; kept 100 + 50 + 80 + 30 + 25 = 285.
            KPICase("June, grace 3", "promise_adherence", KPIParameters(asOf: a), table(cols, [
                [n(8), n(1), n(4), dec(4.0 / 7), usd(575), usd(285), dec(285.0 / 575)],
            ])),
            // Default A = 06-30 (P3's paid_date is the latest date).
            KPICase("default as-of", "promise_adherence", KPIParameters(), table(cols, [
                [n(8), n(1), n(4), dec(4.0 / 7), usd(575), usd(285), dec(285.0 / 575)],
            ])),
            // card: R1–R4, R10: 5, 1 pending, 4 kept of 4, 255 of 255.
            // telco: R5, R6, R9: 3, none kept, 30 of 320.
            KPICase("by portfolio", "promise_adherence", KPIParameters(asOf: a, by: [.portfolio]), table(["portfolio"] + cols, [
                [tx("card"), n(5), n(1), n(4), dec(1), usd(255), usd(255), dec(1)],
                [tx("telco"), n(3), n(0), n(0), dec(0), usd(320), usd(30), dec(30.0 / 320)],
            ])),
            // G = 0: R4 judged too (06-28 ≤ A). R1 [06-01, 06-10] 60 → broken (60); R2 50 kept;
            // R3 [06-20, 06-27] 0; R4 0; R5 [06-01, 06-05] 150 < 200 (150); R6 [06-02, 06-04] 150
            // → kept (100); R9 −30 (0); R10 [06-12, 06-14] 0. kept R2, R6: 2 of 8;
            // promised 575 + 40 = 615; kept 60 + 50 + 150 + 100 = 360.
            KPICase("grace 0", "promise_adherence", KPIParameters(asOf: a, grace: 0), table(cols, [
                [n(8), n(0), n(2), dec(0.25), usd(615), usd(360), dec(360.0 / 615)],
            ])),
            // Only R4 is due in 06-28…06-30: pending, nothing judged → null rates.
            KPICase("pending only", "promise_adherence",
                    KPIParameters(asOf: a, from: day("2025-06-28"), to: day("2025-06-30")), table(cols, [
                        [n(1), n(1), n(0), nul, usd(0), usd(0), nul],
                    ])),
            // May: R7 (PB, 05-20 → 05-31): [05-20, 06-03] = 150 (06-03) → kept (70).
            KPICase("May", "promise_adherence",
                    KPIParameters(asOf: a, from: day("2025-05-01"), to: day("2025-05-31")), table(cols, [
                        [n(1), n(0), n(1), dec(1), usd(70), usd(70), dec(1)],
                    ])),
            // As of 06-13 (P = 06-01…06-13; R10, due 06-14, is out): R1 (due + 3 = 06-13 ≤ A)
            // judged kept (110); R2 and R9 (06-15 > A) pending; R5 (06-08) broken 30; R6 (06-07)
            // broken 0. 5 promises, 2 pending, 1 kept of 3; promised 100 + 200 + 100 = 400;
            // kept 100 + 30 = 130.
            KPICase("as of 06-13", "promise_adherence", KPIParameters(asOf: day("2025-06-13")), table(cols, [
                [n(5), n(2), n(1), dec(1.0 / 3), usd(400), usd(130), dec(130.0 / 400)],
            ])),
        ]
    }

    func testReference() throws { try FixtureCheck.reference(Self.book, Self.cases) }
    func testEngine() throws { try FixtureCheck.engine(Self.book, Self.cases) }
}
