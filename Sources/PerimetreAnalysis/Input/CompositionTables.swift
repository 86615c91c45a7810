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
        if let insee = t.column("insee"), let epci = t.column("siren_epci") {
            let name = t.column("raison_sociale")
            for row in t.rows {
                let code = row[epci]
                groupings[code, default: Grouping(code: code, name: name.map { row[$0] } ?? code, kind: "epci", communes: [], source: path)]
                    .communes.append(row[insee])
            }
        } else if let insee = t.column("insee"), let ept = t.column("siren_ept") {
            let name = t.column("nom_ept")
            for row in t.rows {
                let code = row[ept]
                groupings[code, default: Grouping(code: code, name: name.map { row[$0] } ?? code, kind: "ept", communes: [], source: path)]
                    .communes.append(row[insee])
            }
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
