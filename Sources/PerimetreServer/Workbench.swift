import Foundation
import PerimetreAnalysis
import PerimetreData
import PerimetreGeometry
import PerimetreReport

/// An API error: an HTTP status, a stable English `code` and a French message, returned as
/// `{"error": "…", "code": "…"}`. The HTTP mapping of the analysis layer's errors lives here.
struct APIError: Error, Sendable {
    var status: Int
    var message: String
    var code: String
    init(_ status: Int, _ message: String, code: String = "bad_request") {
        self.status = status
        self.message = message
        self.code = code
    }
    /// A refused request body: 400 when malformed, 422 when well formed but not analysable.
    init(_ e: CheckRequestBody.Failure) {
        self.init(e.reason == .malformed ? 400 : 422, e.message, code: e.code)
    }
}

/// A validated `POST /api/check` (or `/api/analyse`, `/api/export`) body (parsed in PerimetreAnalysis).
typealias CheckBody = CheckRequestBody

/// The server's state: the reference data (opened once), the composition tables, the overlap
/// layer ids, the commune name index and a cache of simplified EPCI outlines. Sendable; every
/// GEOS context and GeoPackage session is created per request.
final class Workbench: Sendable {
    let data: GeoData
    let configuration: WorkbenchConfiguration
    /// Communes (attributes) with their folded name, for the search box.
    let communes: [(commune: Commune, folded: String)]
    let outlines = OutlineCache()
    /// The `--against` layers, resolved once at start-up, by id.
    let resolvedLayers: [String: ResolvedLayer]
    /// The `--territories` file (labelled territories to start from, drawn as outlines), resolved once.
    let territories: ResolvedLayer?
    /// Commune → its EPCI and its département (territory outlines).
    let communeEPCI: [String: String]
    let communeDepartement: [String: String]
    /// The start view's France (computed once, warmed up at start), département and territory outlines.
    let franceMap: Once<String>
    let departementCache = OutlineCache()
    let territoryCache = OutlineCache()
    /// Where the analyses run: one per core at once, a bounded queue, 503 beyond.
    let pool: AnalysisPool

    /// Simplification tolerance of the map outlines (degrees, ~200 m).
    static let outlineTolerance = 0.002
    static let maxMembers = 2000

    init(data: GeoData, configuration: WorkbenchConfiguration) throws {
        self.data = data
        self.configuration = configuration
        pool = AnalysisPool(width: configuration.poolWidth, queueLimit: configuration.queueLimit)
        let session = try data.session()
        communes = try session.allCommunes().map { ($0, GeoData.fold($0.name)) }
        var resolved: [String: ResolvedLayer] = [:]
        for (id, path) in configuration.layers {
            resolved[id] = try ResolvedLayer.resolve(
                try TerritoryLayer.load(path, id: id), data: data,
                compositions: configuration.compositions)
        }
        resolvedLayers = resolved
        if let t = configuration.territories, let other = configuration.layers[t.id], other != t.path {
            throw CheckError.configuration(
                "--territories \(t.path) et --against \(other) ont le même identifiant de couche « \(t.id) » : renommez l'un des fichiers"
            )
        }
        territories = try configuration.territories.map {
            try ResolvedLayer.resolve(
                try TerritoryLayer.load($0.path, id: $0.id), data: data, compositions: configuration.compositions)
        }
        var epciOf: [String: String] = [:]
        var depOf: [String: String] = [:]
        for (c, _) in communes {
            if let e = c.epci { epciOf[c.code] = e }
            depOf[c.code] = c.departement
        }
        communeEPCI = epciOf
        communeDepartement = depOf
        franceMap = Once { [data] in try FranceMap.build(data: data) }
    }

    // MARK: Request bodies

    /// Parses and validates a check body; 400 for malformed JSON or wrong types, 422 when empty.
    func checkBody(_ bytes: [UInt8]) throws -> CheckBody {
        do {
            return try CheckRequestBody.parse(
                bytes, knownLayers: Set(configuration.layers.keys), maxMembers: Self.maxMembers)
        } catch let e as CheckRequestBody.Failure {
            throw APIError(e)
        }
    }

    // MARK: Analysis

