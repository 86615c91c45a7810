import PerimetreData
import PerimetreGeometry

/// For a drawn perimeter reaching outside the French coverage (the communes): where the rest lies.
///
/// 1. In a neighbour's Natural Earth polygon: that country.
/// 2. In a Natural Earth lake and no commune (the French waters of Lake Geneva): `lake`.
/// 3. In no country polygon at all: the sea.
/// 4. In Natural Earth's France but in no commune: strips between Natural Earth's coarse lines
///    and the communes' exact ones. Natural Earth's borders lie 0.6–6 km from the true border,
///    so a strip whose nearest feature is a France–X border line (within `sliverMetres`) is land
///    of X drawn as French: a sliver, given to X. A strip nearer the coastline or a lake's shore
///    is the foreshore, between Natural Earth's shore and the communes': sea, or lake.
///    "Nearest" is decided by rings of growing radius (`ringsMetres`) around every feature, so
///    a strip along two borders, or a border reaching the sea, is shared between them.
///
/// The parts are disjoint and cover the polygon: French part + countries + lake + sea = polygon,
/// up to the overlay's rounding (checked in the tests to 0.1 %).
enum AbroadAnalysis {
    /// The upper bound of Natural Earth's border offset (README): slivers are looked for within it.
    static let sliverMetres = 6_000.0
    /// Ring radii (m) for "nearest border line": a sliver goes to the first ring that reaches it.
    static let ringsMetres: [Double] = [50, 100, 250, 500, 1_000, 2_000, 3_000, 4_000, 5_000, sliverMetres]
    /// Below this area (km²) outside the communes, a drawn perimeter is all French (overlay noise).
    static let noiseKm2 = 0.01

    struct CountryPart {
        var country: Country
        var geometry: Geometry
        var km2: Double
        var sliverKm2: Double
    }

    struct Outcome {
        var french: Geometry
        var frenchKm2: Double
        var countries: [CountryPart]
        var lake: Geometry
        var lakeKm2: Double
        var sea: Geometry
        var seaKm2: Double
        var polygonKm2: Double
    }

    /// Nil when the perimeter lies (within `noiseKm2`) inside the French coverage.
    static func run(_ w: Workspace) throws -> Outcome? {
        let ctx = w.ctx
        let p = w.perimeterLonLat
        let env = p.envelope()
        let france = try w.session.territories(intersecting: env).map { try ctx.readWKB($0.geometry) }
        let fr = france.isEmpty ? try ctx.emptyPolygon() : try ctx.unaryUnion(france)
        let inside = try ctx.multiPolygon([try p.intersection(fr)])
        let rest = try ctx.multiPolygon([try p.difference(fr)])
        guard try rest.geodesicArea() / 1e6 > noiseKm2 else { return nil }
        var split = Split(w: w, rest: rest)
        try split.takeCountries(env)
        try split.takeLakes(env)
        let strips = try split.takeSea()
        try split.share(strips)
        return try split.outcome(french: inside, polygon: p)
    }

    /// Where a strip near a border line goes.
    private enum Target {
        case country(String)
        case lake
        case sea
    }

    /// A feature a strip may be nearest to: a border line, the lakes, the sea (metric).
    private struct Feature {
        var target: Target
        var geometry: Geometry
    }

    /// The France–X border lines near the strips, merged by country X (in code order).
    private struct BorderLines {
        var codes: [String] = []
        var merged: [Geometry] = []
        var countryOf: [String: Country] = [:]
    }

    /// The part of the polygon outside the communes, taken step by step by what it lies in.
    private struct Split {
        let w: Workspace
        var ctx: GeosContext { w.ctx }
        /// What is not attributed yet.
        var rest: Geometry
        var parts: [String: CountryPart] = [:]
        /// Natural Earth's France.
        var neFrance: Geometry? = nil
        var lakeGeoms: [Geometry] = []
        var lakeParts: [Geometry] = []
        var seaParts: [Geometry] = []
        var sliverParts: [String: [Geometry]] = [:]

