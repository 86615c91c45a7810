import ArgumentParser
import Foundation
import PerimetreAnalysis
import PerimetreData
import PerimetreGeometry
import PerimetreReport

enum MapLevel: String, ExpressibleByArgument, CaseIterable {
    case territory, member
    var level: MapOptions.Level { self == .territory ? .territory : .member }
}

enum MapFormat: String, ExpressibleByArgument, CaseIterable {
    case geojson, geojsonseq, gpkg, topojson, svg
}

/// `perimetre map`: the national map of a territory file, borders shared exactly between neighbours.
struct MapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "map",
        abstract:
            "Carte nationale des territoires (GeoJSON, GeoJSON Text Sequences, GeoPackage, TopoJSON, affiche SVG), frontières partagées à l'identique entre voisins.",
        discussion: HelpTexts.map)

    @Argument(help: "Fichier des territoires.")
    var territories: String
    @OptionGroup var reference: ReferenceOptions
    @Option(help: "Simplification des frontières partagées, tolérance en mètres.")
    var simplify: Double?
    @Option(help: "Décimales des coordonnées.")
    var precision: Int = 6
    @Option(help: "Niveau : territory (un objet par territoire) ou member (un objet par membre).")
    var level: MapLevel = .territory
    @Option(help: "Format : geojson, geojsonseq (RFC 8142), gpkg, topojson, svg (affiche).")
    var format: MapFormat = .geojson
    @Option(help: "TopoJSON : points de la grille de quantification par axe (défaut 1e5).")
    var quantize: Double = 100_000
    @Flag(name: .customLong("with-admin"), help: "TopoJSON : ajoute les objets departements et regions.")
    var withAdmin = false
    @OptionGroup var poster: PosterCLIOptions
    @Option(name: .customLong("min-area"), help: "Supprime les îlots (parties sans voisin) de moins de N km².")
    var minArea: Double?
    @Flag(help: "Ajoute la bbox de chaque objet.")
    var bbox = false
    @Option(name: .shortAndLong, help: "Fichier de sortie (défaut : sortie standard ; obligatoire pour gpkg).")
    var output: String?
    @Option(help: "Rapport JSON (territoires absents, sommets avant/après, taille).")
    var report: String?
    @Flag(help: "Pas de rapport sur la sortie d'erreur.")
    var quiet = false
    @Option(help: "Mesure : relance la commande N fois en processus neufs et affiche la médiane.")
    var benchmark: Int?

    /// Checked at the start of `run`, not in `validate()`: the argument parser would print its own English "Error:".
    func checkOptions() throws {
        if !(0...15).contains(precision) { throw ValidationError("--precision doit être entre 0 et 15") }
        if let s = simplify, !(s >= 0 && s.isFinite) {
            throw ValidationError("--simplify doit être un nombre positif de mètres")
        }
        if let m = minArea, !(m >= 0 && m.isFinite) {
            throw ValidationError("--min-area doit être un nombre positif de km²")
        }
        if format == .gpkg && (output == nil || output == "-") { throw ValidationError("--format gpkg needs -o FILE") }
        if let b = benchmark, b < 1 { throw ValidationError("--benchmark demande au moins 1 exécution") }
    }

    func run() throws {
        try reportingErrors { try checkOptions() }
        if let runs = benchmark { return try reportingErrors { try runBenchmark(runs) } }
        try reportingErrors {
            try checkOutputOptions()
            let start = ContinuousClock.now
            let data = try reference.open()
            let layer = try TerritoryLayer.load(territories)
            if layer.territories.isEmpty {
                throw ValidationError("\(territories) : aucun territoire dans le fichier ; aucun fichier écrit")
            }
            let tables = try reference.tables(for: layer.territories.flatMap(\.members), data: data)
            let audit = try Audit.run(
                layer, data: data, compositions: tables, options: AnalysisOptions(mapContext: false, remedies: false))
            let analysed = ContinuousClock.now
            var mapOptions = MapOptions(
                level: level.level, simplifyMetres: simplify, precision: precision, minAreaKm2: minArea)
            mapOptions.roundFeatures = format != .topojson && format != .svg
            var map = try NationalMap.build(audit, options: mapOptions)
            if map.features.isEmpty && (format == .topojson || format == .svg) {
                throw ValidationError(
                    "\(territories) : aucun territoire n'a pu être cartographié (\(map.failures.count) en échec) ; aucun fichier écrit"
                )
            }
            map.stats.timings.insert(("analysis", (analysed - start).seconds), at: 0)
            let written = ContinuousClock.now
            let (bytes, extra) = try write(map, audit: audit, data: data)
            map.stats.timings.append(("output", (ContinuousClock.now - written).seconds))
            map.stats.timings.append(("total", (ContinuousClock.now - start).seconds))
            if !quiet { FileHandle.standardError.write(Data((MapReport.text(map, outputBytes: bytes) + extra).utf8)) }
            if let report {
                try AtomicFile.write(
                    Data(try MapReport.json(map, outputBytes: bytes, output: output, format: format.rawValue).utf8),
                    to: report)
            }
        }
    }

    /// Writes the map in `format` to `output`; returns the bytes written and, for TopoJSON, the
    /// lines its figures add to the report.
    func write(_ map: NationalMap, audit: AuditResult, data: GeoData) throws -> (bytes: Int, extra: String) {
        switch format {
        case .topojson:
            let admin = withAdmin ? try AdminLayers.load(data) : nil
            let adminTopology = try admin.map { try $0.topology(simplifyMetres: simplify) }
            let topo = try TopoJSONWriter.write(map, admin: admin.map { ($0, adminTopology!) }, quantize: Int(quantize))
            try emit(topo.text, to: output)
            return (topo.text.utf8.count, MapReport.topoJSONText(topo.stats))
        case .svg:
            let text = try poster.render(
                map: map, audit: audit, data: data, territoriesFile: territories, defaultColor: .region,
                defaultTitle: "Carte nationale des territoires", quiet: quiet)
            try emit(text, to: output)
            return (text.utf8.count, "")
        case .geojson, .geojsonseq:
            let text =
                format == .geojson
                ? try MapWriter.geojson(map, bbox: bbox) : try MapWriter.geojsonSeq(map, bbox: bbox)
            try emit(text, to: output)
            return (text.utf8.count, "")
        case .gpkg:
            let path = output!
            try MapWriter.geopackage(map, to: path)
            return (((try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? Int) ?? 0, "")
        }
    }

    /// Checks of the TopoJSON and poster options, in French, before anything is written (exit 2).
    func checkOutputOptions() throws {
        if format == .topojson {
            guard quantize.isFinite, quantize >= 2, quantize <= 1e9, quantize == quantize.rounded() else {
                throw ValidationError(
                    "--quantize \(JSONValue.number(quantize).stringValue ?? "\(quantize)") : la grille de quantification doit être un nombre entier de points par axe entre 2 et 1e9 (par exemple 1e5) ; aucun fichier écrit"
                )
            }
        }
        if format == .svg { try poster.check() }
    }

    /// Reruns this command (without --benchmark) in fresh processes; median wall time and output size.
    func runBenchmark(_ runs: Int) throws {
        let exe = Bundle.main.executablePath ?? CommandLine.arguments[0]
        var argv: [String] = []
        var skip = false
        for a in CommandLine.arguments.dropFirst() {
            if skip {
                skip = false
                continue
            }
            if a == "--benchmark" {
                skip = true
                continue
            }
            if a.hasPrefix("--benchmark=") { continue }
            argv.append(a)
        }
        if output == nil { argv += ["-o", "/dev/null"] }
        if !argv.contains("--quiet") { argv.append("--quiet") }
        let times = try RunTimes([exe] + argv, runs: runs)
        let size = output.flatMap { (try? FileManager.default.attributesOfItem(atPath: $0)[.size]) as? Int }
        print("perimetre map — \(ProcessInfo.processInfo.activeProcessorCount) cœurs, \(runs) processus neufs")
        print("  \(times.summary)")
        if let size { print(String(format: "  sortie : %d octets (%.2f Mo)", size, Double(size) / 1_000_000)) }
    }
}
