/// "Did you mean" by edit distance.
public enum Suggest {
    public static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a.lowercased()), b = Array(b.lowercased())
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = Array(0...b.count)
        var cur = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&prev, &cur)
        }
        return prev[b.count]
    }

    /// The candidate nearest to `word` when it is near enough to be a likely typo.
    public static func closest(_ word: String, in candidates: [String]) -> String? {
        let scored = candidates.map { ($0, distance(word, $0)) }.min { $0.1 < $1.1 }
        if let (best, d) = scored, d <= max(1, word.count / 3) { return best }
        // A name with something added or cut off at the end (`dso_x`, `liquid`): the longest candidate
        // of at least three characters that is a prefix of the word, or that the word is a prefix of.
        let w = word.lowercased()
        return candidates.filter { c in
            let c = c.lowercased()
            return min(c.count, w.count) >= 3 && (w.hasPrefix(c) || c.hasPrefix(w))
        }.max { $0.count < $1.count || ($0.count == $1.count && $0 > $1) }
    }
}
