import Foundation
import PerimetreData
import PerimetreGeometry

/// The per-task working state of one analysis: one GEOS context, one GeoData session, the
/// transformers to and from the local metric CRS, and the member geometries in lon/lat, projected
/// to the metric CRS only when a distance or a width is needed (projecting every vertex of every
/// member was most of the cost of an audit). Never shared across tasks.
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
    private var metricCache: [Int: Geometry] = [:]
    private var perimeterMetricCache: Geometry?
    /// The dissolved perimeter.
    let perimeterLonLat: Geometry

    /// Member `i` in the metric CRS (projected once, on first use).
    func metric(_ i: Int) throws -> Geometry {
        if let g = metricCache[i] { return g }
        let g = try toMetric.transform(lonlat[i])
        metricCache[i] = g
        return g
    }

    private var perimeterShapeCache: Shape?

    /// The dissolved perimeter as a value (converted once: several analyses and outputs read it).
    func perimeterShape() throws -> Shape {
        if let s = perimeterShapeCache { return s }
        let s = try perimeterLonLat.shape()
        perimeterShapeCache = s
        return s
    }

    /// The dissolved perimeter in the metric CRS (projected once, on first use).
    func perimeterMetric() throws -> Geometry {
        if let g = perimeterMetricCache { return g }
        let g = try toMetric.transform(perimeterLonLat)
        perimeterMetricCache = g
        return g
    }

    init(
        ctx: GeosContext, data: GeoData, session: GeoDataSession, options: AnalysisOptions,
        members: [(code: String, geometry: Geometry)]
    ) throws {
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
        if lonlat.isEmpty {
            perimeterLonLat = try ctx.emptyPolygon()
        } else {
            // Dissolved once in lon/lat: exact geodesic measures; projected only when needed.
            perimeterLonLat = try ctx.multiPolygon([try ctx.coverageUnion(lonlat).geometry])
        }
    }

    /// A lon/lat envelope around the perimeter widened by `metres`.
    func searchEnvelope(_ metres: Double) -> Envelope { widen(perimeterLonLat.envelope(), metres) }

    /// A lon/lat envelope widened by at least `metres` on the ground.
    func widen(_ e: Envelope, _ metres: Double) -> Envelope { e.widened(byMetres: metres) }
}
