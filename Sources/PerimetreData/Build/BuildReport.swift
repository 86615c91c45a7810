import Foundation
public import PerimetreGeometry

/// What the GeoData build found and did: every repair, fill and fallback, so nothing is silent.
public struct BuildReport: Sendable {
    /// One reported event of the build.
    public struct Item: Sendable {
        /// What kind of event it is (the build report's JSON `kind`).
        public enum Kind: String, Sendable {
            /// A commune without geometry rebuilt from its communes déléguées.
            case rebuiltFromDelegated = "rebuilt_from_delegated"
            /// A commune the source gives no separate geometry for (it lies in a neighbour's polygon).
            case noGeometry = "no_geometry"
            /// A hole of the coverage filled into a commune.
            case holeFilled = "hole_filled"
            /// A hole that is foreign territory (an enclave such as Llívia), left open.
            case foreignEnclave = "foreign_enclave"
            /// Two communes whose polygons overlap.
            case overlap = "overlap"
            /// A coverage union rejected and redone as a unary union.
            case unionFallback = "union_fallback"
            /// An invalid geometry repaired with make-valid.
            case repaired = "repaired"
            /// A commune that belongs to no EPCI (the island communes: a legal fact, not a defect).
            case noEPCI = "no_epci"
            /// A hole still open in a final layer.
            case holeLeft = "hole_left"
            /// Holes of a few square metres (numerical noise), counted per territory.
            case microHoles = "micro_holes"
            /// Holes of zero area (< 1 m²) removed from a dissolved unit: slits between its own communes.
            case slitRemoved = "slit_removed"
        }
        /// The level of the dissolve an event comes from (union fallbacks, slits).
        public enum Level: String, Sendable {
            /// The dissolve of communes into EPCI.
            case epci
            /// The dissolve of communes into départements.
            case departement
            /// How the reports name it.
            public var label: String { self == .epci ? "EPCI" : "département" }
        }
        /// What kind of event it is.
        public var kind: Kind
        /// The code concerned (commune INSEE, EPCI SIREN, département…), or several joined by `/`.
        public var code: String
        /// The area concerned (km²), 0 when the event has none.
        public var areaKm2: Double
        /// What happened, in French.
        public var detail: String
        /// The area concerned, lon/lat, when it has one (holes, overlaps).
        public var geometry: WKBGeometry?
        /// Set for the events of a dissolve: which level (the overlap search depends on it).
        public var level: Level? = nil
    }

    /// Every event, in the order the build met them.
    public var items: [Item] = []
    /// Features written per layer.
    public var counts: [(layer: String, count: Int)] = []
    /// Communes read per source type (commune, commune déléguée…).
    public var sourceTypeCounts: [(type: String, count: Int)] = []
    /// Seconds spent per step.
    public var timings: [(step: String, seconds: Double)] = []

    /// The events of one kind, in order.
    public func items(_ kind: Item.Kind) -> [Item] { items.filter { $0.kind == kind } }

    /// A French summary for the terminal.
    public func summary() -> String {
        var out = "Résumé de validation\n"
        out +=
            "  Lignes source par type : " + sourceTypeCounts.map { "\($0.type) \($0.count)" }.joined(separator: ", ")
            + "\n"
        for c in counts { out += "  \(c.layer) : \(c.count)\n" }
        func line(_ k: Item.Kind, _ label: String) {
            let xs = items(k)
            let area = xs.reduce(0) { $0 + $1.areaKm2 }
            out += "  \(label) : \(xs.count)" + (area > 0 ? String(format: " (%.3f km²)", area) : "") + "\n"
        }
        line(.rebuiltFromDelegated, "Communes reconstruites depuis leurs communes déléguées")
        line(.noGeometry, "Communes sans géométrie propre dans la source")
        line(.holeFilled, "Trous comblés")
        line(.foreignEnclave, "Enclaves étrangères laissées ouvertes")
        line(.overlap, "Paires de communes qui se chevauchent")
        line(.unionFallback, "Unions de couverture refaites en union simple")
        line(.repaired, "Géométries réparées")
        line(.noEPCI, "Communes sans EPCI (îles)")
        line(.holeLeft, "Trous restants")
        line(.microHoles, "Territoires avec micro-interstices (< 100 m², bruit numérique)")
        line(
            .slitRemoved, "Fentes de surface nulle retirées des unités dissoutes (communes mal raccordées entre elles)")
        return out
    }
}
