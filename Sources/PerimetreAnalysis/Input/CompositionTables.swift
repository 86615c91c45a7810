import PerimetreData
import Foundation

/// Composition tables that resolve what GeoData alone cannot: an EPCI of an older vintage
/// (merged since), a commune given by its SIREN, an EPT of the Métropole du Grand Paris.
///
/// The layout of each file is detected from its header:
/// - DGCL EPCI composition: `insee,siren_epci,raison_sociale,…`
/// - BANATIC commune SIREN ↔ INSEE: `…,siren,insee,nom_com,…`
/// - INSEE EPT composition: `insee,nom_commune,siren_ept,nom_ept`
///
/// ```swift
/// var t = CompositionTables()
/// try t.load("../shared/data/commune-epci-dgcl-2025/epcicom2025_commune_epci.csv")
/// t.groupings["200066462"]?.communes   // INSEE codes of a 2025 EPCI
/// ```
public struct CompositionTables: Sendable {
    /// A grouping of communes known from a table: an EPCI of the table's vintage or an EPT.
    public struct Grouping: Sendable {
        public var code: String
        public var name: String
        /// `epci` or `ept`.
        public var kind: String
        public var communes: [String]
        /// The file it comes from.
        public var source: String
    }

    public var groupings: [String: Grouping] = [:]
    /// Commune SIREN → INSEE code.
    public var communeBySIREN: [String: (insee: String, name: String)] = [:]
    public var sources: [String] = []

    public init() {}

    public var isEmpty: Bool { groupings.isEmpty && communeBySIREN.isEmpty }

    /// Loads one table, detecting its layout.
    public mutating func load(_ path: String) throws {
        try load(CSVReader.read(contentsOf: path))
    }

    /// Loads one table already in memory (the fuzz targets); `source` names it in messages.
    public mutating func load(bytes: [UInt8], source: String) throws {
        try load(CSVReader.parse(bytes, source: source))
    }

    private mutating func load(_ t: CSVTable) throws {
        let path = t.source
        sources.append(path)
        // DGCL (EPCI) and INSEE (EPT) tables: one row per member commune of a grouping.
        func addGroupings(insee: Int, code codeColumn: Int, name: String, kind: String) {
            let nameColumn = t.column(name)
            for row in t.rows {
                let code = row[codeColumn]
                groupings[code, default: Grouping(code: code, name: nameColumn.map { row[$0] } ?? code, kind: kind, communes: [], source: path)]
                    .communes.append(row[insee])
            }
        }
        if let insee = t.column("insee"), let epci = t.column("siren_epci") {
            addGroupings(insee: insee, code: epci, name: "raison_sociale", kind: "epci")
        } else if let insee = t.column("insee"), let ept = t.column("siren_ept") {
            addGroupings(insee: insee, code: ept, name: "nom_ept", kind: "ept")
        } else if let siren = t.column("siren"), let insee = t.column("insee") {
            let name = t.column("nom_com")
            for row in t.rows { communeBySIREN[row[siren]] = (row[insee], name.map { row[$0] } ?? "") }
        } else {
            throw CSVError(source: path, line: 1,
                           message: "unknown composition table layout (header: \(t.header.joined(separator: ","))); expected insee,siren_epci,… (DGCL), …,siren,insee,… (BANATIC) or insee,…,siren_ept,… (EPT)")
        }
        for k in groupings.keys { groupings[k]!.communes.sort() }
    }
}
