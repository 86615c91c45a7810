import PerimetreData
import PerimetreGeometry

/// Borders: frontalier when the perimeter lies within the border distance of a land border
/// (Natural Earth lines, 0.6–6 km from the true border); the neighbouring countries and the
/// distance to each; for a drawn perimeter reaching abroad, the French-only part, cut by the
/// French coverage itself, and the rest per country, lake and sea (`AbroadAnalysis`).
enum BorderAnalysis {
    static func run(
        _ w: Workspace, drawn: Bool
    ) throws -> (BorderResult, frenchPart: Shape?, borders: [Shape], abroad: AbroadShapes) {
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
        let nearby = byCountry.values.map {
            BorderResult.Neighbour(code: $0.0.code, nameFR: $0.0.nameFR, distanceMetres: $0.1)
        }
        .sorted { ($0.distanceMetres, $0.code) < ($1.distanceMetres, $1.code) }
        let neighbours = nearby.filter { $0.distanceMetres <= w.options.borderDistanceMetres }
        var abroad: [BorderResult.Abroad] = []
        var frenchPart: Shape? = nil
        var split: AbroadAnalysis.Outcome? = nil
        var shapes = AbroadShapes()
        if drawn, let o = try AbroadAnalysis.run(w) {
            split = o
            frenchPart = try o.french.shape()
            abroad = o.countries.map {
                BorderResult.Abroad(
                    code: $0.country.code, nameFR: $0.country.nameFR, areaKm2: $0.km2, sliverKm2: $0.sliverKm2)
            }
            for c in o.countries { shapes.countries[c.country.code] = try c.geometry.shape() }
            if !o.sea.isEmpty { shapes.sea = try o.sea.shape() }
            if !o.lake.isEmpty { shapes.lake = try o.lake.shape() }
        }
        var result = BorderResult(
            frontalier: !neighbours.isEmpty || !abroad.isEmpty, distanceMetres: w.options.borderDistanceMetres,
            neighbours: neighbours, nearby: nearby, abroad: abroad, frenchPartKm2: split?.frenchKm2)
        if let split {
            result.seaKm2 = split.seaKm2
            result.lakeKm2 = split.lakeKm2
            result.polygonKm2 = split.polygonKm2
        }
        return (result, frenchPart, borderShapes, shapes)
    }
}

/// The lon/lat shapes of a drawn perimeter's parts outside France.
struct AbroadShapes {
    var countries: [String: Shape] = [:]
    var sea: Shape?
    var lake: Shape?
}
