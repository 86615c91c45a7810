import ArgumentParser
import Foundation
import PerimetreAnalysis
import PerimetreData
import PerimetreServer

/// `perimetre serve`: the interactive perimeter workbench in the browser.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Atelier de périmètre interactif dans le navigateur (serveur local, sans accès à Internet).",
        discussion: HelpTexts.serve)

    @Option(help: "Port TCP (0 : un port libre au hasard).")
    var port: Int = 8080
    @Option(help: "Adresse d'écoute (défaut : boucle locale uniquement).")
    var host: String = "127.0.0.1"
    @Option(
        parsing: .upToNextOption,
        help: "Couches de chevauchement à comparer (identifiant = nom du fichier sans extension).")
    var against: [String] = []
    @Option(
        help: ArgumentHelp(
            "Fichier de territoires (tout fichier lu par `audit`, ex. la liste des TI) : « Partir de… » et contours sur la carte.",
            valueName: "FILE"))
    var territories: String?
    @OptionGroup var reference: ReferenceOptions

    /// Checked at the start of `run`, not in `validate()`: the argument parser would print its own English "Error:".
    func checkOptions() throws {
        if !(0...65535).contains(port) { throw ValidationError("--port doit être entre 0 et 65535") }
        for p in against where !FileManager.default.isReadableFile(atPath: p) {
            throw ValidationError("--against \(p) : fichier introuvable ou illisible")
        }
        if let p = territories, !FileManager.default.isReadableFile(atPath: p) {
            throw ValidationError("--territories \(p) : fichier introuvable ou illisible")
        }
    }

    func run() async throws {
        let (data, tables, layers) = try reportingErrors {
            () throws -> (GeoData, CompositionTables, [String: String]) in
            try checkOptions()
            let (data, tables) = try reference.load()
            return (data, tables, try WorkbenchConfiguration.layerIDs(against))
        }
        if !["127.0.0.1", "localhost", "::1"].contains(host) {
            note("perimetre serve: attention : écoute sur \(host), le serveur est joignable depuis le réseau.")
        }
        let config = WorkbenchConfiguration(
            host: host, port: port, layers: layers, compositions: tables, territories: territories)
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
