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
    case geojson, geojsonseq, gpkg
}

/// `perimetre map`: the national map of a territory file, borders shared exactly between neighbours.
struct MapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "map",
        abstract: "Carte nationale des territoires (GeoJSON, GeoJSON Text Sequences, GeoPackage), frontières partagées à l'identique entre voisins.",
        discussion: """
        TERRITORIES is a territory file (ANCT's TI list by member or by commune, a generic CSV, a polygon
        layer). Every territory is analysed as by `perimetre check`; one feature per territory (or per
        member with --level member) carries its dissolved outline and its facts. Shared borders are split
        into arcs stored once, simplified once (--simplify, metres, end nodes fixed, no crossing created)
        and rounded once (--precision), so neighbours share exactly the same border and every polygon is
        valid once rounded. Territories that cannot be resolved are listed on stderr and in --report.

        Examples:
          perimetre map ti_2023_2027_membres.csv --composition epcicom2025_commune_epci.csv -o ti.geojson
          perimetre map ti.csv --simplify 100 --precision 5 --bbox -o ti-web.geojson --report ti-web.json
          perimetre map ti.csv --level member --format gpkg -o ti-membres.gpkg
          perimetre map ti.csv --simplify 100 -o /tmp/ti.geojson --benchmark 5
        """)

    @Argument(help: "Fichier des territoires.")
    var territories: String
    @OptionGroup var reference: ReferenceOptions
    @Option(help: "Simplification des frontières partagées, tolérance en mètres.")
    var simplify: Double?
    @Option(help: "Décimales des coordonnées.")
    var precision: Int = 6
    @Option(help: "Niveau : territory (un objet par territoire) ou member (un objet par membre).")
    var level: MapLevel = .territory
    @Option(help: "Format : geojson, geojsonseq (RFC 8142), gpkg.")
    var format: MapFormat = .geojson
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

    func validate() throws {
        if !(0...15).contains(precision) { throw ValidationError("--precision must be between 0 and 15") }
        if let s = simplify, !(s >= 0 && s.isFinite) { throw ValidationError("--simplify must be a positive number of metres") }
        if let m = minArea, !(m >= 0 && m.isFinite) { throw ValidationError("--min-area must be a positive number of km²") }
        if format == .gpkg && (output == nil || output == "-") { throw ValidationError("--format gpkg needs -o FILE") }
        if let b = benchmark, b < 1 { throw ValidationError("--benchmark needs at least 1 run") }
    }

    func run() throws {
        if let runs = benchmark { return try reportingErrors { try runBenchmark(runs) } }
        try reportingErrors {
            let start = ContinuousClock.now
            let (data, tables) = try reference.load()
            let layer = try TerritoryLayer.load(territories)
            if layer.territories.isEmpty { throw ValidationError("\(territories): no territory in the file") }
            let audit = try Audit.run(layer, data: data, compositions: tables, options: AnalysisOptions(mapContext: false, remedies: false))
            let analysed = ContinuousClock.now
            var map = try NationalMap.build(audit, options: MapOptions(level: level.level, simplifyMetres: simplify,
                                                                       precision: precision, minAreaKm2: minArea))
            map.stats.timings.insert(("analysis", (analysed - start).seconds), at: 0)
            let written = ContinuousClock.now
            var bytes: Int
            switch format {
            case .geojson, .geojsonseq:
                let text = format == .geojson ? try MapWriter.geojson(map, bbox: bbox) : try MapWriter.geojsonSeq(map, bbox: bbox)
                bytes = text.utf8.count
                try emit(text, to: output)
            case .gpkg:
                let path = output!
                try MapWriter.geopackage(map, to: path)
                bytes = ((try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? Int) ?? 0
            }
            map.stats.timings.append(("output", (ContinuousClock.now - written).seconds))
            map.stats.timings.append(("total", (ContinuousClock.now - start).seconds))
            if !quiet { FileHandle.standardError.write(Data(MapReport.text(map, outputBytes: bytes).utf8)) }
            if let report {
                try AtomicFile.write(Data(try MapReport.json(map, outputBytes: bytes, output: output, format: format.rawValue).utf8),
                                     to: report)
            }
        }
    }

    /// Reruns this command (without --benchmark) in fresh processes; median wall time and output size.
    func runBenchmark(_ runs: Int) throws {
        let exe = Bundle.main.executablePath ?? CommandLine.arguments[0]
        var argv: [String] = []
        var skip = false
        for a in CommandLine.arguments.dropFirst() {
            if skip { skip = false; continue }
            if a == "--benchmark" { skip = true; continue }
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
