import Foundation
import PerimetreAnalysis
import PerimetreData
import PerimetreGeometry
import PerimetreTestSupport
import Testing

// Helpers of the territory-layer, overlap and audit tests (OverlapTests, AuditTests,
// TerritoryLayerTests). Names start with `AT`/`at` so they never clash with the helpers of the
// other test files of this target; the reference data, the CSV parser and the CLI runner are the
// shared ones of TestSupport.swift.
//
// Expected values come from the hand-written fixtures, from the public tables in ../shared/data
// read with `parseCSV`, and from polygons measured here — never from the tool's own output.

/// The shared data of the `check` tests, plus the 2019-2022 list the audit is compared against.
let atHasSharedData = TestPaths.hasSharedData && FileManager.default.fileExists(atPath: TestPaths.tiMembers2019)

/// A TI list by member (`id_ti,lib_ti,siren_membre,…`), as the tests read it.
struct ATTIList {
    /// Territory ids in order of first appearance.
    var order: [String] = []
    var names: [String: String] = [:]
    var members: [String: [String]] = [:]
    var types: [String: String] = [:]

    init(_ path: String) throws {
        let t = try parseCSV(path)
        let ci = try #require(t.header.firstIndex(of: "id_ti"))
        let cn = try #require(t.header.firstIndex(of: "lib_ti"))
        let cm = try #require(t.header.firstIndex(of: "siren_membre"))
        let ct = try #require(t.header.firstIndex(of: "type_membre"))
        for r in t.rows {
            if members[r[ci]] == nil {
                order.append(r[ci])
                names[r[ci]] = r[cn]
            }
            members[r[ci], default: []].append(r[cm])
            types[r[cm]] = r[ct]
        }
    }
}

// MARK: - Analysis against territory layers

/// `perimetre check` on member codes (library call) against layers.
func atCheck(_ codes: [String], against: [ResolvedLayer], tables: CompositionTables = .init()) throws -> CheckResult {
    try PerimeterCheck.run(
        memberRequest(codes, options: AnalysisOptions(mapContext: false)),
        data: try geoData(), compositions: tables, against: against)
}

/// Loads and resolves a layer file.
func atLayer(_ path: String, tables: CompositionTables = .init()) throws -> ResolvedLayer {
    try ResolvedLayer.resolve(try TerritoryLayer.load(path), data: try geoData(), compositions: tables)
}

// MARK: - Hand-written fixtures

enum ATFixtures {
    /// A CRTE list by groupement, written by hand with real EPCI of Doubs, Territoire de Belfort
    /// and Haute-Saône: (id_crte, lib_crte, siren_groupement, nature_juridique, lib_groupement).
    static let crteRows: [(id: String, name: String, siren: String, nature: String, member: String)] = [
        ("crte-25-01", "Pays de Montbéliard, Héricourt", "200065647", "CA", "CA Pays de Montbéliard Agglomération"),
        ("crte-25-01", "Pays de Montbéliard, Héricourt", "247000722", "CC", "CC du Pays d'Héricourt"),
        ("crte-90-01", "Territoire de Belfort", "200069052", "CA", "CA Grand Belfort"),
        ("crte-90-01", "Territoire de Belfort", "200069060", "CC", "CC des Vosges du Sud"),
        ("crte-90-01", "Territoire de Belfort", "249000241", "CC", "CC du Sud Territoire"),
        ("crte-25-02", "Pays Horloger", "200023075", "CC", "CC du Pays de Maîche"),
        ("crte-25-02", "Pays Horloger", "242504116", "CC", "CC du Val de Morteau"),
        ("crte-25-02", "Pays Horloger", "242504355", "CC", "CC du Plateau de Russey"),
    ]
    static let crteIDs = ["crte-25-01", "crte-90-01", "crte-25-02"]
    static func crteMembers(_ id: String) -> [String] { crteRows.filter { $0.id == id }.map(\.siren) }

    /// The CRTE list as ANCT publishes it, with `separator`, an optional BOM and CRLF line ends.
    static func crte(separator: String = ",", bom: Bool = false, crlf: Bool = false) -> String {
        func cell(_ s: String) -> String {
            s.contains(separator) || s.contains("\"") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        let nl = crlf ? "\r\n" : "\n"
        var out = bom ? "\u{FEFF}" : ""
        out +=
            ["id_crte", "lib_crte", "type_grp_crte", "siren_groupement", "nature_juridique", "lib_groupement"].joined(
                separator: separator) + nl
        for r in crteRows {
            out += [r.id, r.name, "EPCI", r.siren, r.nature, r.member].map(cell).joined(separator: separator) + nl
        }
        return out
    }

    /// Two candidatures in the TI by-member layout, then one made of unknown codes only, then a fourth.
    static let candidatures = """
        id_ti,lib_ti,siren_membre,nom_membre,type_membre
        cand-b,Nord Franche-Comté,200065647,CA Pays de Montbéliard Agglomération,EPCI
        cand-b,Nord Franche-Comté,247000722,CC du Pays d'Héricourt,EPCI
        cand-a,Territoire de Belfort,200069052,CA Grand Belfort,EPCI
        cand-a,Territoire de Belfort,200069060,CC des Vosges du Sud,EPCI
        cand-a,Territoire de Belfort,249000241,CC du Sud Territoire,EPCI
        cand-x,Candidature fautive,999999999,Inconnu,EPCI
        cand-x,Candidature fautive,123456789,Inconnu aussi,EPCI
        cand-h,Pays Horloger,200023075,CC du Pays de Maîche,EPCI
        cand-h,Pays Horloger,242504116,CC du Val de Morteau,EPCI
        cand-h,Pays Horloger,242504355,CC du Plateau de Russey,EPCI

        """
    static let candidatureOrder = ["cand-b", "cand-a", "cand-x", "cand-h"]

    /// Two candidatures that both claim the CC du Pays d'Héricourt (247000722).
    static let conflicting = """
        id_ti,lib_ti,siren_membre,nom_membre,type_membre
        c-mont,Montbéliard,200065647,CA Pays de Montbéliard Agglomération,EPCI
        c-mont,Montbéliard,247000722,CC du Pays d'Héricourt,EPCI
        c-belf,Belfort Héricourt,200069052,CA Grand Belfort,EPCI
        c-belf,Belfort Héricourt,247000722,CC du Pays d'Héricourt,EPCI
        c-horl,Pays Horloger,200023075,CC du Pays de Maîche,EPCI

        """
}
