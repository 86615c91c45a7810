import ArgumentParser

/// `perimetre`: analyses the perimeters of French Territoires d'industrie.
@main
struct Perimetre: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "perimetre",
        abstract:
            "Analyse les périmètres des Territoires d'industrie (contiguïté, enclaves, départements, frontières, règles du programme).",
        discussion: HelpTexts.root,
        subcommands: [
            Check.self, AuditCommand.self, DiffCommand.self, MapCommand.self, EPCICommand.self, DataCommand.self,
            Benchmark.self, Serve.self,
        ]
    )
}
