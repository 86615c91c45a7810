import Foundation
import FuzzSupport
import PerimetreGeometry

/// GeoJSON features (`check --geometry`, polygon layers): lon/lat reading and the any-CRS reading
/// of `data build --communes`; then GEOS must accept what the reader accepted.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGeoJSON(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = Data(fuzzBytes(data, count))
    do {
        let features = try GeoJSONReader.read(data: bytes, source: "fuzz.geojson")
        let ctx = GeosContext()
        for f in features {
            guard let g = f.geometry else { continue }
            for p in g.polygons {
                for ring in p {
                    require(ring.count >= 4 && ring.first == ring.last, "rings are closed")
                    for c in ring {
                        require(
                            c.x.isFinite && c.y.isFinite && abs(c.x) <= 180 && abs(c.y) <= 90, "lon/lat coordinates")
                    }
                }
            }
            // Building and validating the GEOS geometry may fail (a GeometryError), never crash.
            if let geom = try? ctx.geometry(g) { _ = try? geom.wkb() }
        }
    } catch is GeoJSONError {
    } catch {
        fatalError("unexpected error type \(type(of: error)): \(error)")
    }
    _ = try? GeoJSONReader.readAnyCRS(data: bytes, source: "fuzz.geojson")
    return 0
}
