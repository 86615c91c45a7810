import Foundation
import PerimetreData
public import PerimetreGeometry

/// A layer of "other territories" (CRTE, Territoires d'industrie, any grouping) to compare a
/// perimeter with, or a file of candidatures to audit. The format is detected from the content:
///
/// - ANCT's CRTE list by groupement: `id_crte, lib_crte, type_grp_crte, siren_groupement, …` (`,` or `;`)
/// - Territoires d'industrie by commune: `insee_com, lib_com, id_ti, lib_ti`
/// - Territoires d'industrie by member: `id_ti, lib_ti, siren_membre, nom_membre, type_membre`
/// - a generic membership CSV: territory id, territory name, member code (by header, or the 3 columns in order)
/// - a polygon layer: GeoJSON or GeoPackage with an id and a name property
///
/// ```swift
/// let crte = try TerritoryLayer.load("crte.csv")
/// print(crte.format, crte.territories.count)
/// ```
public struct TerritoryLayer: Sendable {
    /// The layout detected from the content (JSON `format`).
    public enum Format: String, Sendable {
        /// ANCT's CRTE list by groupement.
        case crte
        /// Territoires d'industrie by commune.
        case tiCommunes = "ti_communes"
        /// Territoires d'industrie by member.
        case tiMembers = "ti_members"
        /// A generic membership CSV.
        case generic
        /// A polygon layer (GeoJSON or GeoPackage).
        case polygons
        /// A Démarches Simplifiées export (``DemarchesSimplifiees``).
        case demarchesSimplifiees = "demarches_simplifiees"
    }
    /// One territory of the layer, as listed.
    public struct Territory: Sendable {
        /// The territory's identifier in the layer.
        public var id: String
        /// Its name.
        public var name: String
        /// Its members as listed, each with its `file:line`.
        public var members: [MemberInput]
        /// For a polygon layer.
        public var shape: Shape?
        /// For a candidature read from a Démarches Simplifiées export: its dossier's état and dépôt.
        public var dossier: DossierInfo? = nil
    }

    /// Short id of the layer: the file's base name (e.g. `crte-2024`).
    public var id: String
    /// The file read.
    public var source: String
    /// The layout detected.
    public var format: Format
    /// The territories, in file order.
    public var territories: [Territory]

    /// Whether it is ANCT's CRTE list.
    public var isCRTE: Bool { format == .crte }

    /// Reads a layer file; a CSV or GeoJSON file over `maxBytes` (256 MiB) is refused before
    /// anything is loaded (a GeoPackage is read row by row by SQLite).
    public static func load(_ path: String, id: String? = nil, maxBytes: Int = 256 << 20) throws -> TerritoryLayer {
        let layerID = id ?? URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        let lower = path.lowercased()
        if lower.hasSuffix(".gpkg") { return try polygons(gpkg: path, id: layerID) }
        let data: Data
        do { data = try InputFile.read(path, maxBytes: maxBytes, kind: "une couche de territoires") } catch {
            throw CSVError(source: path, line: error.line, message: error.message, code: error.code)
        }
        return try parse([UInt8](data), source: path, id: layerID, geojson: lower.hasSuffix(".geojson"))
    }

