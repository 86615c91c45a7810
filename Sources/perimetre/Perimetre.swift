import ArgumentParser

/// `perimetre`: analyses the perimeters of French Territoires d'industrie.
@main
struct Perimetre: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "perimetre",
        abstract: "Analyse les périmètres des Territoires d'industrie (contiguïté, enclaves, départements, frontières, règles du programme).",
        discussion: """
        Examples:
          perimetre check 200000172 200035442
          perimetre check --members Samples/vallee-de-l-arve.csv --format html -o rapport.html
          perimetre epci search "vallée de l'arve"
          perimetre data build && perimetre data info
        """,
        subcommands: [Check.self, AuditCommand.self, DiffCommand.self, MapCommand.self, EPCICommand.self, DataCommand.self, Benchmark.self, Serve.self]
    )
}
