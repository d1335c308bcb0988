import RecoupStore

/// The formatted rows of a run of consecutive accounts, one buffer per file.
///
/// Event ids (contacts, payments, promises) are numbered across the whole book, which a worker
/// cannot know; it writes zeros and records where each id's digits are, and the writer patches
/// the numbers in when it takes the block in account order.
final class Block: @unchecked Sendable {
    let accounts = ByteBuffer(capacity: 1 << 18)
    let contacts = ByteBuffer(capacity: 1 << 20)
    let payments = ByteBuffer(capacity: 1 << 18)
    let promises = ByteBuffer(capacity: 1 << 16)
    var contactIdAt: [Int32] = []
    var paymentIdAt: [Int32] = []
    var promiseIdAt: [Int32] = []
    var accountRows = 0

    func reset() {
        accounts.count = 0
        contacts.count = 0
        payments.count = 0
        promises.count = 0
        contactIdAt.removeAll(keepingCapacity: true)
        paymentIdAt.removeAll(keepingCapacity: true)
        promiseIdAt.removeAll(keepingCapacity: true)
        accountRows = 0
    }
}

extension ByteBuffer {
    /// Overwrites `width` digits at `position` with `value`.
    @inline(__always)
    func patch(at position: Int, value: Int, width: Int) {
        var x = value
        var i = position + width - 1
        while i >= position {
            base[i] = UInt8(truncatingIfNeeded: 0x30 + x % 10)
            x /= 10
            i -= 1
        }
    }
}

enum Headers {
    static func line(_ t: TableSchema) -> [UInt8] {
        Array((t.columns.map(\.name).joined(separator: ",") + "\n").utf8)
    }
}

private let letterA: UInt8 = 0x41, letterC: UInt8 = 0x43, letterD: UInt8 = 0x44, letterG: UInt8 = 0x47
private let letterP: UInt8 = 0x50, letterR: UInt8 = 0x52, letterZ: UInt8 = 0x5A

extension AccountSimulator {
    /// Formats the account simulated last (`simulate(index)`) into `b`.
    func write(_ index: Int, into b: Block) {
        let ctx = self.ctx
        let aw = ctx.accountWidth, ew = ctx.eventWidth
        let id = index + 1

        let a = b.accounts
        a.reserve(ByteBuffer.rowLimit)
        a.byte(letterA); a.padded(id, width: aw); a.comma()
        a.byte(letterD); a.padded(debtorIndex + 1, width: aw); a.comma()
        a.bytes(ctx.portfolioNames[pi]); a.comma()
        a.date(opened); a.comma()
        a.date(due); a.comma()
        a.date(placed); a.comma()
        a.cents(principal); a.comma()
        a.bytes(ctx.regionCodes[debtor.region]); a.comma()
        a.bytes(ctx.zoneNames[debtor.zone]); a.comma()
        if agent >= 0 { a.byte(letterG); a.padded(Int(agent) + 1, width: ctx.agentWidth) }
        a.comma()
        if debtor.creditScore >= 0 { a.int(debtor.creditScore) }
        a.comma()
        a.bytes(ctx.statusNames[Int(status)]); a.comma()
        if statusDate != .min { a.date(statusDate) }
        a.newline()
        b.accountRows += 1

        let c = b.contacts
        for e in contacts {
            c.reserve(ByteBuffer.rowLimit)
            c.byte(letterC); b.contactIdAt.append(Int32(c.count)); c.padded(0, width: ew); c.comma()
            c.byte(letterA); c.padded(id, width: aw); c.comma()
            switch e.style {
            case TimestampStyle.local:
                let off = table.offset(at: e.utc)
                c.dateTime(e.utc + Int64(off), withSeconds: true)
                c.offset(off)
            case TimestampStyle.utcMinutes:
                c.dateTime(e.utc, withSeconds: false)
                c.byte(letterZ)
            default:
                c.dateTime(e.utc, withSeconds: true)
                c.byte(letterZ)
            }
            c.comma()
            c.bytes(ctx.channelNames[Int(e.channel)]); c.comma()
            c.bytes(e.inbound ? ctx.inbound : ctx.outbound); c.comma()
            c.bytes(ctx.outcomeNames[Int(e.outcome)]); c.comma()
            if e.agent >= 0 { c.byte(letterG); c.padded(Int(e.agent) + 1, width: ctx.agentWidth) }
            c.comma()
            if e.duration >= 0 { c.int(Int(e.duration)) }
            c.newline()
        }

        let p = b.payments
        for e in payments {
            p.reserve(ByteBuffer.rowLimit)
            p.byte(letterP); b.paymentIdAt.append(Int32(p.count)); p.padded(0, width: ew); p.comma()
            p.byte(letterA); p.padded(id, width: aw); p.comma()
            p.date(e.day); p.comma()
            p.cents(e.cents); p.comma()
            p.bytes(ctx.methodNames[Int(e.method)])
            p.newline()
        }

        let r = b.promises
        for e in promises {
            r.reserve(ByteBuffer.rowLimit)
            r.byte(letterR); b.promiseIdAt.append(Int32(r.count)); r.padded(0, width: ew); r.comma()
            r.byte(letterA); r.padded(id, width: aw); r.comma()
            r.date(e.created); r.comma()
            r.date(e.due); r.comma()
            r.cents(e.cents)
            r.newline()
        }
    }
}
