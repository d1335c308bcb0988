import Foundation
import RecoupEngine
import RecoupStore

/// One recommended call slot in the debtor's local time: weekday `mon`…`sun`, hour 8…20
/// (the call starts within hour:00–hour:59), and the model's P(RPC) there.
public struct ContactTimeSlot: Codable, Equatable, Sendable {
    public var weekday: String
    public var hour: Int
    public var p_rpc: Double

    public init(weekday: String, hour: Int, p_rpc: Double) {
        self.weekday = weekday
        self.hour = hour
        self.p_rpc = p_rpc
    }
}
