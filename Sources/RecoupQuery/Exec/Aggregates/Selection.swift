/// The k-th smallest of an array in place (Hoare's quickselect): afterwards `values[k]` holds it,
/// everything before it is ≤ and everything after it is ≥. The pivot is the median of three, so
/// sorted and reversed inputs stay linear; the answer does not depend on the pivots chosen.
enum Selection {
    static func select<T: Comparable>(_ values: UnsafeMutableBufferPointer<T>, rank k: Int) -> T {
        var lo = 0, hi = values.count - 1
        while lo < hi {
            let mid = lo + (hi - lo) / 2
            // Median of three as the pivot.
            if values[mid] < values[lo] { values.swapAt(mid, lo) }
            if values[hi] < values[lo] { values.swapAt(hi, lo) }
            if values[hi] < values[mid] { values.swapAt(hi, mid) }
            let pivot = values[mid]
            var i = lo, j = hi
            while i <= j {
                while values[i] < pivot { i += 1 }
                while values[j] > pivot { j -= 1 }
                if i <= j {
                    values.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            // [lo, j] ≤ pivot ≤ [i, hi]; between them, values equal to the pivot.
            if k <= j { hi = j } else if k >= i { lo = i } else { break }
        }
        return values[k]
    }
}
