import ArgumentParser
import Foundation
import PerimetreAnalysis
import PerimetreData
import PerimetreGeometry
import PerimetreReport

/// `perimetre diff BEFORE AFTER`: what an amendment of a labelled perimeter changes (FAQ 2.3).
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract:
            "Compare un périmètre labellisé et sa modification : ajouts, retraits, chiffres, constats, régions, verdict « à la marge ».",
        discussion: HelpTexts.diff)

    @Argument(help: "Périmètre labellisé : fichier, FICHIER#ID ou codes séparés par des virgules.")
    var before: String
    @Argument(help: "Périmètre modifié : fichier, FICHIER#ID ou codes séparés par des virgules.")
    var after: String
    @OptionGroup var reference: ReferenceOptions
    @Option(name: .customLong("against"), help: "Couche d'autres territoires (CRTE, TI…) ; répétable.")
    var layers: [String] = []
    @Option(help: "Part maximale de la population ajoutée et retirée pour une modification à la marge, en %.")
    var maxPopulationChange: Double = 10
    @Option(help: "Part maximale de la surface ajoutée et retirée pour une modification à la marge, en %.")
    var maxAreaChange: Double = 10
    @Option(help: "Tolérance de contiguïté, en mètres.")
    var tolerance: Double = 100
    @Option(help: "Format de sortie : text, json, geojson, html.")
    var format: OutputFormat = .text
    @Option(name: .shortAndLong, help: "Fichier de sortie (défaut : sortie standard).")
    var output: String?
    @Flag(help: "Code de sortie 1 si la modification n'est pas à la marge.")
    var strict = false

    /// Checked at the start of `run`, not in `validate()`: the argument parser would print its own English "Error:".
    func checkOptions() throws {
        if !(0...100).contains(maxPopulationChange) || !(0...100).contains(maxAreaChange) {
            throw ValidationError("--max-population-change and --max-area-change are percentages between 0 and 100")
        }
        if tolerance < 0 { throw ValidationError("--tolerance doit être positive") }
    }

    func run() throws {
        let diff = try reportingErrors { () throws -> PerimeterDiff in
            try checkOptions()
            let options = AnalysisOptions(
                toleranceMetres: tolerance, mapContext: false,
                shapes: format == .html || format == .geojson, remedies: false)
            let b = try DiffOperand.request(before, label: "BEFORE", options: options)
            let a = try DiffOperand.request(after, label: "AFTER", options: options)
            // Both sides of a text or JSON report are answered from the reference topology.
            let data = try reference.open(
                topology: (format == .text || format == .json) && tolerance == TopologyParameters.toleranceMetres)
            // Maps project both sides; a text or JSON diff rarely does (only for a neighbour's
            // exclave), and loading libproj for nothing would cost more than it saves.
            if format == .html || format == .geojson { warmUpPROJ(data) }
            let (tables, against) = try reference.tablesAndLayers(
                for: b.members + a.members, layers: layers, data: data)
            let d = try PerimeterDiff.run(
                before: b, after: a, data: data, compositions: tables, against: against,
                thresholds: .init(population: maxPopulationChange / 100, area: maxAreaChange / 100),
                shapes: format == .html || format == .geojson)
            let text: String
            switch format {
            case .text: text = DiffReport.text(d)
            case .json: text = try DiffReport.json(d)
            case .geojson: text = try DiffReport.geojson(d)
            case .html: text = DiffReport.html(d)
            }
            try emit(text, to: output)
            if d.identical { note("perimetre diff : les deux périmètres sont identiques (aucune différence).") }
            printProfileIfEnabled()
            keepUntilExit(data)
            return d
        }
        if strict && !diff.marginal { throw ExitCode(1) }
    }
}

/// Loads libproj (about 10 ms: it opens 40 libraries) on a thread of its own while the two sides
/// are resolved: both project for a map, and the first to do so would otherwise load it with the
/// other side waiting. Not on a Dispatch worker: the second side would wait for that worker.
/// Only through a pipeline `data build` registered: no search of proj.db.
func warmUpPROJ(_ data: GeoData) {
    guard data.metadata[GeoData.pipelineKey(from: "EPSG:4326", to: "EPSG:2154")] != nil else { return }
    Thread.detachNewThread { _ = try? CoordinateTransformer(from: "EPSG:4326", to: "EPSG:2154") }
}
