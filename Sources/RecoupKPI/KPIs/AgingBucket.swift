import RecoupEngine
import RecoupStore

/// The aging buckets of KPIS.md, by days past due.
enum AgingBucket {
    static let names = ["current", "1-30", "31-60", "61-90", "91-180", "181-365", "365+"]
    /// roll_rate's extra destination, sorted after `365+`.
    static let paid = names.count

    @inlinable
    static func of(dpd: Int) -> Int {
        switch dpd {
        case ...0: 0
        case 1...30: 1
        case 31...60: 2
        case 61...90: 3
        case 91...180: 4
        case 181...365: 5
        default: 6
        }
    }
}