    /// Runs `perimetre check` on a body; 422 when nothing resolves. Without `shapes` (the JSON
    /// report alone, a diff), a perimeter of whole EPCI is answered from the reference topology.
    func check(_ body: CheckBody, shapes: Bool = true, remedies: Bool = true) throws -> CheckResult {
        let inputs = body.members.enumerated().map { MemberInput(code: $1, origin: "members[\($0)]") }
        let req = PerimeterRequest(
            id: body.id, name: body.name, members: inputs,
            options: AnalysisOptions(
                toleranceMetres: body.toleranceMetres, mapContext: shapes, shapes: shapes,
                remedies: remedies))
        // The overlaps of the layers asked for (ids validated against the loaded layers).
        let against = body.against.compactMap { resolvedLayers[$0] }
        do {
            return try PerimeterCheck.run(req, data: data, compositions: configuration.compositions, against: against)
        } catch let e as CheckError where !e.isInternal {
            throw APIError(422, e.message, code: e.code)
        }
    }

    /// `POST /api/check`: exactly `perimetre check --format json`.
    func checkJSON(_ body: CheckBody) throws -> String {
        try JSONWriter(pretty: false).string(JSONReport.value(try check(body, shapes: false)))
    }

    /// `POST /api/analyse`: the check report plus the shapes the page draws (simplified).
    func analyse(_ body: CheckBody) throws -> String {
        let r = try check(body)
        let ctx = GeosContext()
        func simple(_ s: Shape, _ tol: Double = 0.0005) throws -> Shape {
            if s.coordinateCount < 50 { return s }
            return try ctx.geometry(s).simplifiedPreservingTopology(tol).shape()
        }
        var fs: [Feature] = []
        fs.append(Feature(properties: ["role": "perimeter"], geometry: try simple(r.shapes.perimeter)))
        for (i, s) in r.shapes.components.enumerated() {
            let members = i < r.contiguity.components.count ? r.contiguity.components[i] : []
            fs.append(
                Feature(
                    properties: [
                        "role": "component", "index": .int(i), "members": .array(members.map { .string($0) }),
                    ],
                    geometry: try simple(s)))
        }
        for (code, s) in r.shapes.members.sorted(by: { $0.key < $1.key }) {
            fs.append(
                Feature(
                    properties: ["role": "member", "code": .string(code)],
                    geometry: try simple(s, Self.outlineTolerance)))
        }
        for (i, e) in r.enclaves.enumerated() {
            fs.append(
                Feature(
                    properties: [
                        "role": "enclave", "index": .int(i), "area_km2": .number(e.areaKm2),
                        "communes": .array(e.communes.map { .string($0.name) }),
                    ],
                    geometry: try simple(e.shape, 0.0002)))
        }
        for s in r.shapes.detachedParts { fs.append(Feature(properties: ["role": "detached_part"], geometry: s)) }
        for o in r.overlaps where !o.edgeContact {
            guard let s = o.shape else { continue }
            fs.append(
                Feature(
                    properties: [
                        "role": "overlap", "layer": .string(o.layer), "id": .string(o.id), "name": .string(o.name),
                    ],
                    geometry: try simple(s)))
        }
        for s in r.shapes.borders { fs.append(Feature(properties: ["role": "border"], geometry: try simple(s))) }
        if let f = r.shapes.frenchPart {
            fs.append(Feature(properties: ["role": "french_part"], geometry: try simple(f)))
        }
        for (code, s) in r.remedyShapes.sorted(by: { $0.key < $1.key }) {
            fs.append(
                Feature(
                    properties: ["role": "remedy_add", "code": .string(code)],
                    geometry: try simple(s, Self.outlineTolerance)))
        }
        let report = try JSONWriter(pretty: false).string(JSONReport.value(r))
        let map = try GeoJSONWriter(precision: 5).featureCollection(fs)
        return "{\"report\":\(report),\"map\":\(map)}"
    }