        init(w: Workspace, rest: Geometry) {
            self.w = w
            self.rest = rest
        }

        /// 1. Neighbours' polygons, subtracted one by one: the parts cannot overlap.
        mutating func takeCountries(_ env: Envelope) throws {
            for (country, wkb) in try w.session.countries(intersecting: env) {
                let g = try ctx.readWKB(wkb)
                if country.code == "FRA" {
                    neFrance = g
                    continue
                }
                guard try g.intersects(rest) else { continue }
                let part = try ctx.multiPolygon([try rest.intersection(g)])
                rest = try ctx.multiPolygon([try rest.difference(g)])
                if !part.isEmpty {
                    parts[country.code] = CountryPart(country: country, geometry: part, km2: 0, sliverKm2: 0)
                }
            }
        }

        /// 2. Lakes no commune covers and no neighbour's polygon holds: French waters.
        /// Without the layer the French waters of Lake Geneva would be taken for Swiss land: refuse.
        mutating func takeLakes(_ env: Envelope) throws {
            guard let lakeRows = try w.session.lakes(intersecting: w.widen(env, sliverMetres)) else {
                throw CheckError.noLakesLayer(path: w.data.path)
            }
            lakeGeoms = try lakeRows.map { try ctx.readWKB($0.geometry) }
            for g in lakeGeoms where try g.intersects(rest) {
                lakeParts.append(try rest.intersection(g))
                rest = try ctx.multiPolygon([try rest.difference(g)])
            }
        }

        /// 3. In no country polygon: the sea. Returns the strips: land Natural Earth calls French
        /// and no commune covers.
        mutating func takeSea() throws -> Geometry {
            var strips = try ctx.multiPolygon([])
            if let neFrance, try neFrance.intersects(rest) {
                strips = try ctx.multiPolygon([try rest.intersection(neFrance)])
                seaParts.append(try rest.difference(neFrance))
            } else {
                seaParts.append(rest)
            }
            return strips
        }

        /// 4. Land Natural Earth calls French and no commune covers: each point goes to the nearest
        ///    of the France–X border lines (X), the lakes' shores (lake) and the coastline (sea).
        mutating func share(_ found: Geometry) throws {
            guard !found.isEmpty else { return }
            var strips = found
            let lines = try borderLines(near: w.widen(strips.envelope(), sliverMetres))
            let lakeReach =
                lakeGeoms.isEmpty
                ? nil
                : try w.toLonLat.transform(
                    try w.toMetric.transform(try ctx.unaryUnion(lakeGeoms)).buffer(sliverMetres, quadrantSegments: 4))
            // Far from every border line, only water is near: the lake's shore or the foreshore.
            var band: Geometry? = nil
            if !lines.merged.isEmpty {
                band = try w.toLonLat.transform(
                    try ctx.multiLineString(lines.merged).buffer(sliverMetres, quadrantSegments: 4))
            }
            var far = strips
            if let band {
                far = try ctx.multiPolygon([try strips.difference(band)])
                strips = try ctx.multiPolygon([try strips.intersection(band)])
            } else {
                strips = try ctx.multiPolygon([])
            }
            if let lakeReach, try lakeReach.intersects(far) {
                lakeParts.append(try far.intersection(lakeReach))
                far = try ctx.multiPolygon([try far.difference(lakeReach)])
            }
            seaParts.append(far)
            if !strips.isEmpty { try claimNearLines(strips, lines: lines) }
        }

        func borderLines(near: Envelope) throws -> BorderLines {
            var lines: [String: [Geometry]] = [:]
            var found = BorderLines()
            for (country, wkb) in try w.session.borders(intersecting: near) {
                lines[country.code, default: []].append(
                    try w.toMetric.transform(try ctx.readWKB(wkb).clipped(to: near)))
                found.countryOf[country.code] = country
            }
            found.codes = lines.keys.sorted()
            found.merged = try found.codes.map { try ctx.multiLineString(lines[$0]!) }
            return found
        }

