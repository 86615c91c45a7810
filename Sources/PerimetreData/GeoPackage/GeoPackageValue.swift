/// An attribute value as SQLite stores it.
///
/// ```swift
/// let v = GeoPackageValue.integer(75056)
/// v.int     // 75056
/// v.double  // 75056.0
/// v.string  // nil
/// ```
public enum GeoPackageValue: Sendable, Hashable {
    /// SQL `NULL`.
    case null
    /// An integer.
    case integer(Int64)
    /// A double.
    case real(Double)
    /// Text.
    case text(String)
    /// Bytes (a packed record, such as `epci_communes`'s).
    case blob([UInt8])

    /// The text, or nil for any other case.
    public var string: String? {
        if case .text(let s) = self { return s }
        return nil
    }

    /// The integer, or nil for any other case.
    public var int: Int64? {
        if case .integer(let i) = self { return i }
        return nil
    }

    /// The number, from a real or an integer.
    public var double: Double? {
        switch self {
        case .real(let d): d
        case .integer(let i): Double(i)
        default: nil
        }
    }
}
