import ArgumentParser
import Foundation
import PerimetreAnalysis
import PerimetreData
import PerimetreServer

/// `perimetre serve`: the interactive perimeter workbench in the browser.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Atelier de périmètre interactif dans le navigateur (serveur local, sans accès à Internet).",
        discussion: """
        Serves one page and a small JSON API over the same analysis as `perimetre check`:
        POST /api/check {"members": [codes…], "against": [layer ids…]} answers the `check --format json` schema.
        Binds the loopback interface by default; every asset is served by the tool itself.

        Examples:
          perimetre serve                       # then open http://127.0.0.1:8080/
          perimetre serve --port 9000 --composition epcicom2025_commune_epci.csv
          perimetre serve --territories ti_2023_2027_membres.csv --against liste_crte_groupements_2022.csv
          open "http://127.0.0.1:8080/?departement=25,90&members=200065647,200069052"
          open "http://127.0.0.1:8080/#members=200065647,200069052&name=Nord"   # the link the page keeps up to date
        """)

    @Option(help: "Port TCP (0 : un port libre au hasard).")
    var port: Int = 8080
    @Option(help: "Adresse d'écoute (défaut : boucle locale uniquement).")
    var host: String = "127.0.0.1"
    @Option(parsing: .upToNextOption, help: "Couches de chevauchement à comparer (identifiant = nom du fichier sans extension).")
    var against: [String] = []
    @Option(help: ArgumentHelp("Fichier de territoires (tout fichier lu par `audit`, ex. la liste des TI) : « Partir de… » et contours sur la carte.",
                               valueName: "FILE"))
    var territories: String?
    @OptionGroup var reference: ReferenceOptions

    func validate() throws {
        if !(0...65535).contains(port) { throw ValidationError("--port must be between 0 and 65535") }
        for p in against where !FileManager.default.isReadableFile(atPath: p) {
            throw ValidationError("--against \(p): file not found or not readable")
        }
        if let p = territories, !FileManager.default.isReadableFile(atPath: p) {
            throw ValidationError("--territories \(p): file not found or not readable")
        }
    }

    func run() async throws {
        let (data, tables, layers) = try reportingErrors { () throws -> (GeoData, CompositionTables, [String: String]) in
            let (data, tables) = try reference.load()
            return (data, tables, try WorkbenchConfiguration.layerIDs(against))
        }
        if !["127.0.0.1", "localhost", "::1"].contains(host) {
            note("perimetre serve: attention : écoute sur \(host), le serveur est joignable depuis le réseau.")
        }
        let config = WorkbenchConfiguration(host: host, port: port, layers: layers, compositions: tables, territories: territories)
        let shownHost = host.contains(":") ? "[\(host)]" : host
        // Runs until SIGINT / SIGTERM (a graceful stop); a failure goes through the commands' one error mapping.
        let outcome: Result<Void, any Error>
        do {
            try await WorkbenchServer.run(config, data: data, signals: true) { bound in
                note("perimetre serve: atelier prêt sur http://\(shownHost):\(bound)/ (Ctrl-C pour arrêter)")
            }
            outcome = .success(())
        } catch {
            outcome = .failure(error)
        }
        try reportingErrors { try outcome.get() }
    }
}
