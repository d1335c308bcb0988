/// What one pass over an integer column learns, enough to size every integer
/// encoding exactly without materializing it (DuckDB's "analyze" step).
struct IntegerStats {
    var count = 0
    var min: Int64 = 0
    var max: Int64 = 0
    var runs = 0
    var minRun = 0
    var maxRun = 0
    /// Differences `values[i + 1] &- values[i]` in the type's own wrapping arithmetic, widened.
    var minDelta: Int64 = 0
    var maxDelta: Int64 = 0

    init<T: FixedWidthInteger>(_ values: UnsafeBufferPointer<T>) {
        count = values.count
        guard let first = values.first else { return }
        var lo = Int64(truncatingIfNeeded: first), hi = lo
        var dlo = Int64.max, dhi = Int64.min
        var runs = 1, runStart = 0, rlo = Int.max, rhi = 0
        var prev = first
        for i in 1..<Swift.max(values.count, 1) {
            let x = values[i]
            let x64 = Int64(truncatingIfNeeded: x)
            lo = Swift.min(lo, x64)
            hi = Swift.max(hi, x64)
            let d = Int64(truncatingIfNeeded: x &- prev)
            dlo = Swift.min(dlo, d)
            dhi = Swift.max(dhi, d)
            if x != prev {
                let length = i - runStart
                rlo = Swift.min(rlo, length)
                rhi = Swift.max(rhi, length)
                runStart = i
                runs += 1
            }
            prev = x
        }
        let length = values.count - runStart
        rlo = Swift.min(rlo, length)
        rhi = Swift.max(rhi, length)
        if values.count == 1 { dlo = 0; dhi = 0 }
        (min, max, minDelta, maxDelta) = (lo, hi, dlo, dhi)
        (self.runs, minRun, maxRun) = (runs, rlo, rhi)
    }

    var valueRange: UInt64 { UInt64(bitPattern: max &- min) }
    var deltaRange: UInt64 { UInt64(bitPattern: maxDelta &- minDelta) }
    var runLengthRange: UInt64 { UInt64(maxRun - minRun) }

    /// Size of a frame-of-reference block: base, width, packed values.
    static func forSize(count: Int, range: UInt64) -> Int {
        9 + BitPacking.byteCount(count: count, width: BitPacking.width(of: range))
    }

    /// The payload size of `encoding` for this data, or nil where it does not apply.
    /// `dictionarySize` is the size of the dictionary part, when one was collected.
    func size(of encoding: Encoding, elementSize: Int, dictionary: (count: Int, size: Int)?) -> Int? {
        switch encoding {
        case .plain:
            return count * elementSize
        case .constant:
            return count > 0 && min == max ? 8 : nil
        case .bitpack:
            return Self.forSize(count: count, range: valueRange)
        case .deltaBitpack:
            return 8 + Self.forSize(count: Swift.max(count - 1, 0), range: deltaRange)
        case .rle:
            return 4 + Self.forSize(count: runs, range: valueRange) + Self.forSize(count: runs, range: runLengthRange)
        case .dictionary:
            guard let dictionary else { return nil }
            let codeWidth = BitPacking.width(of: UInt64(Swift.max(dictionary.count - 1, 0)))
            return 4 + dictionary.size + 1 + BitPacking.byteCount(count: count, width: codeWidth)
        case .prefixNumeric:
            return nil
        }
    }
}
