import Foundation
import PerimetreGeometry

/// Writes the built layers into the GeoPackage (atomically: a failed build leaves no file).
enum GeoDataWriter {
    static func write(
        _ o: GeoDataBuildOptions, reference: ReferenceTables, communes: [GeoDataBuilder.WorkCommune],
        epciGroups: [String: [Int]], epciGeoms: [String: WKBGeometry], depGeoms: [String: WKBGeometry],
        regionGeoms: [String: WKBGeometry], territories: [Territory: WKBGeometry], naturalEarth ne: NaturalEarth,
        topology: [String: TopologyBuilder.Result], report: inout BuildReport
    ) throws {
        let dir = (o.output as NSString).deletingLastPathComponent
        if !dir.isEmpty { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        let w = try GeoPackageWriter(path: o.output)

        try writeCommunes(w, communes)
        try writeEPCICommunes(w, communes)
        try writeEPCI(w, reference: reference, communes: communes, groups: epciGroups, geoms: epciGeoms)
        try writeDepartements(w, reference: reference, communes: communes, geoms: depGeoms)
        try writeRegions(w, reference: reference, communes: communes, geoms: regionGeoms)
        try writeTerritories(w, territories)
        let ctx = GeosContext()
        try writeNaturalEarth(w, ne, ctx: ctx)
        try writeBuildReport(w, report, ctx: ctx)

        // Reference topology (attribute tables, one row per pair / per unit).
        let epciOfCommune = Dictionary(communes.compactMap { c in c.epci.map { (c.code, $0) } }) { a, _ in a }
        for level in ["epci", "commune"] {
            guard let t = topology[level] else { continue }
            // Communes carry their EPCI: an analysis reads the communes of a few EPCI by index.
            try writeTopology(w, level: level, t, groups: level == "commune" ? epciOfCommune : nil)
        }
        if let t = topology["epci"] { try writeMetricEPCI(w, epciGeoms, facts: t.facts) }
        let topologyRecords = try topology["commune"].map { t in
            try writeCommuneTopologyRecords(w, t, epciOf: epciOfCommune)
        }

        report.counts = [
            ("communes", communes.count), ("epci", reference.epci.count),
            ("epci_communes", Set(communes.compactMap(\.epci)).count),
            ("departements", reference.departements.count),
            ("regions", reference.regions.count), ("territories", territories.count), ("countries", ne.countries.count),
            ("borders", ne.borders.count),
        ]
        for level in ["epci", "commune"] {
            if let t = topology[level] { report.counts.append((layer: "\(level)_adjacency", count: t.adjacency.count)) }
        }
        if let n = topologyRecords { report.counts.append(("epci_commune_topology", n)) }
        report.counts.append(("lakes", try NaturalEarthLakes.write(into: w, folder: o.naturalEarthFolder)))
        try writeMetadata(w, o, report: &report)
        try w.commit()
    }

    /// Measures of a dissolved layer's unit, computed in parallel.
    private struct Measured: Sendable {
        var key: String
        var area: Double
        var envelope: Envelope
    }

    private static func measure(_ geoms: [String: WKBGeometry]) throws -> [String: Measured] {
        let r = try parallelMap(geoms.keys.sorted()) { ctx, k -> Measured in
            let g = try ctx.readWKB(geoms[k]!)
            return Measured(key: k, area: GeodesicMeasure.area(of: try g.shape()) / 1e6, envelope: g.envelope())
        }
        return Dictionary(uniqueKeysWithValues: r.map { ($0.key, $0) })
    }

    /// The `communes` layer and its covering indexes.
    private static func writeCommunes(_ w: GeoPackageWriter, _ communes: [GeoDataBuilder.WorkCommune]) throws {
        try w.addLayer(
            "communes", geometryType: "MULTIPOLYGON",
            columns: [
                .init("code", .text), .init("name", .text), .init("departement", .text), .init("region", .text),
                .init("epci", .text), .init("population", .integer), .init("area_km2", .real),
                .init("has_geometry", .integer),
            ], description: "Communes (COG 2026), trous de la couverture comblés")
        for c in communes {
            _ = try w.insert(
                "communes",
                values: [
                    .text(c.code), .text(c.name), .text(c.departement), .text(c.region),
                    c.epci.map { .text($0) } ?? .null, .integer(Int64(c.population)), .real(c.areaKm2),
                    .integer(c.wkb == nil ? 0 : 1),
                ], geometry: c.wkb, envelope: c.wkb == nil ? nil : c.envelope)
        }
        // Covering indexes: resolving a perimeter reads communes' attributes, never their polygons.
        let attributes = ["code", "name", "departement", "region", "epci", "population", "area_km2", "has_geometry"]
        try w.createIndex("communes", column: "code", covering: attributes)
        try w.createIndex("communes", column: "epci", covering: attributes)
    }

    /// The `epci_communes` table: each EPCI's communes as one packed record
    /// (``EPCICommunesRecord``). Resolving a perimeter of whole EPCI reads one row per EPCI, not
    /// one per commune: a national audit reads 20,000 communes.
    private static func writeEPCICommunes(_ w: GeoPackageWriter, _ communes: [GeoDataBuilder.WorkCommune]) throws {
        var byEPCI: [String: [GeoDataBuilder.WorkCommune]] = [:]
        for c in communes { if let e = c.epci { byEPCI[e, default: []].append(c) } }
        try w.addAttributeTable(
            "epci_communes", columns: [.init("epci", .text), .init("communes", .blob)],
            description:
                "Communes de chaque EPCI en un enregistrement binaire : par commune, code, nom, département, région (un octet de longueur puis l'UTF-8), population (4 octets), superficie km² (double, 8 octets), géométrie 0/1 (1 octet), petit-boutiste"
        )
        var rows: [[GeoPackageValue]] = []
        for (e, cs) in byEPCI.sorted(by: { $0.key < $1.key }) {
            let record = try EPCICommunesRecord.encode(
                cs.sorted(by: { $0.code < $1.code }).map {
                    Commune(
                        code: $0.code, name: $0.name, departement: $0.departement, region: $0.region, epci: e,
                        population: $0.population, areaKm2: $0.areaKm2, hasGeometry: $0.wkb != nil)
                }, path: w.path)
            rows.append([.text(e), .blob(record)])
        }
        try w.insertRows("epci_communes", columns: ["epci", "communes"], rows)
        try w.createAttributeIndex("epci_communes", columns: ["epci"])
    }

    /// The `epci_commune_topology` table: the commune topology around each EPCI as one packed
    /// record (``CommuneTopologyRecord``), the rows of the three commune tables that hold one of
    /// its communes. A perimeter cutting an EPCI reads one row, not three index searches.
    private static func writeCommuneTopologyRecords(
        _ w: GeoPackageWriter, _ t: TopologyBuilder.Result, epciOf: [String: String]
    ) throws -> Int {
        let empty = GeoDataSession.CommuneTopology(facts: [:], adjacency: [], epci: [:])
        var byEPCI: [String: GeoDataSession.CommuneTopology] = [:]
        for f in t.facts {
            guard let e = epciOf[f.code] else { continue }
            byEPCI[e, default: empty].facts[f.code] = f
            byEPCI[e, default: empty].epci[f.code] = e
        }
        for p in t.adjacency.sorted(by: { ($0.a, $0.b) < ($1.a, $1.b) }) {
            let (ea, eb) = (epciOf[p.a], epciOf[p.b])
            for e in [ea, eb == ea ? nil : eb].compactMap({ $0 }) {
                byEPCI[e, default: empty].adjacency.append(p)
                byEPCI[e, default: empty].epci[p.a] = ea
                byEPCI[e, default: empty].epci[p.b] = eb
            }
        }
        try w.addAttributeTable(
            "epci_commune_topology", columns: [.init("epci", .text), .init("topology", .blob)],
            description:
                "Topologie des communes de chaque EPCI en un enregistrement binaire : les faits de ses communes et les paires où l'une d'elles touche une autre commune, avec l'EPCI des deux (format : CommuneTopologyRecord)"
        )
        // Packed on all cores: 1,253 records, 210,000 pairs.
        let path = w.path
        let sorted = byEPCI.sorted(by: { $0.key < $1.key })
        let records = try parallelMap(sorted, makeState: {}) { _, e in
            try CommuneTopologyRecord.encode(e.value, path: path)
        }
        let rows = zip(sorted, records).map { e, record -> [GeoPackageValue] in [.text(e.key), .blob(record)] }
        try w.insertRows("epci_commune_topology", columns: ["epci", "topology"], rows)
        try w.createAttributeIndex("epci_commune_topology", columns: ["epci"])
        return rows.count
    }

    /// The `epci` layer: each EPCI dissolved from its communes.
    private static func writeEPCI(
        _ w: GeoPackageWriter, reference: ReferenceTables, communes: [GeoDataBuilder.WorkCommune],
        groups epciGroups: [String: [Int]], geoms epciGeoms: [String: WKBGeometry]
    ) throws {
        let em = try measure(epciGeoms)
        try w.addLayer(
            "epci", geometryType: "MULTIPOLYGON",
            columns: [
                .init("code", .text), .init("name", .text), .init("nature", .text), .init("departements", .text),
                .init("regions", .text), .init("population", .integer), .init("commune_count", .integer),
                .init("area_km2", .real),
            ], description: "EPCI à fiscalité propre, dissous depuis leurs communes")
        for code in reference.epci.keys.sorted() {
            let members = (epciGroups[code] ?? []).map { communes[$0] }
            let info = reference.epci[code]!
            let deps = Set(members.map(\.departement)).sorted()
            let regs = Set(members.map(\.region)).sorted()
            _ = try w.insert(
                "epci",
                values: [
                    .text(code), .text(info.name), .text(info.nature), .text(deps.joined(separator: ",")),
                    .text(regs.joined(separator: ",")), .integer(Int64(members.reduce(0) { $0 + $1.population })),
                    .integer(Int64(members.count)), .real(em[code]?.area ?? 0),
                ], geometry: epciGeoms[code], envelope: em[code]?.envelope)
        }
        try w.createIndex("epci", column: "code")
    }

    /// The `departements` layer.
    private static func writeDepartements(
        _ w: GeoPackageWriter, reference: ReferenceTables, communes: [GeoDataBuilder.WorkCommune],
        geoms depGeoms: [String: WKBGeometry]
    ) throws {
        let dm = try measure(depGeoms)
        try w.addLayer(
            "departements", geometryType: "MULTIPOLYGON",
            columns: [
                .init("code", .text), .init("name", .text), .init("region", .text), .init("population", .integer),
                .init("area_km2", .real),
            ], description: "Départements",
            // Read whole (national maps), never searched by area: no R-tree to parse at every open.
            spatialIndex: false)
        for d in reference.departements.values.sorted(by: { $0.code < $1.code }) {
            let pop = communes.lazy.filter { $0.departement == d.code }.reduce(0) { $0 + $1.population }
            _ = try w.insert(
                "departements",
                values: [
                    .text(d.code), .text(d.name), .text(d.region), .integer(Int64(pop)),
                    .real(dm[d.code]?.area ?? 0),
                ],
                geometry: depGeoms[d.code], envelope: dm[d.code]?.envelope)
        }
    }

    /// The `regions` layer.
    private static func writeRegions(
        _ w: GeoPackageWriter, reference: ReferenceTables, communes: [GeoDataBuilder.WorkCommune],
        geoms regionGeoms: [String: WKBGeometry]
    ) throws {
        let rm = try measure(regionGeoms)
        try w.addLayer(
            "regions", geometryType: "MULTIPOLYGON",
            columns: [
                .init("code", .text), .init("name", .text), .init("chef_lieu", .text), .init("chef_lieu_name", .text),
                .init("population", .integer), .init("area_km2", .real),
            ], description: "Régions et leur chef-lieu (préfecture de région)", spatialIndex: false)
        for r in reference.regions.values.sorted(by: { $0.code < $1.code }) {
            let pop = communes.lazy.filter { $0.region == r.code }.reduce(0) { $0 + $1.population }
            _ = try w.insert(
                "regions",
                values: [
                    .text(r.code), .text(r.name), .text(r.chefLieu), .text(r.chefLieuName),
                    .integer(Int64(pop)), .real(rm[r.code]?.area ?? 0),
                ],
                geometry: regionGeoms[r.code], envelope: rm[r.code]?.envelope)
        }
    }

    /// The `territories` layer: France métropolitaine and each DROM, with its local CRS.
    private static func writeTerritories(_ w: GeoPackageWriter, _ territories: [Territory: WKBGeometry]) throws {
        let tm = try measure(Dictionary(uniqueKeysWithValues: territories.map { ($0.key.rawValue, $0.value) }))
        try w.addLayer(
            "territories", geometryType: "MULTIPOLYGON",
            columns: [
                .init("code", .text), .init("name", .text), .init("local_crs", .text), .init("area_km2", .real),
            ], description: "France métropolitaine et chaque DROM")
        for t in Territory.allCases {
            guard let g = territories[t], let m = tm[t.rawValue] else { continue }
            _ = try w.insert(
                "territories",
                values: [.text(t.rawValue), .text(t.name), .text(LocalCRS.for(m.envelope).code), .real(m.area)],
                geometry: g, envelope: m.envelope)
        }
    }

    /// The Natural Earth layers: the countries near France and its land borders.
    private static func writeNaturalEarth(_ w: GeoPackageWriter, _ ne: NaturalEarth, ctx: GeosContext) throws {
        try w.addLayer(
            "countries", geometryType: "MULTIPOLYGON",
            columns: [
                .init("code", .text), .init("name_fr", .text), .init("name_en", .text),
            ], description: "Pays proches (Natural Earth 10m), pour nommer les voisins ; ne découpe jamais la France")
        for c in ne.countries {
            let g = try ctx.multiPolygon([try ctx.geometry(c.shape)])
            _ = try w.insert(
                "countries", values: [.text(c.country.code), .text(c.country.nameFR), .text(c.country.nameEN)],
                geometry: try g.wkb(), envelope: g.envelope())
        }
        try w.addLayer(
            "borders", geometryType: "MULTILINESTRING",
            columns: [
                .init("neighbour", .text), .init("name_fr", .text),
            ], description: "Frontières terrestres de la France (Natural Earth 10m), à 0,6–6 km près")
        for b in ne.borders {
            let g = try ctx.multiLineString([try ctx.geometry(b.shape)])
            _ = try w.insert(
                "borders", values: [.text(b.neighbour.code), .text(b.neighbour.nameFR)],
                geometry: try g.wkb(), envelope: g.envelope())
        }
    }

    /// The `build_report` layer: repairs and findings of the build.
    private static func writeBuildReport(_ w: GeoPackageWriter, _ report: BuildReport, ctx: GeosContext) throws {
        try w.addLayer(
            "build_report", geometryType: "GEOMETRY",
            columns: [
                .init("kind", .text), .init("code", .text), .init("area_km2", .real), .init("detail", .text),
            ], description: "Réparations et constats de la construction", spatialIndex: false)
        for item in report.items {
            var env: Envelope? = nil
            if let g = item.geometry { env = try ctx.readWKB(g).envelope() }
            _ = try w.insert(
                "build_report",
                values: [.text(item.kind.rawValue), .text(item.code), .real(item.areaKm2), .text(item.detail)],
                geometry: item.geometry, envelope: env)
        }
    }

    /// The provenance, the PROJ pipelines, the schema version and the counts.
    private static func writeMetadata(_ w: GeoPackageWriter, _ o: GeoDataBuildOptions, report: inout BuildReport) throws
    {
        for (k, v) in o.provenance.sorted(by: { $0.key < $1.key }) { try w.setMetadata(k, v) }
        // The transformations to the local metric CRS, searched in proj.db once here rather than
        // in every process that measures a distance.
        var pipelines = 0
        for crs in LocalCRS.official {
            guard let p = try CoordinateTransformer.pipeline(from: "EPSG:4326", to: crs.code) else { continue }
            try w.setMetadata(GeoData.pipelineKey(from: "EPSG:4326", to: crs.code), p)
            pipelines += 1
        }
        report.counts.append(("proj_pipelines", pipelines))
        try w.setMetadata("schema", GeoData.schemaVersion)
        try w.setMetadata("counts", report.counts.map { "\($0.layer)=\($0.count)" }.joined(separator: ","))
    }

    /// The `epci_metric` layer: each EPCI projected to its local metric CRS (column `crs`, the
    /// CRS of its facts). The distances between members an analysis measures (the gap between
    /// two components, an island's nearest member) read them as they are, with no projection,
    /// and no PROJ loaded, at run time. Its geometries are in several CRS: undefined SRS (-1).
    static func writeMetricEPCI(_ w: GeoPackageWriter, _ geoms: [String: WKBGeometry], facts: [UnitFacts]) throws {
        try w.addLayer(
            "epci_metric", geometryType: "MULTIPOLYGON", srsID: -1,
            columns: [.init("code", .text), .init("crs", .text)],
            description:
                "EPCI dans leur CRS métrique local (colonne crs : Lambert-93 ou le CRS de leur DROM), pour les distances entre membres",
            spatialIndex: false)
        let units = facts.filter { geoms[$0.code] != nil }.sorted { $0.code < $1.code }
        let projected = try parallelMap(units) { ctx, f -> WKBGeometry in
            try CoordinateTransformer(from: "EPSG:4326", to: f.crs).transform(try ctx.readWKB(geoms[f.code]!)).wkb()
        }
        for (f, wkb) in zip(units, projected) {
            try w.insert("epci_metric", values: [.text(f.code), .text(f.crs)], geometry: wkb, envelope: nil)
        }
        try w.createIndex("epci_metric", column: "code")
    }

    /// The `<level>_adjacency`, `<level>_facts` and `<level>_borders` tables. With `groups` (each
    /// commune's EPCI), each row also carries the EPCI of its units (`epci`, or `epci_a` and
    /// `epci_b`), indexed: a perimeter listing communes reads the commune topology of their EPCI
    /// only.
    static func writeTopology(
        _ w: GeoPackageWriter, level: String, _ t: TopologyBuilder.Result, groups: [String: String]? = nil
    ) throws {
        try writeAdjacency(w, level: level, t.adjacency, groups: groups)
        try writeFacts(w, level: level, t.facts, groups: groups)
        try writeBorders(w, level: level, t.facts, groups: groups)
        if groups != nil {
            try w.createAttributeIndex("\(level)_adjacency", columns: ["epci_a"])
            try w.createAttributeIndex("\(level)_adjacency", columns: ["epci_b"])
            try w.createAttributeIndex("\(level)_facts", columns: ["epci"])
            try w.createAttributeIndex("\(level)_borders", columns: ["epci"])
        }
    }

    /// A unit's EPCI as a value of the `epci` columns (null without `groups`).
    private static func group(_ code: String, _ groups: [String: String]?) -> GeoPackageValue {
        groups?[code].map { .text($0) } ?? .null
    }

    /// The `<level>_adjacency` table: one row per pair of units that meet.
    private static func writeAdjacency(
        _ w: GeoPackageWriter, level: String, _ adjacency: [Adjacency], groups: [String: String]?
    ) throws {
        let grouped = groups != nil
        let unit = level == "epci" ? "EPCI" : "communes"
        try w.addAttributeTable(
            "\(level)_adjacency",
            columns: [
                .init("code_a", .text), .init("code_b", .text), .init("kind", .text), .init("length_m", .real),
                .init("overlap_m2", .real), .init("union_loss_m", .real),
            ] + (grouped ? [.init("epci_a", .text), .init("epci_b", .text)] : []),
            description:
                "Paires de \(unit) qui se touchent (code_a < code_b) : frontière commune (longueur géodésique, m), contact en un point, ou à moins de 100 m (distance, m) ; surface couverte par les deux (m²) et périmètre perdu par leur union (m)"
        )
        try w.insertRows(
            "\(level)_adjacency",
            columns: ["code_a", "code_b", "kind", "length_m", "overlap_m2", "union_loss_m"]
                + (grouped ? ["epci_a", "epci_b"] : []),
            adjacency.map {
                [
                    .text($0.a), .text($0.b), .text($0.kind.rawValue), .real($0.lengthMetres),
                    .real($0.overlapSquareMetres), .real($0.unionLossMetres),
                ] + (grouped ? [group($0.a, groups), group($0.b, groups)] : [])
            })
    }

    /// The `<level>_facts` table: one row per unit.
    private static func writeFacts(
        _ w: GeoPackageWriter, level: String, _ facts: [UnitFacts], groups: [String: String]?
    ) throws {
        let grouped = groups != nil
        let factColumns: [GeoPackageColumn] =
            [
                .init("code", .text), .init("area_m2", .real), .init("perimeter_m", .real),
                .init("free_boundary_m", .real),
                .init("hole_boundary_m", .real), .init("unmatched_boundary_m", .real), .init("min_x", .real),
                .init("min_y", .real), .init("max_x", .real), .init("max_y", .real),
                .init("crs", .text), .init("island", .integer), .init("sea_gap_m", .real), .init("sea_nearest", .text),
                .init("detached_parts", .text),
            ] + (grouped ? [.init("epci", .text)] : [])
        try w.addAttributeTable(
            "\(level)_facts", columns: factColumns,
            description:
                "Par \(level == "epci" ? "EPCI" : "commune") : surface et périmètre géodésiques, frontière partagée avec aucune autre unité (côte ou frontière), frontière mal raccordée aux voisines (chevauchements), île et distance à la terre la plus proche, parties détachées (surface km², distance m et unités touchées)"
        )
        try w.insertRows(
            "\(level)_facts", columns: factColumns.map(\.name),
            facts.map { f in
                [
                    .text(f.code), .real(f.areaSquareMetres), .real(f.perimeterMetres), .real(f.freeBoundaryMetres),
                    .real(f.holeBoundaryMetres), .real(f.unmatchedBoundaryMetres), .real(f.minX), .real(f.minY),
                    .real(f.maxX), .real(f.maxY), .text(f.crs),
                    .integer(f.island ? 1 : 0), f.seaGapMetres.map { .real($0) } ?? .null,
                    f.seaNearest.map { .text($0) } ?? .null,
                    .text(
                        f.detachedParts.map {
                            "\($0.areaKm2) \($0.distanceMetres) \($0.neighbours.joined(separator: ","))"
                        }.joined(separator: ";")),
                ] + (grouped ? [group(f.code, groups)] : [])
            })
    }

    /// The `<level>_borders` table: one row per unit and country whose land border is near.
    private static func writeBorders(
        _ w: GeoPackageWriter, level: String, _ facts: [UnitFacts], groups: [String: String]?
    ) throws {
        let grouped = groups != nil
        try w.addAttributeTable(
            "\(level)_borders",
            columns: [.init("code", .text), .init("country", .text), .init("distance_m", .real)]
                + (grouped ? [.init("epci", .text)] : []),
            description: "Pays dont une frontière terrestre (Natural Earth) est à moins de 50 km, et la distance (m)")
        try w.insertRows(
            "\(level)_borders", columns: ["code", "country", "distance_m"] + (grouped ? ["epci"] : []),
            facts.flatMap { f in
                f.borders.map {
                    [.text(f.code), .text($0.country), .real($0.distanceMetres)]
                        + (grouped ? [group(f.code, groups)] : [])
                }
            })
    }
}
