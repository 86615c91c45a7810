import ArgumentParser
import Foundation
import PerimetreAnalysis
import PerimetreData
import PerimetreGeometry
import PerimetreReport

/// The options of the SVG poster (`map --format svg`, `audit --format svg`).
struct PosterCLIOptions: ParsableArguments {
    @Option(
        help: "Affiche SVG : taille de la page (a4, a3, a2, a1, a0 en paysage, a4-portrait…, ou LARGEURxHAUTEUR en mm)."
    )
    var size: String = "a4"
    @Option(
        name: .customLong("color-by"),
        help:
            "Affiche SVG : couleur par region, verdict ou une propriété des territoires (défaut : region pour map, verdict pour audit)."
    )
    var colorBy: String?
    @Option(help: "Affiche SVG : étiquettes id ou name (placées sans chevauchement quand c'est possible).")
    var labels: String?
    @Option(help: "Affiche SVG : titre.")
    var title: String?

    /// Refuses bad values before any analysis (French messages, exit 2 through reportingErrors).
    func check() throws {
        _ = try PosterPage.parse(size)
        if let l = labels, NationalPoster.Labels(rawValue: l) == nil {
            throw PosterError("--labels \(l) : valeur inconnue (attendu : id ou name)")
        }
    }

    /// Draws the poster of `map`; what could not be drawn as asked goes to stderr unless `quiet`.
    func render(
        map: NationalMap, audit: AuditResult, data: GeoData, territoriesFile: String,
        defaultColor: PosterColorBy, defaultTitle: String, quiet: Bool
    ) throws -> String {
        var o = NationalPoster.Options()
        o.page = try PosterPage.parse(size)
        o.colorBy = colorBy.map(PosterColorBy.init) ?? defaultColor
        o.labels = labels.flatMap(NationalPoster.Labels.init(rawValue:))
        o.title = title ?? defaultTitle
        o.subtitle =
            "\(map.features.count) territoires · couleur : \(o.colorBy.label.lowercased()) · \(URL(fileURLWithPath: territoriesFile).lastPathComponent)"
        o.sources = NationalPoster.sourcesLine(data, territoriesFile: territoriesFile)
        let background = try NationalPoster.background(data, simplifyMetres: nil)
        let (svg, report) = try NationalPoster.render(map: map, audit: audit, background: background, options: o)
        if !quiet {
            if !report.labelsSkipped.isEmpty {
                note(
                    "Affiche : \(report.labelsSkipped.count) étiquettes omises faute de place : \(report.labelsSkipped.joined(separator: ", "))."
                )
            }
            if !report.outsideFrames.isEmpty {
                note(
                    "Affiche : parties hors des cadres (non dessinées) pour \(report.outsideFrames.joined(separator: ", "))."
                )
            }
        }
        return svg
    }
}