    /// `POST /api/diff` `{"before": <check body>, "after": <check body>}`: `perimetre diff --format json`
    /// of the two options (the workbench's "Comparer").
    func diffJSON(_ bytes: [UInt8]) throws -> String {
        guard case .object(let o)? = try? JSONValue.parse(Data(bytes)) else {
            throw APIError(
                400, "le corps doit être un objet JSON {\"before\": {\"members\": […]}, \"after\": {\"members\": […]}}",
                code: "not_an_object")
        }
        func side(_ key: String) throws -> CheckBody {
            guard let v = o[key], case .object = v else {
                throw APIError(400, "« \(key) » manquant (un objet {\"members\": [codes…]})", code: "missing_\(key)")
            }
            do { return try checkBody(Array(try JSONWriter().string(v).utf8)) } catch let e as APIError {
                throw APIError(e.status, "\(key) : \(e.message)", code: e.code)
            }
        }
        let before = try side("before")
        let after = try side("after")
        let d = try PerimeterDiff.compare(
            try check(before, shapes: false, remedies: false),
            try check(after, shapes: false, remedies: false), data: data, shapes: false)
        return try JSONWriter(pretty: false).string(DiffReport.value(d))
    }

    /// `POST /api/export?format=`: the report as `perimetre check --format html|geojson|json` writes it.
    func export(_ body: CheckBody, format: String) throws -> (text: String, contentType: String, ext: String) {
        let r = try check(body)
        switch format {
        case "html": return (HTMLReport.render(r), "text/html; charset=utf-8", "html")
        case "geojson": return (try GeoJSONReport.render(r), "application/geo+json; charset=utf-8", "geojson")
        case "json": return (try JSONReport.render(r), "application/json; charset=utf-8", "json")
        default:
            throw APIError(400, "format d'export « \(format) » inconnu (html, geojson ou json)", code: "unknown_format")
        }
    }

    // MARK: Reference data

