import PerimetreData
import PerimetreGeometry

/// The per-task working state of one analysis: one GEOS context, one GeoData session, the
/// transformers to and from the local metric CRS, and the member geometries in both CRS.
/// Never shared across tasks.
final class Workspace {
    let ctx: GeosContext
    let data: GeoData
    let session: GeoDataSession
    let crs: LocalCRS
    let toMetric: CoordinateTransformer
    let toLonLat: CoordinateTransformer
    let options: AnalysisOptions
    /// Member codes, in resolution order, and their geometries (members without geometry omitted).
    let codes: [String]
    let lonlat: [Geometry]
    let metric: [Geometry]
    /// The dissolved perimeter.
    let perimeterLonLat: Geometry
    let perimeterMetric: Geometry

    init(ctx: GeosContext, data: GeoData, session: GeoDataSession, options: AnalysisOptions,
         members: [(code: String, geometry: Geometry)]) throws {
        self.ctx = ctx
        self.data = data
        self.session = session
        self.options = options
        let env = members.reduce(Envelope.empty) { $0.union($1.geometry.envelope()) }
        crs = LocalCRS.for(env.isEmpty ? Envelope(minX: 2, minY: 46, maxX: 2, maxY: 46) : env)
        let forward = try session.transformer(from: "EPSG:4326", to: crs.code)
        toMetric = forward
        toLonLat = try session.transformer(from: crs.code, to: "EPSG:4326")
        codes = members.map(\.code)
        lonlat = members.map(\.geometry)
        metric = try members.map { try forward.transform($0.geometry) }
        if lonlat.isEmpty {
            perimeterLonLat = try ctx.emptyPolygon()
            perimeterMetric = try ctx.emptyPolygon()
        } else {
            // Dissolve once in lon/lat (exact geodesic measures), then project for distances.
            perimeterLonLat = try ctx.multiPolygon([try ctx.coverageUnion(lonlat).geometry])
            perimeterMetric = try forward.transform(perimeterLonLat)
        }
    }

    /// A lon/lat envelope around the perimeter widened by `metres`.
    func searchEnvelope(_ metres: Double) -> Envelope {
        let e = perimeterLonLat.envelope()
        let dLat = metres / 111_000
        let dLon = metres / (111_000 * max(cos(e.center.y * .pi / 180), 0.2))
        return Envelope(minX: e.minX - dLon, minY: e.minY - dLat, maxX: e.maxX + dLon, maxY: e.maxY + dLat)
    }
}

import Foundation