    /// Reads a CSV or GeoJSON layer already in memory (the fuzz targets); `source` names it in
    /// messages. GeoJSON when `geojson` is set or the content starts with `{`, CSV otherwise.
    public static func parse(
        _ bytes: [UInt8], source: String, id: String, geojson: Bool = false
    ) throws -> TerritoryLayer {
        let first = bytes.first {
            !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 || $0 == 0xEF || $0 == 0xBB || $0 == 0xBF)
        }
        if geojson || first == UInt8(ascii: "{") {
            return try polygons(geojson: Data(bytes), path: source, id: id)
        }
        return try membership(bytes, source: source, id: id)
    }

    /// A membership table read by ``CSVReader/scan(_:source:select:_:)``: only the columns of
    /// its layout are decoded (4 of the 15 of the CRTE list), a territory's name once.
    static func membership(_ bytes: [UInt8], source: String, id layerID: String) throws -> TerritoryLayer {
        var layout: MembershipColumns?
        var territories: [Territory] = []
        var byID: [String: Int] = [:]
        do {
            // Fields: the territory's id, the member's code, then the names where there are.
            try CSVReader.scan(
                bytes, source: source,
                select: { header in
                    guard let c = MembershipColumns(header: header) else { throw UnknownLayout() }
                    layout = c
                    return [c.id, c.member, c.name ?? c.id, c.memberName ?? c.member]
                }
            ) { field, line in
                let c = layout!
                // Foundation's trimming only where there is something to trim (nearly never).
                let raw = field(0)
                let tid = mayNeedTrimming(raw) ? raw.trimmingCharacters(in: .whitespaces) : raw
                guard !tid.isEmpty else {
                    throw CSVError(
                        source: source, line: line, message: "identifiant de territoire vide",
                        code: "empty_territory_id")
                }
                let k: Int
                if let known = byID[tid] {
                    k = known
                } else {
                    k = territories.count
                    byID[tid] = k
                    territories.append(
                        Territory(id: tid, name: c.name == nil ? tid : field(2), members: [], shape: nil))
                }
                territories[k].members.append(
                    MemberInput(
                        code: field(1), name: c.memberName == nil ? nil : field(3), origin: "\(source):\(line)"))
            }
        } catch is UnknownLayout {
            let t = try CSVReader.parse(bytes, source: source)  // its header and separator, for the message
            throw CSVError(
                source: t.source, line: 1,
                message: """
                    couche de territoires de forme inconnue (en-tête : \(t.header.joined(separator: String(t.separator)))) ; attendu la liste \
                    des CRTE (id_crte, lib_crte, …, siren_groupement), les TI par commune (insee_com, lib_com, id_ti, lib_ti), les TI par membre \
                    (id_ti, lib_ti, siren_membre, …) ou un CSV générique (id du territoire, nom du territoire, code du membre)
                    """, code: "unknown_layout")
        }
        return TerritoryLayer(id: layerID, source: source, format: layout!.format, territories: territories)
    }

    /// Whether `s` may begin or end with white space: its end bytes are not plain ASCII
    /// characters (read without Unicode's character properties, for each row).
    static func mayNeedTrimming(_ s: String) -> Bool {
        func plain(_ b: UInt8?) -> Bool { b.map { $0 > 32 && $0 < 128 } ?? true }
        return !plain(s.utf8.first) || !plain(s.utf8.last)
    }

    /// A header matching no layout (its message is made with the table's separator).
    private struct UnknownLayout: Error {}

    /// The layout of a membership table, from its header: which column holds the territory's
    /// id and name, the member's code and name.
    struct MembershipColumns {
        var format: Format
        var id: Int
        var name: Int?
        var member: Int
        var memberName: Int?

        /// Nil when the header matches no known layout.
        init?(header: [String]) {
            let h = header.map { $0.lowercased() }
            func col(_ names: String...) -> Int? { names.lazy.compactMap { h.firstIndex(of: $0) }.first }
            if let i = col("id_crte"), let m = col("siren_groupement", "siren") {
                self.init(
                    .crte, id: i, name: col("lib_crte"), member: m, memberName: col("nom_groupement", "lib_groupement"))
            } else if let m = col("insee_com"), let i = col("id_ti") {
                self.init(.tiCommunes, id: i, name: col("lib_ti"), member: m, memberName: col("lib_com"))
            } else if let i = col("id_ti"), let m = col("siren_membre") {
                self.init(.tiMembers, id: i, name: col("lib_ti"), member: m, memberName: col("nom_membre"))
            } else if let i = col("territory_id", "id_territoire", "territoire", "territory", "id"),
                let m = col("member", "membre", "code_membre", "member_code", "code", "siren", "insee")
            {
                let name = col("territory_name", "nom_territoire", "lib_territoire", "name", "nom")
                self.init(.generic, id: i, name: name, member: m, memberName: nil)
            } else if header.count == 3 {
                self.init(.generic, id: 0, name: 1, member: 2, memberName: nil)
            } else {
                return nil
            }
        }

        init(_ format: Format, id: Int, name: Int?, member: Int, memberName: Int?) {
            self.format = format
            self.id = id
            self.name = name
            self.member = member
            self.memberName = memberName
        }
    }

    static let idProperties = ["id", "id_ti", "id_territoire", "id_crte", "code", "territory_id"]
    static let nameProperties = ["name", "nom", "lib_ti", "lib_territoire", "lib_crte", "libelle"]

    static func polygons(geojson data: Data, path: String, id: String) throws -> TerritoryLayer {
        let features = try GeoJSONReader.read(data: data, source: path)
        var out: [Territory] = []
        for (i, f) in features.enumerated() {
            let keys = f.properties.keys.map { $0.lowercased() }
            guard let ik = idProperties.first(where: keys.contains) else {
                throw GeoJSONError(
                    source: path, feature: i,
                    message: "pas de propriété d'identifiant (attendu l'une de \(idProperties.joined(separator: ", ")))"
                )
            }
            let key = f.properties.keys.first { $0.lowercased() == ik }!
            let nk = nameProperties.first(where: keys.contains).flatMap { n in
                f.properties.keys.first { $0.lowercased() == n }
            }
            guard let shape = f.geometry, !shape.polygons.isEmpty else {
                throw GeoJSONError(source: path, feature: i, message: "pas de géométrie polygonale")
            }
            let tid = f.properties[key]?.stringValue ?? ""
            out.append(
                Territory(
                    id: tid, name: nk.flatMap { f.properties[$0]?.stringValue } ?? tid, members: [],
                    shape: .multiPolygon(shape.polygons)))
        }
        return TerritoryLayer(id: id, source: path, format: .polygons, territories: out)
    }

    static func polygons(gpkg path: String, id: String) throws -> TerritoryLayer {
        let r = try GeoPackageReader(path: path)
        guard let layer = try r.layers().first else {
            throw GeoPackageError(path: path, message: "pas de couche d'entités dans le GeoPackage")
        }
        let cols = try r.columns(layer)
        let lower = cols.map { $0.lowercased() }
        guard let ik = idProperties.first(where: lower.contains) else {
            throw GeoPackageError(
                path: path,
                message:
                    "couche \(layer) : pas de colonne d'identifiant (attendu l'une de \(idProperties.joined(separator: ", ")))"
            )
        }
        let idCol = cols[lower.firstIndex(of: ik)!]
        let nameCol = nameProperties.first(where: lower.contains).map { cols[lower.firstIndex(of: $0)!] }
        let srs = try r.srsID(layer)
        let transformer = srs == 4326 ? nil : try CoordinateTransformer(from: "EPSG:\(srs)", to: "EPSG:4326")
        let ctx = GeosContext()
        var out: [Territory] = []
        for row in try r.rows(layer, columns: [idCol] + (nameCol.map { [$0] } ?? []), geometry: true) {
            guard let wkb = row.geometry else {
                throw GeoPackageError(path: path, message: "couche \(layer), fid \(row.fid) : pas de géométrie")
            }
            var shape: Shape
            do {
                shape = try ctx.readWKB(wkb).shape()
                if let t = transformer { shape = try t.transform(shape) }
            } catch {
                // A truncated or corrupt WKB: name the file, the layer and the feature.
                throw GeoPackageError(
                    path: path, message: "couche \(layer), fid \(row.fid) : géométrie illisible (\(error))")
            }
            let tid = row.values[0].string ?? row.values[0].int.map { String($0) } ?? "\(row.fid)"
            out.append(
                Territory(
                    id: tid, name: row.values.count > 1 ? (row.values[1].string ?? tid) : tid, members: [],
                    shape: .multiPolygon(shape.polygons)))
        }
        return TerritoryLayer(id: id, source: path, format: .polygons, territories: out)
    }
}
