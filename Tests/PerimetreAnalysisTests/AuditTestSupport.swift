import Foundation
import PerimetreAnalysis
import PerimetreData
import PerimetreGeometry
import PerimetreTestSupport
import Testing

// Helpers of the territory-layer, overlap and audit tests (OverlapTests, AuditTests,
// TerritoryLayerTests). Names start with `AT`/`at` so they never clash with the helpers of the
// other test files of this target.
//
// Expected values come from the hand-written fixtures, from the public tables in ../shared/data
// read here with the small CSV parser below, and from polygons measured here — never from the
// tool's own output.

/// The shared data of the `check` tests, plus the 2019-2022 list the audit is compared against.
let atHasSharedData = TestPaths.hasSharedData && FileManager.default.fileExists(atPath: TestPaths.tiMembers2019)

private let atGeoDataResult: Result<GeoData, any Error> = Result { try GeoData(path: TestPaths.geoDataPath) }

/// The reference GeoPackage: required (`TestPaths.requireGeoDataPath()` fails the test, saying
/// how to build it, when it is missing).
func atGeoData() throws -> GeoData {
    try TestPaths.requireGeoDataPath()
    return try atGeoDataResult.get()
}

private let atTablesResult: Result<CompositionTables, any Error> = Result {
    var t = CompositionTables()
    for p in TestPaths.compositionPaths { try t.load(p) }
    return t
}
/// The three composition tables of ../shared/data.
func atTables() throws -> CompositionTables { try atTablesResult.get() }

// MARK: - The tests' own CSV parser

/// RFC 4180: quoted fields with doubled quotes, `,` separator, CRLF or LF, BOM skipped.
func atParseCSV(_ path: String) throws -> (header: [String], rows: [[String]]) {
    var text = try String(contentsOfFile: path, encoding: .utf8)
    if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
    var rows: [[String]] = [], row: [String] = [], field = "", quoted = false
    let s = Array(text.unicodeScalars)
    var i = 0
    while i < s.count {
        let c = s[i]
        if quoted {
            if c == "\"" {
                if i + 1 < s.count && s[i + 1] == "\"" { field.unicodeScalars.append("\""); i += 1 } else { quoted = false }
            } else { field.unicodeScalars.append(c) }
        } else if c == "\"" { quoted = true }
        else if c == "," { row.append(field); field = "" }
        else if c == "\n" || c == "\r" {
            if c == "\r" && i + 1 < s.count && s[i + 1] == "\n" { i += 1 }
            row.append(field); field = ""
            if row != [""] { rows.append(row) }
            row = []
        } else { field.unicodeScalars.append(c) }
        i += 1
    }
    if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
    return (rows.isEmpty ? [] : rows.removeFirst(), rows)
}

/// A TI list by member (`id_ti,lib_ti,siren_membre,…`), as the tests read it.
struct ATTIList {
    /// Territory ids in order of first appearance.
    var order: [String] = []
    var names: [String: String] = [:]
    var members: [String: [String]] = [:]
    var types: [String: String] = [:]

    init(_ path: String) throws {
        let t = try atParseCSV(path)
        let ci = try #require(t.header.firstIndex(of: "id_ti")), cn = try #require(t.header.firstIndex(of: "lib_ti"))
        let cm = try #require(t.header.firstIndex(of: "siren_membre")), ct = try #require(t.header.firstIndex(of: "type_membre"))
        for r in t.rows {
            if members[r[ci]] == nil { order.append(r[ci]); names[r[ci]] = r[cn] }
            members[r[ci], default: []].append(r[cm])
            types[r[cm]] = r[ct]
        }
    }
}

/// DGCL 2025: communes and their département by EPCI.
struct ATDGCL {
    var communes: [String: [String]] = [:]
    var departement: [String: String] = [:]
    var epciDepartements: [String: Set<String>] = [:]
    init(_ path: String) throws {
        let t = try atParseCSV(path)
        let ci = try #require(t.header.firstIndex(of: "insee")), cs = try #require(t.header.firstIndex(of: "siren_epci"))
        let cd = try #require(t.header.firstIndex(of: "dep_com"))
        for r in t.rows {
            communes[r[cs], default: []].append(r[ci])
            departement[r[ci]] = r[cd]
            epciDepartements[r[cs], default: []].insert(r[cd])
        }
        for k in communes.keys { communes[k]!.sort() }
    }
}
private let atDGCLResult: Result<ATDGCL, any Error> = Result { try ATDGCL(TestPaths.dgclCommuneEPCI) }
func atDGCL() throws -> ATDGCL { try atDGCLResult.get() }

