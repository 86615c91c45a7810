import PerimetreAnalysis
import PerimetreData

extension ReferenceOptions {
    /// Reads the `--against` layers, then the composition tables with only the rows the
    /// `members` and the layers' members may look up, and resolves the layers with them.
    func tablesAndLayers(
        for members: [MemberInput], layers paths: [String], data: GeoData
    ) throws -> (tables: CompositionTables, layers: [ResolvedLayer]) {
        let files = try paths.map { try TerritoryLayer.load($0) }
        ResolvedLayer.prefetch(files, data: data)
        let tables = try self.tables(for: members + files.flatMap { $0.territories.flatMap(\.members) }, data: data)
        return (tables, try resolveLayers(files, data: data, compositions: tables))
    }
}

/// Resolves the `--against` layers (read with `TerritoryLayer.load`), and says on stderr, whatever the output format,
/// when some of a layer's codes were not understood (the report repeats it).
func resolveLayers(_ files: [TerritoryLayer], data: GeoData, compositions: CompositionTables) throws -> [ResolvedLayer]
{
    let layers = try files.map { try ResolvedLayer.resolve($0, data: data, compositions: compositions) }
    for w in layers.compactMap(\.resolution.warning) { note("perimetre: attention : \(w)") }
    return layers
}
