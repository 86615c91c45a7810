/// Dense integer indices for INSEE commune codes, so that a table over all the communes of
/// France is an array rather than a dictionary of strings: the five digits as a number
/// (`01001` → 1001), Corsica's `2A` and `2B` after the 100,000 numeric codes.
///
/// ```swift
/// CommuneIndex.of("01001")  // 1_001
/// CommuneIndex.of("2B033")  // 101_033
/// CommuneIndex.of("75056")  // 75_056
/// CommuneIndex.of("1001")   // nil: not an INSEE code
/// ```
public enum CommuneIndex {
    /// Every index is below this.
    public static let count = 102_000

    /// All the indices, in the order of their codes: `2A` and `2B` sort between `29…` and `30…`.
    /// Walking a table over the communes this way lists them by code without sorting.
    public static let inCodeOrder = [0..<30_000, 100_000..<101_000, 101_000..<102_000, 30_000..<100_000]

    /// The place of an index in code order (the order of ``inCodeOrder``): sorting indices by
    /// rank sorts their codes, with integers.
    public static func rank(_ index: Int) -> Int {
        var before = 0
        for range in inCodeOrder {
            if range.contains(index) { return before + index - range.lowerBound }
            before += range.count
        }
        return before + index  // beyond every index (never asked)
    }

    /// The index of an INSEE code; nil for anything else (length, characters).
    public static func of(_ code: String) -> Int? {
        // On the contiguous bytes: iterating a String's UTF-8 view costs more than the arithmetic,
        // and an audit of 1,000 options asks for 280,000 codes.
        var code = code
        return code.withUTF8 { of(bytes: $0) }
    }

    /// ``of(_:)`` on a code's UTF-8 bytes.
    static func of(bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard bytes.count == 5 else { return nil }
        var value = 0
        var corsica = -1  // 0 for 2A, 1 for 2B
        for (n, b) in bytes.enumerated() {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = value * 10 + Int(b - UInt8(ascii: "0"))
            case UInt8(ascii: "A"), UInt8(ascii: "B"):
                guard n == 1, value == 2 else { return nil }
                corsica = b == UInt8(ascii: "A") ? 0 : 1
                value = 0
            default: return nil
            }
        }
        return corsica < 0 ? value : 100_000 + corsica * 1_000 + value
    }
}