    /// `GET /api/epci?departement=|region=|codes=`: EPCI with simplified lon/lat outlines.
    func epci(departement: String?, region: String?, codes: String?) async throws -> String {
        var selected: [EPCI]
        if let d = departement {
            let ds = d.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).uppercased() }
            for x in ds where data.departements[x] == nil {
                throw APIError(400, "département « \(x) » inconnu", code: "unknown_departement")
            }
            if ds.isEmpty || ds.count > 20 {
                throw APIError(400, "donnez entre 1 et 20 départements", code: "invalid_departements")
            }
            selected = data.epci.values.filter { e in e.departements.contains { ds.contains($0) } }
        } else if let rg = region {
            guard data.regions[rg] != nil else {
                throw APIError(400, "région « \(rg) » inconnue", code: "unknown_region")
            }
            selected = data.epci.values.filter { $0.regions.contains(rg) }
        } else if let c = codes {
            let cs = c.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
            if cs.count > Self.maxMembers { throw APIError(400, "trop de codes", code: "too_many_codes") }
            selected = cs.compactMap { data.epci[$0] }
        } else {
            throw APIError(400, "donnez ?departement=CODE, ?region=CODE ou ?codes=SIREN,…", code: "missing_parameter")
        }
        selected.sort { $0.code < $1.code }
        let features = try await outlines.features(selected.map(\.code)) { missing in
            let session = try self.data.session()
            let ctx = GeosContext()
            var out: [String: Feature] = [:]
            for (code, wkb) in try session.epciGeometries(missing) {
                guard let e = self.data.epci[code] else { continue }
                let g = try ctx.readWKB(wkb).simplifiedPreservingTopology(Self.outlineTolerance)
                out[code] = Feature(
                    properties: [
                        "code": .string(e.code), "name": .string(e.name), "nature": .string(e.nature),
                        "departements": .array(e.departements.map { .string($0) }), "population": .int(e.population),
                        "commune_count": .int(e.communeCount), "area_km2": .number((e.areaKm2 * 10).rounded() / 10),
                    ], geometry: try g.shape())
            }
            return out
        }
        return try GeoJSONWriter(precision: 4).featureCollection(features)
    }

    /// `GET /api/search?q=`: EPCI (name, SIREN, département) and communes by name.
    func search(_ q: String) throws -> String {
        let text = q.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.count > 100 { throw APIError(400, "le texte cherché dépasse 100 caractères", code: "search_too_long") }
        let found = Array(data.searchEPCI(text).prefix(15))
        let folded = GeoData.fold(text)
        var cs: [(Commune, Int)] = []
        if folded.count >= 2 {
            for (c, f) in communes {
                if c.code == text {
                    cs.append((c, 0))
                } else if f == folded {
                    cs.append((c, 1))
                } else if f.hasPrefix(folded) {
                    cs.append((c, 2))
                } else if folded.count >= 3 && f.contains(folded) {
                    cs.append((c, 3))
                }
            }
        }
        cs.sort { ($0.1, -$0.0.population, $0.0.code) < ($1.1, -$1.0.population, $1.0.code) }
        let v: JSONValue = .object([
            "epci": .array(
                found.map { e in
                    .object([
                        "code": .string(e.code), "name": .string(e.name), "nature": .string(e.nature),
                        "departements": .array(e.departements.map { .string($0) }), "population": .int(e.population),
                    ])
                }),
            "communes": .array(
                cs.prefix(10).map { c, _ in
                    .object([
                        "code": .string(c.code), "name": .string(c.name), "departement": .string(c.departement),
                        "epci": c.epci.map { .string($0) } ?? .null,
                        "epci_name": c.epci.flatMap { data.epci[$0]?.name }.map { .string($0) } ?? .null,
                        "population": .int(c.population),
                    ])
                }),
        ])
        return try JSONWriter().string(v)
    }

    func departements() throws -> String {
        try JSONWriter().string(
            .array(
                data.departements.values.sorted { $0.code < $1.code }.map {
                    .object(["code": .string($0.code), "name": .string($0.name), "region": .string($0.region)])
                }))
    }

    func regions() throws -> String {
        try JSONWriter().string(
            .array(
                data.regions.values.sorted { $0.code < $1.code }.map {
                    .object(["code": .string($0.code), "name": .string($0.name)])
                }))
    }

    /// `GET /api/layers`: the `--territories` layer (`role` `territories`) then the `--against` layers.
    func layers() throws -> String {
        // Each layer with how its codes were understood (as in `check --format json`'s `layers[]`) and its role.
        try JSONWriter().string(
            .array(
                territoryLayers.map { role, l in
                    guard case .object(var v) = JSONReport.layer(l.resolution) else { return .null }
                    v["role"] = .string(role)
                    return .object(v)
                }))
    }

    /// `POST /api/members`: a member file (any format `perimetre check --members` reads) → its codes.
    func memberFile(_ bytes: [UInt8]) throws -> String {
        let dir = FileManager.default.temporaryDirectory
        let path = dir.appendingPathComponent("perimetre-serve-\(UUID().uuidString).txt").path
        guard
            FileManager.default.createFile(atPath: path, contents: Data(bytes), attributes: [.posixPermissions: 0o600])
        else {
            throw APIError(500, "erreur interne : impossible d'écrire un fichier temporaire", code: "internal_error")
        }
        defer { try? FileManager.default.removeItem(atPath: path) }
        let f: MemberFile
        do { f = try MemberFile.read(path) } catch {
            let msg = "\(error)".replacingOccurrences(of: path, with: "fichier")
            throw APIError(
                422, "fichier de membres illisible : \(msg)",
                code: (error as? any CodedError)?.code ?? "invalid_member_file")
        }
        if f.members.isEmpty { throw APIError(422, "le fichier de membres ne liste aucun membre", code: "no_member") }
        return try JSONWriter().string(
            .object([
                "id": f.id.map { .string($0) } ?? .null, "name": f.name.map { .string($0) } ?? .null,
                "members": .array(f.members.map { .string($0.code) }),
            ]))
    }
}

/// Simplified EPCI outlines, computed once per EPCI.
actor OutlineCache {
    private var byCode: [String: Feature] = [:]

    func features(
        _ codes: [String], compute: @escaping @Sendable ([String]) throws -> [String: Feature]
    ) async throws -> [Feature] {
        let missing = codes.filter { byCode[$0] == nil }
        if !missing.isEmpty {
            let computed = try await offload { try compute(missing) }
            byCode.merge(computed) { a, _ in a }
        }
        return codes.compactMap { byCode[$0] }
    }
}

/// Runs CPU-bound work (GEOS, SQLite) off the cooperative pool: the reference outlines, each
/// computed once and cached (the per-request analyses go through `Workbench.pool`).
func offload<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { c in
        DispatchQueue.global(qos: .userInitiated).async { c.resume(with: Result { try work() }) }
    }
}
