import PerimetreData

/// Where the EPCI adjacency graph comes from: the `epci_adjacency` table that `perimetre data
/// build` computes once from the repaired coverage. Only shared borders join two EPCI (a point
/// contact or a contact within the tolerance does not), as ``ContiguityAnalysis`` decides.
enum EPCIGraphSource {
    /// The shared-border pairs, each once with `a < b`, in the table's order.
    static func pairs(_ data: GeoData) throws -> [(String, String)] {
        try data.epciAdjacency().filter { $0.kind == .sharedBorder }.map { ($0.a, $0.b) }
    }

    /// The shared-border pairs, sorted.
    static func edges(_ data: GeoData) throws -> [EPCIEdge] {
        try pairs(data).map { EPCIEdge(a: $0.0, b: $0.1) }.sorted { ($0.a, $0.b) < ($1.a, $1.b) }
    }
}

/// Two EPCI sharing a border of positive length.
struct EPCIEdge: Sendable, Hashable {
    var a: String
    var b: String
}
