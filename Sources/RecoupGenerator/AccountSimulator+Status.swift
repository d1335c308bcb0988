import Foundation
import RecoupStore

/// Status changes: bankruptcy, cease-contact, disputes.
extension AccountSimulator {
    mutating func goBankrupt(_ d: Int32) {
        status = Status.bankrupt
        statusDate = d
        nextContact = .max
        planActive = false
        inboundDay = .max
        cancelScheduled { $0.kind == .reversal || $0.kind == .refund }
        if rng.chance(0.08) { rogueContacts(after: d) }
    }

    mutating func ceaseContact(_ d: Int32) {
        status = Status.cease
        statusDate = d
        nextContact = .max
        hazardDay = Self.stale
        if rng.chance(0.12) { rogueContacts(after: d) }
    }

    mutating func openDispute(_ d: Int32) {
        guard !p.firstParty || rng.chance(0.5) else { return }
        if rng.chance(0.55) {
            status = Status.disputed
            statusDate = d
            nextContact = .max
            hazardDay = Self.stale
            // Validation letter.
            sendMessage(d + rng.day(5, 15), Channel.letter, collection: false)
            if rng.chance(0.45) { resolveDay = d + rng.day(30, 75) }
        }
    }

    /// Contacts that should not have happened: outbound after a cease-contact request or a bankruptcy.
    mutating func rogueContacts(after d: Int32) {
        let n = rng.chance(0.7) ? 1 : 2
        for _ in 0..<n {
            let day = d + rng.day(0, 45)
            let u = rng.uniform()
            if u < 0.6 {
                let a = callAgent()
                let sec = (8 + rng.pick(Self.dialHours)) * 3600 + rng.below(3600)
                guard let (utc, style) = instant(day, sec) else { continue }
                let o: UInt8 =
                    rng.chance(0.1) ? Outcome.rightParty : rng.chance(0.5) ? Outcome.voicemail : Outcome.noAnswer
                addContact(utc, style, Channel.call, false, o, a, duration(o))
            } else {
                sendMessage(day, u < 0.85 ? Channel.letter : Channel.sms, collection: false)
            }
        }
    }
}
