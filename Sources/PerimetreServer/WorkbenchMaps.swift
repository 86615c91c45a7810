import Foundation
import PerimetreAnalysis
import PerimetreData
import PerimetreGeometry

/// The map's reference layers beyond the EPCI: France at a national zoom, département outlines,
/// and the outlines of the territory layers (`--territories`, `--against`), each computed once.
extension Workbench {
    /// `GET /api/france`: régions and département borders of the whole of France (``FranceMap``).
    func france() async throws -> String {
        try await franceMap.value()
    }

    /// `GET /api/departement-outlines?region=|departement=`: the départements simplified for a
    /// région's zoom, with a label point.
    func departementOutlines(region: String?, departement: String?) async throws -> String {
        try GeoJSONWriter(precision: 4).featureCollection(
            try await departementFeatures(try departementCodes(region: region, departement: departement)))
    }

    /// Département outlines by code, computed once each.
    func departementFeatures(_ codes: [String]) async throws -> [Feature] {
        try await departementCache.features(codes) { missing in
            let session = try self.data.session()
            let ctx = GeosContext()
            let wkb = Dictionary(
                uniqueKeysWithValues: try session.departementGeometries().map { ($0.departement.code, $0.geometry) })
            var out: [String: Feature] = [:]
            for code in missing {
                guard let d = self.data.departements[code], let w = wkb[code] else { continue }
                let g = try ctx.readWKB(w)
                out[code] = Feature(
                    properties: [
                        "code": .string(code), "name": .string(d.name), "region": .string(d.region),
                        "label": Self.point(try g.interiorPoint()),
                    ], geometry: try g.simplifiedPreservingTopology(Self.outlineTolerance).shape())
            }
            return out
        }
    }

