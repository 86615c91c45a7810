/// The local metric CRS for distances and tolerances around a lon/lat location.
///
/// Lambert-93 for metropolitan France and Corsica, the official UTM-based CRS of each DROM,
/// WGS84 / UTM elsewhere.
///
/// ```swift
/// LocalCRS.for(Coordinate(55.5, -21.1)).code   // "EPSG:2975" (La Réunion)
/// ```
public struct LocalCRS: Sendable, Hashable, CustomStringConvertible {
    /// An authority code PROJ understands, e.g. `EPSG:2154`.
    public let code: String
    /// A readable name, e.g. `RGF93 v1 / Lambert-93`.
    public let name: String

    /// `code (name)`.
    public var description: String { "\(code) (\(name))" }

    /// Metropolitan France and Corsica.
    public static let lambert93 = LocalCRS(code: "EPSG:2154", name: "RGF93 v1 / Lambert-93")
    /// Guadeloupe and Martinique.
    public static let antilles = LocalCRS(code: "EPSG:5490", name: "RGAF09 / UTM zone 20N")
    /// Guyane.
    public static let guyane = LocalCRS(code: "EPSG:2972", name: "RGFG95 / UTM zone 22N")
    /// La Réunion.
    public static let reunion = LocalCRS(code: "EPSG:2975", name: "RGR92 / UTM zone 40S")
    /// Mayotte.
    public static let mayotte = LocalCRS(code: "EPSG:4471", name: "RGM04 / UTM zone 38S")

    /// The named CRS above: their transformations from lon/lat are computed at `data build`.
    public static let official: [LocalCRS] = [.lambert93, .antilles, .guyane, .reunion, .mayotte]

    /// The CRS for a lon/lat point.
    public static func `for`(_ p: Coordinate) -> LocalCRS {
        let (lon, lat) = (p.x, p.y)
        if (-6.5...10.5).contains(lon) && (41.0...51.6).contains(lat) { return .lambert93 }
        if (-63.5 ... -60.0).contains(lon) && (14.0...18.5).contains(lat) { return .antilles }
        if (-55.0 ... -51.0).contains(lon) && (1.5...6.5).contains(lat) { return .guyane }
        if (54.8...56.2).contains(lon) && (-21.8 ... -20.5).contains(lat) { return .reunion }
        if (44.8...45.6).contains(lon) && (-13.2 ... -12.4).contains(lat) { return .mayotte }
        let zone = min(max(Int(((lon + 180) / 6).rounded(.down)) + 1, 1), 60)
        return lat >= 0
            ? LocalCRS(code: "EPSG:\(32600 + zone)", name: "WGS 84 / UTM zone \(zone)N")
            : LocalCRS(code: "EPSG:\(32700 + zone)", name: "WGS 84 / UTM zone \(zone)S")
    }

    /// The CRS for the centre of a lon/lat envelope.
    public static func `for`(_ e: Envelope) -> LocalCRS { .for(e.center) }
}
