import Foundation
import FuzzSupport
import PerimetreAnalysis
import PerimetreData
import PerimetreGeometry

/// Territory layers (`--against`, `audit`, `map`): every CSV layout (CRTE, TI by commune, TI by
/// member, generic) and GeoJSON polygon layers, as TerritoryLayer detects them.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTerritories(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = fuzzBytes(data, count)
    do {
        let layer = try TerritoryLayer.parse(bytes, source: "fuzz.csv", id: "fuzz")
        require(
            layer.territories.allSatisfy { !$0.id.isEmpty || layer.format == .polygons }, "territory ids are not empty")
        require(
            Set(layer.territories.map(\.id)).count == layer.territories.count || layer.format == .polygons,
            "one territory per id")
        for t in layer.territories {
            for p in t.shape?.polygons ?? [] {
                for ring in p { require(ring.count >= 4 && ring.first == ring.last, "rings are closed") }
            }
        }
    } catch is CSVError {
    } catch is GeoJSONError {
    } catch {
        fatalError("unexpected error type \(type(of: error)): \(error)")
    }
    return 0
}
