import ArgumentParser
import Foundation
import PerimetreAnalysis
import PerimetreData
import PerimetreGeometry
import PerimetreReport

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, geojson, html
}

/// Options shared by the commands that resolve members.
struct ReferenceOptions: ParsableArguments {
    @Option(
        name: .customLong("composition"),
        help: "Table de composition (DGCL EPCI, BANATIC SIREN↔INSEE, EPT) ; répétable.")
    var compositions: [String] = []
    @Option(help: "GeoPackage de référence (défaut : $PERIMETRE_GEODATA ou GeoData/france-2026.gpkg).")
    var geodata: String?

    /// The reference data and every row of the composition tables (a server answers any code).
    func load() throws -> (GeoData, CompositionTables) {
        let data = try GeoData.open(geodata)
        return (data, try CompositionTables.load(compositions))
    }

    func open() throws -> GeoData { try GeoData.open(geodata) }

    /// The reference data, with the EPCI topology read at the same time when `topology`: for a
    /// command whose analysis will read it (members answered from the reference topology).
    func open(topology: Bool) throws -> GeoData {
        topology ? try GeoData.openWithEPCITopology(geodata) : try GeoData.open(geodata)
    }

    /// The composition tables, with only the rows `members` may look up: a batch whose members
    /// are known reads the national tables without building their 35,000 rows.
    func tables(for members: [MemberInput], data: GeoData) throws -> CompositionTables {
        try CompositionTables.load(compositions, only: Resolution.compositionCodes(members, data: data))
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Analyse complète d'un périmètre proposé (membres ou polygone).",
        discussion: HelpTexts.check)

    @Argument(help: "Codes des membres.")
    var codes: [String] = []
    @Option(help: "Fichier des membres (CSV avec une colonne de codes, JSON, ou format ANCT des territoires).")
    var members: String?
    @Option(help: "Périmètre dessiné (GeoJSON, lon/lat).")
    var geometry: String?
    @Option(help: "Identifiant du périmètre (et, dans un fichier de plusieurs territoires, celui à analyser).")
    var id: String?
    @Option(help: "Nom du périmètre.")
    var name: String?
    @OptionGroup var reference: ReferenceOptions
    @Option(
        name: .customLong("against"), help: "Couche d'autres territoires (CRTE, TI, polygones) à comparer ; répétable.")
    var layers: [String] = []
    @Option(help: "Tolérance de contiguïté et d'interstice, en mètres.")
    var tolerance: Double = 100
    @Option(help: "Distance à une frontière terrestre en deçà de laquelle le périmètre est frontalier, en mètres.")
    var borderDistance: Double = 3000
    @Option(help: "Format de sortie : text, json, geojson, html.")
    var format: OutputFormat = .text
    @Option(help: "Décimales des coordonnées GeoJSON.")
    var precision: Int = 6
    @Option(name: .shortAndLong, help: "Fichier de sortie (défaut : sortie standard).")
    var output: String?
    @Flag(help: "Code de sortie 1 si un constat est bloquant.")
    var strict = false
    @Flag(name: .customLong("no-remedies"), help: "Sans les pistes (ce qu'il faudrait changer).")
    var noRemedies = false
    @Flag(
        name: .customLong("no-topology"),
        help:
            "Tout depuis la géométrie, sans la topologie de référence (la référence contre laquelle elle est éprouvée ; plus lent, mêmes réponses)."
    )
    var noTopology = false

    /// Checked at the start of `run`, not in `validate()`: the argument parser would print its own English "Error:".
    func checkOptions() throws {
        if codes.isEmpty && members == nil && geometry == nil {
            throw ValidationError("donnez des codes de membres, --members FICHIER ou --geometry FICHIER")
        }
        if geometry != nil && (!codes.isEmpty || members != nil) {
            throw ValidationError("--geometry ne se combine pas avec des codes de membres")
        }
        if !(0...15).contains(precision) { throw ValidationError("--precision doit être entre 0 et 15") }
        if tolerance < 0 || borderDistance < 0 { throw ValidationError("les distances doivent être positives") }
    }

