import PerimetreData
import PerimetreGeometry

/// Borders: frontalier when the perimeter lies within the border distance of a land border
/// (Natural Earth lines, 0.6–6 km from the true border); the neighbouring countries and the
/// distance to each; for a drawn perimeter reaching abroad, its area per country and the
/// French-only part, cut by the French coverage itself.
enum BorderAnalysis {
    static func run(_ w: Workspace, drawn: Bool) throws -> (BorderResult, frenchPart: Shape?, borders: [Shape]) {
        let search = w.searchEnvelope(w.options.borderSearchMetres)
        var byCountry: [String: (Country, Double)] = [:]
        var borderShapes: [Shape] = []
        // The perimeter is projected only when a border line lies within the search distance.
        let lines = try w.session.borders(intersecting: search)
        let nearPerimeter = lines.isEmpty ? nil : try PreparedGeometry(try w.perimeterMetric())
        for (country, wkb) in lines {
            guard let nearPerimeter else { break }
            let line = try w.ctx.readWKB(wkb)
            let d = try nearPerimeter.distance(try w.toMetric.transform(line))
            if d <= w.options.borderSearchMetres {
                borderShapes.append(try line.shape())
                if d < (byCountry[country.code]?.1 ?? .infinity) { byCountry[country.code] = (country, d) }
            }
        }
        let nearby = byCountry.values.map { BorderResult.Neighbour(code: $0.0.code, nameFR: $0.0.nameFR, distanceMetres: $0.1) }
            .sorted { ($0.distanceMetres, $0.code) < ($1.distanceMetres, $1.code) }
        let neighbours = nearby.filter { $0.distanceMetres <= w.options.borderDistanceMetres }
        var abroad: [BorderResult.Abroad] = []
        var frenchPart: Shape? = nil
        var frenchKm2: Double? = nil
        if drawn {
            let env = w.perimeterLonLat.envelope()
            let france = try w.session.territories(intersecting: env).map { try w.ctx.readWKB($0.geometry) }
            let fr = france.isEmpty ? try w.ctx.emptyPolygon() : try w.ctx.unaryUnion(france)
            let inside = try w.ctx.multiPolygon([try w.perimeterLonLat.intersection(fr)])
            let outside = try w.ctx.multiPolygon([try w.perimeterLonLat.difference(fr)])
            let outsideKm2 = try outside.geodesicArea() / 1e6
            if outsideKm2 > 0.01 {
                frenchPart = try inside.shape()
                frenchKm2 = try inside.geodesicArea() / 1e6
                // Name the abroad parts with Natural Earth polygons; what no country polygon
                // covers (NE borders are offset, or sea) goes to the nearest country.
                var km2: [String: Double] = [:]
                let countries = try w.session.countries(intersecting: env).filter { $0.country.code != "FRA" }
                let cgeoms = try countries.map { try w.ctx.readWKB($0.geometry) }
                for part in outside.polygons() {
                    let pa = try part.geodesicArea() / 1e6
                    var best: (Int, Double)? = nil
                    for (k, cg) in cgeoms.enumerated() where try cg.intersects(part) {
                        let shared = try cg.intersection(part).geodesicArea()
                        if shared > (best?.1 ?? 0) { best = (k, shared) }
                    }
                    if best == nil {
                        for (k, cg) in cgeoms.enumerated() {
                            let d = -(try cg.distance(part))
                            if best == nil || d > best!.1 { best = (k, d) }
                        }
                    }
                    let code = best.map { countries[$0.0].country.code } ?? "?"
                    km2[code, default: 0] += pa
                }
                abroad = km2.keys.sorted().map { c in
                    BorderResult.Abroad(code: c, nameFR: w.data.countries[c]?.nameFR ?? c, areaKm2: km2[c]!)
                }
            }
        }
        let result = BorderResult(
            frontalier: !neighbours.isEmpty || !abroad.isEmpty, distanceMetres: w.options.borderDistanceMetres,
            neighbours: neighbours, nearby: nearby, abroad: abroad, frenchPartKm2: frenchKm2)
        return (result, frenchPart, borderShapes)
    }
}
