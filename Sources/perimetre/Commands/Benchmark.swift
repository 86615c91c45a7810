import ArgumentParser
import Foundation
import PerimetreData

/// Prints the speed figures the issues set targets for, measured as a user would see them:
/// each run is a fresh process (cold start), the median of N runs is reported.
struct Benchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "benchmark",
        abstract: "Mesure les temps de référence (processus neufs, médiane de N exécutions).",
        discussion: HelpTexts.benchmark)

    @Option(help: "Exécutions par mesure.")
    var runs = 10
    @Flag(help: "Mesure aussi la construction complète des données (≈ 15 s, 1 exécution).")
    var build = false
    @Option(help: "GeoPackage de référence.")
    var geodata: String?
    @Option(
        help:
            "Dossier des données publiques partagées (listes de Territoires d'industrie, tables de composition) pour l'audit et la carte."
    )
    var shared = "../shared/data"
    @Option(
        help: "Python du pair de référence (../shared/bench/README.md), mesuré en alternance avec l'audit national.")
    var peer: String?

    func run() throws {
        try reportingErrors {
            let data = try GeoData.open(geodata)
            let exe = Bundle.main.executablePath ?? CommandLine.arguments[0]
            var common: [String] = []
            if let g = geodata { common = ["--geodata", g] }
            print(
                "perimetre benchmark — \(ProcessInfo.processInfo.activeProcessorCount) cœurs, médiane de \(runs) processus neufs"
            )
            try checkFigures(exe: exe, data: data, common: common)
            let ti = shared + "/territoires-industrie-2023-2027/ti_2023_2027_membres.csv"
            if FileManager.default.fileExists(atPath: ti) {
                try nationalFigures(exe: exe, ti: ti, data: data, common: common)
            } else {
                print("  (audit et carte non mesurés : \(ti) absent ; --shared DIR)")
            }
            if build {
                let tmp = NSTemporaryDirectory() + "perimetre-bench-\(getpid()).gpkg"
                defer { try? FileManager.default.removeItem(atPath: tmp) }
                print("data build (1 exécution) :")
                let (t, out) = try timeRun([exe, "data", "build", "--timings", "--quiet", "-o", tmp])
                print(out.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
                print(String(format: "  mesuré de l'extérieur : %.2f s (objectif < 15 s)", t))
            }
        }
    }

    /// `data info`, `check` of 5, 50 and 10 EPCI (CLI and API), generated options, `diff`, remedies.
    func checkFigures(exe: String, data: GeoData, common: [String]) throws {
        let five = ["200065647", "200069052", "200069060", "247000722", "249000241"]
        // 50 EPCI of Bretagne and Pays de la Loire, by SIREN: a realistic large regional option.
        let fifty = data.epci.values.filter { $0.regions.contains("53") }.map(\.code).sorted().prefix(50)
        try measure("data info", [exe, "data", "info"] + common, target: 0.100)
        try measure("check, 5 EPCI (Nord Franche-Comté)", [exe, "check"] + five + common, target: 0.040)
        try measure("check, \(fifty.count) EPCI (Bretagne)", [exe, "check"] + fifty + common, target: 1.0)
        try measure(
            "check --format json, 5 EPCI", [exe, "check", "--format", "json"] + five + common, target: 0.040)
        // A realistic option for the API: 10 neighbouring EPCI grown from the Pays de Montbéliard.
        var ten = ["200065647"]
        let topo = try data.epciTopology()
        while ten.count < 10,
            let next = ten.lazy.flatMap({
                topo.pairs(of: $0).filter { $0.pair.kind == .sharedBorder }.map(\.other).sorted()
            })
            .first(where: { !ten.contains($0) })
        { ten.append(next) }
        try apiCheckFigures(exe: exe, ten: ten, common: common)
        try generatedOptionsFigures(
            exe: exe, data: data, common: common, out: NSTemporaryDirectory() + "perimetre-bench-\(getpid())")
        // Two options of 10 EPCI that differ by one EPCI out and one in (perimetre diff).
        let tenBefore = fifty.prefix(10).joined(separator: ",")
        let tenAfter = fifty.dropFirst().prefix(10).joined(separator: ",")
        try measure("diff, 2 options de 10 EPCI", [exe, "diff", tenBefore, tenAfter] + common, target: 0.060)
        // Remedies: Amiens Métropole, three of its neighbours and the Pays du Coquelicot, 5.6 km
        // away (two components: a connect remedy), with and without.
        let split = ["248000531", "200070969", "200071181", "200071223", "248000747"]
        try measure("check, 5 EPCI non contigus, avec pistes", [exe, "check"] + split + common, target: 0.040)
        try measure(
            "check, 5 EPCI non contigus, --no-remedies", [exe, "check", "--no-remedies"] + split + common,
            target: 0.040)
    }

    /// The audit and the map of the 183 TI (`ti`), with the shared composition tables.
    func nationalFigures(exe: String, ti: String, data: GeoData, common: [String]) throws {
        let comp = ["epcicom2025_commune_epci.csv", "banatic_siren_insee.csv", "ept_composition_2025.csv"]
            .flatMap { ["--composition", shared + "/commune-epci-dgcl-2025/" + $0] }
        let layer = ["--against", shared + "/territoires-industrie-2019-2022/ti_149_membres.csv"]
        let out = NSTemporaryDirectory() + "perimetre-bench-\(getpid())"
        defer {
            for e in ["txt", "json", "geojson", "s.geojson", "topojson", "svg"] {
                try? FileManager.default.removeItem(atPath: out + "." + e)
            }
        }
        try auditFigures(exe: exe, ti: ti, comp: comp, common: common, out: out)
        try measure(
            "audit, 183 TI 2023-2027 + 1 couche (149 TI 2019-2022)",
            [exe, "audit", ti, "--quiet", "-o", out + ".txt"] + layer + comp + common, target: 0.5)
        let crte = shared + "/crte-2022/liste_crte_groupements_2022.csv"
        if FileManager.default.fileExists(atPath: crte) {
            try crteOverhead(exe: exe, ti: ti, crte: crte, comp: comp, common: common, out: out)
        }
        // The same 183 TI as a Démarches Simplifiées export: reading it, and the audit from it vs from the CSV.
        let ds = try DSBenchmark.prepare(ti: ti, data: data, out: out, runs: runs)
        defer { try? FileManager.default.removeItem(atPath: ds) }
        // In turns: on a shared machine, a series after the other measured mostly the load.
        let (fromCSV, fromDS, gap, _) = try RunTimes.interleaved(
            [exe, "audit", ti, "--quiet", "-o", out + ".txt"] + comp + common,
            [exe, "audit", ds, "--quiet", "-o", out + ".txt"] + comp + common, runs: runs)
        print("  audit, 183 TI depuis le CSV : \(fromCSV.summary)")
        print(
            "  audit, 183 TI depuis l'export DS XLSX : \(fromDS.summary) — écart \(String(format: "%+.0f", gap * 1000)) ms (médiane des écarts deux à deux, exécutions alternées ; objectif ≤ 50 ms) \(gap <= 0.050 ? "ok" : "AU-DESSUS")"
        )
        try measure(
            "audit, 183 TI, --no-remedies (les pistes coûtent la différence, objectif ≤ 20 ms)",
            [exe, "audit", ti, "--quiet", "--no-remedies", "-o", out + ".txt"] + layer + comp + common,
            target: 0.5)
        try mapFigures(exe: exe, ti: ti, comp: comp, common: common, out: out)
    }

    /// The CRTE 2022 layer must cost at most 20 % over the same audit without a layer: runs in
    /// turns, the median of the paired ratios (one series after the other measured the load).
    func crteOverhead(exe: String, ti: String, crte: String, comp: [String], common: [String], out: String) throws {
        let (without, with, _, ratio) = try RunTimes.interleaved(
            [exe, "audit", ti, "--quiet", "-o", out + ".txt"] + comp + common,
            [exe, "audit", ti, "--quiet", "-o", out + ".txt", "--against", crte] + comp + common, runs: runs)
        print("  audit, 183 TI sans couche : \(without.summary)")
        print("  audit, 183 TI + CRTE 2022 : \(with.summary)")
        print(
            String(
                format:
                    "  surcoût de la couche CRTE 2022 (rapports deux à deux, exécutions alternées) : %+.1f %% (objectif ≤ +20 %%) ",
                (ratio - 1) * 100)
                + (ratio <= 1.2 ? "ok" : "AU-DESSUS"))
    }

    /// `map` of the 183 TI: GeoJSON, simplified, TopoJSON, SVG poster; times and sizes.
    func mapFigures(exe: String, ti: String, comp: [String], common: [String], out: String) throws {
        func size(_ path: String) -> Int {
            (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        }
        try measure("map, 183 TI", [exe, "map", ti, "-o", out + ".geojson"] + comp + common, target: 1.0)
        try measure(
            "map --simplify 100, 183 TI",
            [exe, "map", ti, "--simplify", "100", "-o", out + ".s.geojson"] + comp + common, target: 2.0)
        print(
            String(
                format: "  taille de la carte simplifiée à 100 m : %.2f Mo (objectif < 5 Mo)",
                Double(size(out + ".s.geojson")) / 1e6))
        try measure(
            "map --format topojson, 183 TI",
            [exe, "map", ti, "--format", "topojson", "--quiet", "-o", out + ".topojson"] + comp + common,
            target: 1.0)
        let topoSize = size(out + ".topojson")
        print(
            String(
                format: "  taille du TopoJSON (quantification 1e5) : %d octets, %.0f Kio (objectif ≤ 600 Ko)",
                topoSize, Double(topoSize) / 1024))
        try measure(
            "map --format svg, 183 TI",
            [exe, "map", ti, "--format", "svg", "--quiet", "-o", out + ".svg"] + comp + common, target: 1.5)
        print(String(format: "  taille de l'affiche SVG : %.2f Mo (objectif ≤ 3 Mo)", Double(size(out + ".svg")) / 1e6))
    }

    func measure(_ label: String, _ argv: [String], target: Double) throws {
        let t = try RunTimes(argv, runs: runs)
        print(
            "  \(label) : \(t.summary) (objectif < \(String(format: "%.0f", target * 1000)) ms) \(t.median <= target ? "ok" : "AU-DESSUS")"
        )
    }
}