    func run() throws {
        let result = try reportingErrors { () throws -> CheckResult in
            try checkOptions()
            // Members in a text or JSON report, at the tolerance of the tables, are answered
            // from the reference topology.
            let data = try reference.open(
                topology: geometry == nil && !noTopology && (format == .text || format == .json)
                    && tolerance == TopologyParameters.toleranceMetres)
            var inputs = codes.enumerated().map { MemberInput(code: $1, origin: "argument \($0 + 1)") }
            var fileID: String? = nil
            var fileName: String? = nil
            if let m = members {
                let f = try MemberFile.read(m, territory: id)
                inputs += f.members
                fileID = f.id ?? URL(fileURLWithPath: m).deletingPathExtension().lastPathComponent
                // A sample's first comment line reads "Name (…): what it shows".
                fileName =
                    f.name
                    ?? f.comments.first.map { c in
                        String(c.prefix { $0 != ":" && $0 != "(" }).trimmingCharacters(in: .whitespaces)
                    }
            }
            var shape: Shape? = nil
            if let g = geometry {
                let fs = try GeoJSONReader.read(contentsOf: g)
                let polys = fs.compactMap(\.geometry).flatMap(\.polygons)
                guard !polys.isEmpty else { throw CheckError.configuration("\(g) : aucun polygone dans le GeoJSON") }
                shape = .multiPolygon(polys)
                do { try PerimeterCheck.validateDrawn(.multiPolygon(polys)) } catch {
                    throw CheckError.configuration("\(g) : \(error)")
                }
                fileName = fileName ?? fs.first?.properties["name"]?.stringValue
            }
            let req = PerimeterRequest(
                id: id ?? fileID ?? "", name: name ?? fileName ?? "", members: inputs, geometry: shape,
                options: AnalysisOptions(
                    toleranceMetres: tolerance, borderDistanceMetres: borderDistance,
                    mapContext: format == .html || format == .geojson,
                    shapes: format == .html || format == .geojson, topology: !noTopology,
                    remedies: !noRemedies))
            let (tables, against) = try reference.tablesAndLayers(for: inputs, layers: layers, data: data)
            let session = try data.session()
            let result = try PerimeterCheck.run(
                req, data: data, compositions: tables, against: against, session: session)
            let text: String
            switch format {
            case .text: text = TextReport.render(result)
            case .json: text = try JSONReport.render(result)
            case .geojson: text = try GeoJSONReport.render(result, precision: precision)
            case .html: text = HTMLReport.render(result)
            }
            try emit(text, to: output)
            printProfileIfEnabled()
            keepUntilExit(data, session)
            return result
        }
        if strict && result.hasBlockingFinding { throw ExitCode(1) }
    }
}

struct EPCICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "epci", abstract: "Recherche d'EPCI.", subcommands: [EPCISearch.self])
}

struct EPCISearch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Trouve un EPCI par son nom (sans accents ni majuscules), son département ou son SIREN.",
        discussion: HelpTexts.epciSearch)

    @Argument(help: "Texte, code de département ou SIREN.")
    var text: String
    @Option(help: "Format : text ou json.")
    var format: OutputFormat = .text
    @Option(help: "GeoPackage de référence.")
    var geodata: String?
    @Option(help: "Nombre maximal de résultats.")
    var limit = 50

    func run() throws {
        try reportingErrors {
            let data = try GeoData.open(geodata)
            let found = Array(data.searchEPCI(text).prefix(limit))
            if format == .json {
                let v = JSONValue.array(
                    found.map { e in
                        .object([
                            "code": .string(e.code), "name": .string(e.name), "nature": .string(e.nature),
                            "departements": .array(e.departements.map { .string($0) }),
                            "population": .int(e.population),
                            "commune_count": .int(e.communeCount),
                        ])
                    })
                print(try JSONWriter(pretty: true).string(v))
                return
            }
            if found.isEmpty { note("Aucun EPCI ne correspond à « \(text) ».") }
            for e in found {
                print(
                    "\(e.code)  \(e.name)  [\(e.nature), dép. \(e.departements.joined(separator: ", ")), \(e.population) hab.]"
                )
            }
        }
    }
}