        /// Near a border line: rings of growing radius around every feature, so that each
        /// point goes to the nearest one, to within a ring's width.
        mutating func claimNearLines(_ near: Geometry, lines: BorderLines) throws {
            var strips = near
            let features = try features(lines)
            for radius in ringsMetres where !strips.isEmpty {
                for feature in features where !strips.isEmpty {
                    let zone = try w.toLonLat.transform(try feature.geometry.buffer(radius, quadrantSegments: 4))
                    guard try zone.intersects(strips) else { continue }
                    let claimed = try ctx.multiPolygon([try strips.intersection(zone)])
                    if claimed.isEmpty { continue }
                    strips = try ctx.multiPolygon([try strips.difference(zone)])
                    switch feature.target {
                    case .country(let code):
                        sliverParts[code, default: []].append(claimed)
                        if parts[code] == nil {
                            parts[code] = CountryPart(
                                country: lines.countryOf[code]!, geometry: try ctx.multiPolygon([]), km2: 0,
                                sliverKm2: 0)
                        }
                    case .lake: lakeParts.append(claimed)
                    case .sea: seaParts.append(claimed)
                    }
                }
            }
            // Within the band every point is within `sliverMetres` of a line: nothing is
            // left but overlay noise, counted as sea so that the parts still add up.
            seaParts.append(strips)
        }

        /// The border lines, the lakes and the sea near the border lines.
        func features(_ lines: BorderLines) throws -> [Feature] {
            var features = lines.codes.indices.map {
                Feature(target: .country(lines.codes[$0]), geometry: lines.merged[$0])
            }
            if !lakeGeoms.isEmpty {
                features.append(
                    Feature(target: .lake, geometry: try w.toMetric.transform(try ctx.unaryUnion(lakeGeoms))))
            }
            // The sea near the border lines: a wider band, less every country's polygon.
            var seaNear = try w.toLonLat.transform(
                try ctx.multiLineString(lines.merged).buffer(2 * sliverMetres + 1_000, quadrantSegments: 4))
            for (_, wkb) in try w.session.countries(intersecting: seaNear.envelope()) {
                let g = try ctx.readWKB(wkb)
                if try g.intersects(seaNear) { seaNear = try seaNear.difference(g) }
            }
            // Gaps between Natural Earth's polygons are not the sea: only sizeable pieces are.
            seaNear = try ctx.multiPolygon(try seaNear.polygons().filter { try $0.geodesicArea() > 1e6 })
            if !seaNear.isEmpty { features.append(Feature(target: .sea, geometry: try w.toMetric.transform(seaNear))) }
            return features
        }

        /// The parts measured, each country's slivers joined to it.
        func outcome(french inside: Geometry, polygon p: Geometry) throws -> Outcome {
            let lake =
                lakeParts.isEmpty ? try ctx.multiPolygon([]) : try ctx.multiPolygon([try ctx.unaryUnion(lakeParts)])
            let sea = try ctx.multiPolygon([try ctx.unaryUnion(seaParts)])

            var countries: [CountryPart] = []
            for code in parts.keys.sorted() {
                var c = parts[code]!
                let slivers = sliverParts[code] ?? []
                if !slivers.isEmpty {
                    let s = try ctx.multiPolygon([try ctx.unaryUnion(slivers)])
                    c.sliverKm2 = try s.geodesicArea() / 1e6
                    c.geometry = try ctx.multiPolygon([try ctx.unaryUnion([c.geometry, s])])
                }
                c.km2 = try c.geometry.geodesicArea() / 1e6
                if c.km2 > 0 { countries.append(c) }
            }
            return Outcome(
                french: inside, frenchKm2: try inside.geodesicArea() / 1e6, countries: countries,
                lake: lake, lakeKm2: try lake.geodesicArea() / 1e6,
                sea: sea, seaKm2: try sea.geodesicArea() / 1e6, polygonKm2: try p.geodesicArea() / 1e6)
        }
    }
}