// MARK: - Fixtures and the CLI

/// A fresh temporary folder for one test.
func atScratch(_ label: String) throws -> URL {
    let u = FileManager.default.temporaryDirectory.appendingPathComponent("perimetre-audittests-\(label)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
    return u
}

/// Writes `text` (bytes as given: BOM, CRLF…) into `dir/name` and returns the path.
@discardableResult
func atWrite(_ dir: URL, _ name: String, _ text: String) throws -> String {
    let u = dir.appendingPathComponent(name)
    try Data(text.utf8).write(to: u)
    return u.path
}

struct ATRun {
    var status: Int32
    var stdout: Data
    var stderr: String
    var text: String { String(decoding: stdout, as: UTF8.self) }
}

/// Runs the CLI (GeoPackage through $PERIMETRE_GEODATA), stdout and stderr into files.
func atRun(_ args: [String], extraEnv: [String: String] = [:]) throws -> ATRun {
    let bin = try #require(TestPaths.binary, "\(TestPaths.noBinary)")
    let dir = try atScratch("cli")
    defer { try? FileManager.default.removeItem(at: dir) }
    let out = dir.appendingPathComponent("out"), err = dir.appendingPathComponent("err")
    _ = FileManager.default.createFile(atPath: out.path, contents: nil)
    _ = FileManager.default.createFile(atPath: err.path, contents: nil)
    let p = Process()
    p.executableURL = URL(fileURLWithPath: bin)
    p.arguments = args
    var env = ProcessInfo.processInfo.environment
    env["PERIMETRE_GEODATA"] = TestPaths.geoDataPath
    for (k, v) in extraEnv { env[k] = v }
    p.environment = env
    p.currentDirectoryURL = URL(fileURLWithPath: TestPaths.packageRoot)
    let ho = try FileHandle(forWritingTo: out), he = try FileHandle(forWritingTo: err)
    p.standardOutput = ho
    p.standardError = he
    p.standardInput = FileHandle.nullDevice
    try p.run()
    p.waitUntilExit()
    try ho.close(); try he.close()
    return ATRun(status: p.terminationStatus, stdout: try Data(contentsOf: out),
                 stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self))
}

func atJSON(_ data: Data) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
}

/// `perimetre check` on member codes (library call) against layers.
func atCheck(_ codes: [String], against: [ResolvedLayer], tables: CompositionTables = .init()) throws -> CheckResult {
    let req = PerimeterRequest(id: "test", name: "Test",
                               members: codes.enumerated().map { MemberInput(code: $1, origin: "argument \($0 + 1)") },
                               options: AnalysisOptions(mapContext: false))
    return try PerimeterCheck.run(req, data: try atGeoData(), compositions: tables, against: against)
}

/// Loads and resolves a layer file.
func atLayer(_ path: String, tables: CompositionTables = .init()) throws -> ResolvedLayer {
    try ResolvedLayer.resolve(try TerritoryLayer.load(path), data: try atGeoData(), compositions: tables)
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
        func cell(_ s: String) -> String { s.contains(separator) || s.contains("\"") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s }
        let nl = crlf ? "\r\n" : "\n"
        var out = bom ? "\u{FEFF}" : ""
        out += ["id_crte", "lib_crte", "type_grp_crte", "siren_groupement", "nature_juridique", "lib_groupement"].joined(separator: separator) + nl
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

private let atEtalabResult: Result<[String: Shape], any Error> = Result {
    var out: [String: Shape] = [:]
    for f in try GeoJSONReader.read(contentsOf: TestPaths.etalabEPCI) {
        if let c = f.properties["code"]?.stringValue, let g = f.geometry { out[c] = g }
    }
    return out
}
/// Etalab 2024 EPCI polygons by SIREN.
func atEtalab(_ code: String) throws -> Shape {
    try #require(try atEtalabResult.get()[code], "EPCI \(code) not in the Etalab contours")
}
