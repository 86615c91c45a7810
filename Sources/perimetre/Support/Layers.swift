import PerimetreAnalysis
import PerimetreData

/// Resolves the `--against` layers (read with `TerritoryLayer.load`), and says on stderr, whatever the output format,
/// when some of a layer's codes were not understood (the report repeats it).
func resolveLayers(_ files: [TerritoryLayer], data: GeoData, compositions: CompositionTables) throws -> [ResolvedLayer]
{
    let layers = try files.map { try ResolvedLayer.resolve($0, data: data, compositions: compositions) }
    for w in layers.compactMap(\.resolution.warning) { note("perimetre: attention : \(w)") }
    return layers
}
