/// "Did you mean …?": the known name closest to a misspelt one, if one is close enough.
enum ExpressionSuggestion {
    /// Names longer than this are not compared (a pasted megabyte should not cost a quadratic).
    static let longestComparedName = 64

    /// The candidate at the smallest edit distance from `name`, if that distance is small
    /// relative to the name (at most a third of its length, rounded up past 1-letter names);
    /// a difference only of case always qualifies. Ties go to the alphabetically first name, so
    /// the answer does not depend on dictionary order.
    static func closest(to name: String, among candidates: some Sequence<String>) -> String? {
        guard name.utf8.count <= longestComparedName else { return nil }
        let allowed = (name.count + 1) / 3
        var best: (distance: Int, name: String)?
        for candidate in candidates where candidate != name && candidate.utf8.count <= longestComparedName {
            let distance = candidate.lowercased() == name.lowercased() ? 0 : editDistance(name, candidate)
            guard distance <= allowed else { continue }
            if best.map({ (distance, candidate) < ($0.distance, $0.name) }) ?? true {
                best = (distance, candidate)
            }
        }
        return best?.name
    }

    /// Optimal string alignment distance: insertions, deletions, substitutions and swaps of
    /// two neighbours (`exq` → `exp`, `snh` → `sinh`, `tnah` → `tanh` all cost 1).
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars), b = Array(b.unicodeScalars)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var before = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = Swift.min(value, before[j - 2] + 1)
                }
                current[j] = value
            }
            (before, previous, current) = (previous, current, before)
        }
        return previous[b.count]
    }
}
