import Foundation
import PerimetreData
import PerimetreGeometry

/// The start view's data (`GET /api/france`): every région as a clickable polygon and the
/// borders between the départements of a région, for the whole of France at a national zoom.
///
/// Départements are simplified on their shared arcs (``ArcTopology``), so neighbours keep one
/// common border, and régions are the union of their simplified départements. Metropolitan
/// France is simplified at ``metropoleToleranceMetres`` (about one screen pixel when France fills
/// the map); the DROM, drawn as enlarged insets, at ``dromToleranceMetres``. Polygons smaller
/// than a pixel at that zoom (islets) are left out; the région view draws them.
enum FranceMap {
    static let metropoleToleranceMetres = 800.0
    static let dromToleranceMetres = 200.0
    /// Regions whose code is below "10" are the DROM (01 Guadeloupe … 06 Mayotte).
    static func isDROM(region: String) -> Bool { region < "10" }

    /// The GeoJSON text: features with `role` `region` (code, name, label point, départements)
    /// and one `departement_borders` MultiLineString per group (metropole, DROM).
    static func build(data: GeoData) throws -> String {
        let session = try data.session()
        let wkb = Dictionary(
            uniqueKeysWithValues: try session.departementGeometries().map { ($0.departement.code, $0.geometry) })
        let ctx = GeosContext()
        var regionFeatures: [Feature] = []
        var borderFeatures: [Feature] = []
        for drom in [false, true] {
            let deps = data.departements.values.filter { isDROM(region: $0.region) == drom && wkb[$0.code] != nil }
                .sorted { $0.code < $1.code }
            let shapes = try deps.map { try ctx.readWKB(wkb[$0.code]!).shape() }
            let tolerance = drom ? dromToleranceMetres : metropoleToleranceMetres
            let (simple, _) = try ArcTopology(shapes: shapes).simplified(toleranceMetres: tolerance)
            let (topo, _) = simple.rounded(decimals: drom ? 4 : 3)
            // Smallest polygon kept, in degrees of its bounding box (≈ a pixel at the inset or national zoom).
            let minExtent = drom ? 0.004 : 0.015
            var byRegion: [String: [Geometry]] = [:]
            for (i, d) in deps.enumerated() {
                byRegion[d.region, default: []].append(try ctx.geometry(topo.shape(feature: i)))
            }
            for code in byRegion.keys.sorted() {
                guard let region = data.regions[code] else { continue }
                let union = try ctx.coverageUnion(byRegion[code]!).geometry
                let shape = Self.dropSmall(try union.shape(), minExtent: minExtent)
                let label = try union.interiorPoint()
                let members = deps.filter { $0.region == code }.map(\.code)
                regionFeatures.append(
                    Feature(
                        properties: [
                            "role": "region", "code": .string(code), "name": .string(region.name),
                            "label": .array([
                                .number((label.x * 1000).rounded() / 1000), .number((label.y * 1000).rounded() / 1000),
                            ]),
                            "departements": .array(members.map { .string($0) }),
                        ], geometry: shape))
            }
            // Borders between two départements of the same région (région borders are the régions' outlines).
            var lines: [[Coordinate]] = []
            for a in topo.arcs where !a.isOuter && a.coordinates.count > 1 {
                let regions = Set((a.left + a.right).map { deps[$0].region })
                if regions.count == 1 { lines.append(a.coordinates) }
            }
            borderFeatures.append(
                Feature(
                    properties: ["role": "departement_borders", "drom": .bool(drom)],
                    geometry: .multiLineString(lines)))
        }
        regionFeatures.sort { ($0.properties["code"]?.stringValue ?? "") < ($1.properties["code"]?.stringValue ?? "") }
        return try GeoJSONWriter(precision: 4).featureCollection(regionFeatures + borderFeatures)
    }

    /// The shape without the polygons whose bounding box is smaller than `minExtent` both ways.
    static func dropSmall(_ s: Shape, minExtent: Double) -> Shape {
        let polygons: [[[Coordinate]]]
        switch s {
        case .polygon(let p): polygons = [p]
        case .multiPolygon(let ps): polygons = ps
        default: return s
        }
        let kept = polygons.filter { p in
            guard let shell = p.first else { return false }
            let e = Shape.lineString(shell).envelope
            return e.width >= minExtent || e.height >= minExtent
        }
        return .multiPolygon(kept.isEmpty ? polygons : kept)
    }
}
