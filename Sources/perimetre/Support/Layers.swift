import PerimetreAnalysis
import PerimetreData
import PerimetreGeometry

extension ReferenceOptions {
    /// Reads the `--against` layers, then the composition tables with only the rows the
    /// `members` and the layers' members may look up, and resolves the layers with them.
    func tablesAndLayers(
        for members: [MemberInput], layers paths: [String], data: GeoData
    ) throws -> (tables: CompositionTables, layers: [ResolvedLayer]) {
        let files = try layerFiles(paths, data: data)
        defer { _ = try? data.prefetchedCommunesByEPCI() }  // the read ahead ends before the process, whatever the path
        return try tablesAndLayers(for: members, layers: files, data: data)
    }

    /// As the one above, with the layers' files already read by ``layerFiles(_:data:)``.
    func tablesAndLayers(
        for members: [MemberInput], layers files: [TerritoryLayer], data: GeoData
    ) throws -> (tables: CompositionTables, layers: [ResolvedLayer]) {
        let (tables, layers) = try tablesAndDeferredLayers(for: members, layers: files, data: data)
        return (tables, try layers.get())
    }

    /// The composition tables, and the layers resolved with them in the background: a command
    /// that has other work before it needs them (an audit resolving its candidatures) does it
    /// meanwhile. The caller waits for the layers on every path (`defer { layers.wait() }`).
    func tablesAndDeferredLayers(
        for members: [MemberInput], layers files: [TerritoryLayer], data: GeoData
    ) throws -> (tables: CompositionTables, layers: Deferred<[ResolvedLayer]>) {
        let tables = try self.tables(for: members + files.flatMap { $0.territories.flatMap(\.members) }, data: data)
        profileMilestone("tables lues")
        if files.isEmpty { return (tables, Deferred(value: [])) }
        return (tables, Deferred { try resolveLayers(files, data: data, compositions: tables) })
    }

    /// Reads the `--against` layers' files, and starts reading in the background what resolving
    /// them will read (the communes of every EPCI, for a national layer): a command calls it
    /// before reading its other inputs, which the read then overlaps. The caller waits for that
    /// read before it returns, whatever the path (`data.prefetchedCommunesByEPCI()` in a `defer`).
    func layerFiles(_ paths: [String], data: GeoData) throws -> [TerritoryLayer] {
        let files = try paths.map { try TerritoryLayer.load($0) }
        ResolvedLayer.prefetch(files, data: data)
        return files
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
