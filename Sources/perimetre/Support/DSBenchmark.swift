import Foundation
import PerimetreAnalysis
import PerimetreData
import PerimetreReport

/// `perimetre benchmark`'s Démarches Simplifiées figures: a DS export of the 183 TI 2023-2027 is
/// written (one dossier per territory, the first member in the Dossiers sheet's EPCI champ, the
/// others in a repeated block), then read in-process, and audited in fresh processes beside the
/// audit of the CSV it comes from.
enum DSBenchmark {
    /// The export's sheets, from the TI list by member.
    static func sheets(_ layer: TerritoryLayer, data: GeoData) -> (sheets: [XLSXWriter.Sheet], repetitionRows: Int) {
        func departement(_ code: String) -> XLSXWriter.Cell {
            guard let d = data.epci[code]?.departements.first else { return .text(" – ") }
            return .text("\(d) – \(data.departements[d]?.name ?? d)")
        }
        var dossiers: [[XLSXWriter.Cell]] = [
            [
                "ID", "Email", "État du dossier", "Dernière mise à jour le", "Déposé le",
                "Nom du territoire d'industrie", "EPCI porteur", "EPCI porteur (Code)",
                "EPCI porteur (Département)",
            ].map { .text($0) }
        ]
        var block: [[XLSXWriter.Cell]] = [
            ["Dossier ID", "Ligne", "EPCI membre", "EPCI membre (Code)", "EPCI membre (Département)"].map { .text($0) }
        ]
        for (k, t) in layer.territories.enumerated() {
            let id = String(30_000 + k)
            let first = t.members.first?.code ?? ""
            dossiers.append([
                .number(id), .text("candidature\(k)@example.fr"), .text("En instruction"), .number("45300.5"),
                .number(String(45_200 + k)), .text(t.name),
                .text(data.epci[first]?.name ?? t.members.first?.name ?? ""),
                .number(first), departement(first),
            ])
            for (l, m) in t.members.dropFirst().enumerated() {
                block.append([
                    .number(id), .number(String(l + 1)), .text(data.epci[m.code]?.name ?? m.name ?? ""),
                    .number(m.code),
                    departement(m.code),
                ])
            }
        }
        return (
            [
                .init(name: "Dossiers", rows: dossiers),
                .init(
                    name: "Etablissements", rows: [["Dossier ID", "Champ", "Établissement SIRET"].map { .text($0) }]),
                .init(name: "Avis", rows: [["Dossier ID", "Introduction", "Réponse"].map { .text($0) }]),
                .init(name: "(101) EPCI membres", rows: block),
            ], block.count - 1
        )
    }

    /// Writes the export next to `out`, prints the reading time (in-process median of `runs`) and
    /// returns its path.
    static func prepare(ti: String, data: GeoData, out: String, runs: Int) throws -> String {
        let (sheets, repetitions) = sheets(try TerritoryLayer.load(ti), data: data)
        let path = out + ".ds.xlsx"
        try AtomicFile.write(XLSXWriter.data(sheets), to: path)
        var times: [Double] = []
        var count = 0
        for _ in 0..<max(runs, 1) {
            let start = ContinuousClock.now
            count = try DemarchesSimplifiees.read([path]).dossiers.count
            let d = ContinuousClock.now - start
            times.append(Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
        }
        times.sort()
        let median = times[times.count / 2]
        print(
            String(
                format:
                    "  lecture d'un export DS XLSX, %d dossiers, %d lignes répétées (dans le processus) : médiane %.1f ms, min %.1f ms (objectif < 50 ms) %@",
                count, repetitions, median * 1000, times[0] * 1000, median <= 0.050 ? "ok" : "AU-DESSUS"))
        return path
    }
}