    /// The départements named, or those of a région (400 when unknown).
    func departementCodes(region: String?, departement: String?) throws -> [String] {
        if let d = departement {
            let ds = d.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).uppercased() }
            if ds.isEmpty || ds.count > 20 {
                throw APIError(400, "donnez entre 1 et 20 départements", code: "invalid_departements")
            }
            for x in ds where data.departements[x] == nil {
                throw APIError(400, "département « \(x) » inconnu", code: "unknown_departement")
            }
            return ds
        }
        if let r = region {
            guard data.regions[r] != nil else {
                throw APIError(400, "région « \(r) » inconnue", code: "unknown_region")
            }
            return data.departements.values.filter { $0.region == r }.map(\.code).sorted()
        }
        throw APIError(400, "donnez ?region=CODE ou ?departement=CODE,…", code: "missing_parameter")
    }

    /// Every loaded territory layer: the `--territories` file first, then the `--against` layers.
    var territoryLayers: [(role: String, layer: ResolvedLayer)] {
        (territories.map { [("territories", $0)] } ?? [])
            + resolvedLayers.keys.sorted().filter { $0 != territories?.id }.map { ("against", resolvedLayers[$0]!) }
    }

    /// `GET /api/territories?q=`: territories of the loaded layers whose id or name matches, with
    /// their members as the file gives them (what "Partir de…" loads as the option).
    func searchTerritories(_ q: String) throws -> String {
        let text = q.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.count > 100 { throw APIError(400, "le texte cherché dépasse 100 caractères", code: "search_too_long") }
        let folded = GeoData.fold(text)
        var found: [(rank: Int, layer: String, role: String, territory: TerritoryLayer.Territory)] = []
        if !folded.isEmpty {
            for (role, l) in territoryLayers {
                // A polygon territory has no members to start from.
                for t in l.layer.territories where !t.members.isEmpty {
                    let name = GeoData.fold(t.name)
                    let rank: Int
                    if t.id.lowercased() == text.lowercased() {
                        rank = 0
                    } else if name == folded {
                        rank = 1
                    } else if name.hasPrefix(folded) || t.id.lowercased().hasPrefix(text.lowercased()) {
                        rank = 2
                    } else if folded.count >= 2 && name.contains(folded) {
                        rank = 3
                    } else {
                        continue
                    }
                    found.append((rank, l.id, role, t))
                }
            }
        }
        found.sort {
            ($0.rank, $0.role == "territories" ? 0 : 1, $0.territory.name, $0.territory.id) < (
                $1.rank, $1.role == "territories" ? 0 : 1, $1.territory.name, $1.territory.id
            )
        }
        return try JSONWriter().string(
            .array(
                found.prefix(20).map { f in
                    var seen = Set<String>()
                    let members = f.territory.members.map(\.code).filter { seen.insert($0).inserted }
                    return .object([
                        "layer": .string(f.layer), "role": .string(f.role), "id": .string(f.territory.id),
                        "name": .string(f.territory.name), "members": .array(members.map { .string($0) }),
                    ])
                }))
    }

    /// `GET /api/outlines?layer=ID&region=|departement=`: the outlines of the layer's territories
    /// that have a commune in those départements (a polygon territory: whose box meets theirs),
    /// simplified like the EPCI, with a label point.
    func territoryOutlines(layer id: String, region: String?, departement: String?) async throws -> String {
        guard let layer = territoryLayers.first(where: { $0.layer.id == id })?.layer else {
            throw APIError(400, "couche « \(id) » inconnue (voir /api/layers)", code: "unknown_layer")
        }
        let deps = Set(try departementCodes(region: region, departement: departement))
        var box = Envelope.empty
        if layer.territories.contains(where: { $0.wkb != nil }) {
            for f in try await departementFeatures(deps.sorted()) {
                if let e = f.geometry?.envelope { box = box.union(e) }
            }
        }
        let wanted = layer.territories.indices.filter { i in
            let t = layer.territories[i]
            if t.wkb != nil { return t.envelope.intersects(box) }
            return t.communes.keys.contains { communeDepartement[$0].map(deps.contains) ?? false }
        }
        // Cached by layer and position (ids of a polygon layer need not be unique).
        let key: @Sendable (Int) -> String = { "\(id)\u{1F}\($0)" }
        let features = try await territoryCache.features(wanted.map(key)) { missing in
            let byKey = Dictionary(uniqueKeysWithValues: wanted.map { (key($0), $0) })
            let todo = missing.compactMap { byKey[$0] }
            let shapes = try parallelMap(todo, makeState: { (session: try self.data.session(), ctx: GeosContext()) }) {
                (state: inout (session: GeoDataSession, ctx: GeosContext), i: Int) -> Feature in
                try self.outline(layer.territories[i], session: state.session, ctx: state.ctx)
            }
            var out: [String: Feature] = [:]
            for (k, i) in todo.enumerated() { out[key(i)] = shapes[k] }
            return out
        }
        return try GeoJSONWriter(precision: 4).featureCollection(features)
    }

    /// One territory's outline: the union of its whole EPCI and of its other communes (all from
    /// the same coverage, so the union is exact), simplified like the EPCI outlines.
    func outline(_ t: ResolvedLayer.Territory, session: GeoDataSession, ctx: GeosContext) throws -> Feature {
        var g: Geometry
        if let w = t.wkb {
            g = try ctx.readWKB(w)
        } else {
            var byEPCI: [String: [String]] = [:]
            var loose: [String] = []
            for c in t.communes.keys.sorted() {
                if let e = communeEPCI[c] { byEPCI[e, default: []].append(c) } else { loose.append(c) }
            }
            var whole: [String] = []
            for (e, cs) in byEPCI.sorted(by: { $0.key < $1.key }) {
                if cs.count == data.epci[e]?.communeCount { whole.append(e) } else { loose += cs }
            }
            // In code order: a union's coordinates depend on its parts' order.
            let epci = try session.epciGeometries(whole)
            let communes = try session.communes(codes: loose)
            var parts = try whole.compactMap { epci[$0] }.map { try ctx.readWKB($0) }
            parts += try loose.sorted().compactMap { communes[$0]?.1 }.map { try ctx.readWKB($0) }
            g = try ctx.coverageUnion(parts).geometry
        }
        let label = g.isEmpty ? JSONValue.null : Self.point(try g.interiorPoint())
        return Feature(
            properties: ["id": .string(t.id), "name": .string(t.name), "label": label],
            geometry: try g.simplifiedPreservingTopology(Self.outlineTolerance).shape())
    }

    static func point(_ c: Coordinate) -> JSONValue {
        .array([.number((c.x * 1e4).rounded() / 1e4), .number((c.y * 1e4).rounded() / 1e4)])
    }
}

/// A value computed once, on first demand (or ahead, by a background warm-up), off the cooperative pool.
actor Once<T: Sendable> {
    private var task: Task<T, any Error>?
    private let make: @Sendable () throws -> T

    init(_ make: @escaping @Sendable () throws -> T) { self.make = make }

    func value() async throws -> T {
        if let task { return try await task.value }
        let make = self.make
        let t = Task { try await offload(make) }
        task = t
        return try await t.value
    }
}
