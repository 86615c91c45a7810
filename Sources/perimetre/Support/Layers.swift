import PerimetreAnalysis
import PerimetreData

/// Loads and resolves the `--against` layers, and says on stderr, whatever the output format,
/// when some of a layer's codes were not understood (the report repeats it).
func resolveLayers(_ paths: [String], data: GeoData, compositions: CompositionTables) throws -> [ResolvedLayer] {
    let layers = try paths.map { try ResolvedLayer.resolve(try TerritoryLayer.load($0), data: data, compositions: compositions) }
    for w in layers.compactMap(\.resolution.warning) { note("perimetre: attention : \(w)") }
    return layers
}
