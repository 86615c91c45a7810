import PerimetreData

/// The last mark (a territory's or a candidature's index) set on each commune, over the dense
/// commune indices: one array read per commune rather than a dictionary of codes, for passes
/// over tens of thousands of communes. A code out of the INSEE pattern (none in the reference
/// data) is kept in a dictionary.
///
/// ```swift
/// var marks = CommuneMarks()
/// marks.mark("01001", 3)  // nil: first mark
/// marks.mark("01001", 3)  // 3: already marked by 3
/// marks.mark("01001", 7)  // 3
/// ```
struct CommuneMarks {
    private var dense = [Int32](repeating: -1, count: CommuneIndex.count)
    private var other: [String: Int] = [:]

    /// Marks `code` with `k`; returns its mark before (nil when it had none).
    mutating func mark(_ code: String, _ k: Int) -> Int? {
        guard let i = CommuneIndex.of(code) else { return other.updateValue(k, forKey: code) }
        let previous = dense[i]
        dense[i] = Int32(k)
        return previous < 0 ? nil : Int(previous)
    }
}
