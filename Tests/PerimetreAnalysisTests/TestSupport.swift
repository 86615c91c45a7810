import Foundation
import PerimetreAnalysis
import PerimetreData
import PerimetreGeometry
import PerimetreTestSupport
import Testing

// Helpers shared by every test file of this target: the reference data, opened once per test
// process, the tests' own CSV parser and the CLI runner. The audit-only ones are in
// AuditTestSupport.swift.
//
// Expected values are worked out independently of the analysis code: from the public tables in
// ../shared/data (DGCL commune→EPCI 2025, BANATIC commune SIREN/population, INSEE EPT), read here
// with a small CSV parser of the tests' own, and from the Etalab 2024 EPCI contours measured here
// with the geometry layer (GEOS, PROJ, geodesic area). Never from the tool's own output.

// MARK: - Reference data (GeoPackage)

private let geoDataResult: Result<GeoData, any Error> = Result { try GeoData(path: TestPaths.geoDataPath) }

/// The reference GeoPackage, opened once. Required: `TestPaths.requireGeoDataPath()` fails the
/// test, saying how to build it, when it is missing.
func geoData() throws -> GeoData {
    try TestPaths.requireGeoDataPath()
    return try geoDataResult.get()
}

private let tablesResult: Result<CompositionTables, any Error> = Result {
    var t = CompositionTables()
    for p in TestPaths.compositionPaths { try t.load(p) }
    return t
}

/// The three composition tables of ../shared/data, loaded once, as `--composition` loads them.
func compositionTables() throws -> CompositionTables { try tablesResult.get() }

/// GeoData commune attributes (code, département, population, area) for the given INSEE codes.
func geoDataCommunes(_ codes: [String]) throws -> [String: Commune] {
    let s = try geoData().session()
    return try s.communes(codes: codes).mapValues(\.0)
}

// MARK: - Running the analysis

/// A small thread-safe memo so several tests share one run of the same perimeter.
final class Memo<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String: Value] = [:]
    func get(_ key: String, _ make: () throws -> Value) throws -> Value {
        lock.lock()
        if let v = values[key] {
            lock.unlock()
            return v
        }
        lock.unlock()
        let v = try make()
        lock.lock()
        values[key] = v
        lock.unlock()
        return v
    }
}

private let checkMemo = Memo<CheckResult>()

/// A request for member codes as the command line gives them (origins "argument 1", …).
func memberRequest(_ codes: [String], options: AnalysisOptions) -> PerimeterRequest {
    PerimeterRequest(
        id: "test", name: "Test",
        members: codes.enumerated().map { MemberInput(code: $1, origin: "argument \($0 + 1)") }, options: options)
}

/// `perimetre check` on member codes (library call), memoised by codes and options.
func check(_ codes: [String], compositions: Bool = false, tolerance: Double = 100) throws -> CheckResult {
    let key = codes.joined(separator: ",") + "|\(compositions)|\(tolerance)"
    return try checkMemo.get(key) {
        try PerimeterCheck.run(
            memberRequest(codes, options: AnalysisOptions(toleranceMetres: tolerance)),
            data: try geoData(), compositions: compositions ? try compositionTables() : .init())
    }
}

/// `perimetre check` on a drawn polygon.
func checkDrawn(_ shape: Shape, id: String = "dessin") throws -> CheckResult {
    try PerimeterCheck.run(PerimeterRequest(id: id, name: "Dessin", members: [], geometry: shape), data: try geoData())
}

// MARK: - Independent tables (../shared/data), read with the tests' own CSV parser

/// RFC 4180 (quoted fields, doubled quotes, `,`, CRLF or LF, BOM skipped): the tests read the
/// shared tables and the CSV outputs with this, not with the tool's own reader.
func parseCSV(_ path: String) throws -> (header: [String], rows: [[String]]) {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    var rows: [[String]] = []
    var row: [String] = []
    var field = ""
    var quoted = false
    var it = Array(text.unicodeScalars)[...]
    if it.first == "\u{FEFF}" { it = it.dropFirst() }
    var i = it.startIndex
    while i < it.endIndex {
        let c = it[i]
        if quoted {
            if c == "\"" {
                if i + 1 < it.endIndex && it[i + 1] == "\"" {
                    field.unicodeScalars.append("\"")
                    i += 1
                } else {
                    quoted = false
                }
            } else {
                field.unicodeScalars.append(c)
            }
        } else if c == "\"" {
            quoted = true
        } else if c == "," {
            row.append(field)
            field = ""
        } else if c == "\n" || c == "\r" {
            if c == "\r" && i + 1 < it.endIndex && it[i + 1] == "\n" { i += 1 }
            row.append(field)
            field = ""
            if !(row.count == 1 && row[0].isEmpty) { rows.append(row) }
            row = []
        } else {
            field.unicodeScalars.append(c)
        }
        i += 1
    }
    if !field.isEmpty || !row.isEmpty {
        row.append(field)
        rows.append(row)
    }
    let header = rows.isEmpty ? [] : rows.removeFirst()
    return (header, rows)
}

/// The DGCL composition of every EPCI on 1 January 2025.
struct DGCLTable: Sendable {
    struct Row: Sendable { var insee, siren, name, nature, depEPCI, depCommune, communeName: String }
    var rows: [Row] = []
    var communesByEPCI: [String: [String]] = [:]
    var epciByCommune: [String: String] = [:]
    var departementByCommune: [String: String] = [:]
    var departementsByEPCI: [String: Set<String>] = [:]
    var natureByEPCI: [String: String] = [:]
    var nameByEPCI: [String: String] = [:]

    init(path: String) throws {
        let t = try parseCSV(path)
        func col(_ n: String) throws -> Int { try #require(t.header.firstIndex(of: n), "column \(n) in \(path)") }
        let (ci, cs, cn, cj, cde, cdc, cm) = (
            try col("insee"), try col("siren_epci"), try col("raison_sociale"),
            try col("nature_juridique"), try col("dep_epci"), try col("dep_com"), try col("nom_membre")
        )
        for r in t.rows {
            let row = Row(
                insee: r[ci], siren: r[cs], name: r[cn], nature: r[cj], depEPCI: r[cde], depCommune: r[cdc],
                communeName: r[cm])
            rows.append(row)
            communesByEPCI[row.siren, default: []].append(row.insee)
            epciByCommune[row.insee] = row.siren
            departementByCommune[row.insee] = row.depCommune
            departementsByEPCI[row.siren, default: []].insert(row.depCommune)
            natureByEPCI[row.siren] = row.nature
            nameByEPCI[row.siren] = row.name
        }
        for k in communesByEPCI.keys { communesByEPCI[k]!.sort() }
    }
}

/// BANATIC: the SIREN, name and population of every commune.
struct BanaticTable: Sendable {
    struct Row: Sendable {
        var region, departement, siren, insee, name: String
        var pmun: Int
    }
    var byINSEE: [String: Row] = [:]
    var bySIREN: [String: Row] = [:]

    init(path: String) throws {
        let t = try parseCSV(path)
        func col(_ n: String) throws -> Int { try #require(t.header.firstIndex(of: n), "column \(n) in \(path)") }
        let (cr, cd, cs, ci, cn, cp) = (
            try col("Reg_com"), try col("dep_com"), try col("siren"), try col("insee"), try col("nom_com"),
            try col("pmun_2024")
        )
        for r in t.rows {
            let row = Row(
                region: r[cr], departement: r[cd], siren: r[cs], insee: r[ci], name: r[cn], pmun: Int(r[cp]) ?? 0)
            byINSEE[row.insee] = row
            bySIREN[row.siren] = row
        }
    }

    func population(_ communes: [String]) -> Int { communes.reduce(0) { $0 + (byINSEE[$1]?.pmun ?? 0) } }
}

/// INSEE: the communes of the 11 EPT of the Métropole du Grand Paris.
struct EPTTable: Sendable {
    var communesByEPT: [String: [String]] = [:]
    var nameByEPT: [String: String] = [:]
    init(path: String) throws {
        let t = try parseCSV(path)
        let ci = try #require(t.header.firstIndex(of: "insee"))
        let cs = try #require(t.header.firstIndex(of: "siren_ept"))
        let cn = try #require(t.header.firstIndex(of: "nom_ept"))
        for r in t.rows {
            communesByEPT[r[cs], default: []].append(r[ci])
            nameByEPT[r[cs]] = r[cn]
        }
        for k in communesByEPT.keys { communesByEPT[k]!.sort() }
    }
}

private let dgclResult: Result<DGCLTable, any Error> = Result { try DGCLTable(path: TestPaths.dgclCommuneEPCI) }
private let banaticResult: Result<BanaticTable, any Error> = Result { try BanaticTable(path: TestPaths.banaticSIREN) }
private let eptResult: Result<EPTTable, any Error> = Result { try EPTTable(path: TestPaths.eptComposition) }
/// The DGCL, BANATIC and EPT tables, each read once per test process.
func dgcl() throws -> DGCLTable { try dgclResult.get() }
func banatic() throws -> BanaticTable { try banaticResult.get() }
func eptTable() throws -> EPTTable { try eptResult.get() }

// MARK: - Etalab 2024 EPCI contours, measured here

private let etalabResult: Result<[String: Shape], any Error> = Result {
    var out: [String: Shape] = [:]
    for f in try GeoJSONReader.read(contentsOf: TestPaths.etalabEPCI) {
        if let code = f.properties["code"]?.stringValue, let g = f.geometry { out[code] = g }
    }
    return out
}

/// Etalab EPCI polygons by SIREN (lon/lat), read once.
func etalab() throws -> [String: Shape] { try etalabResult.get() }

func etalabShape(_ code: String) throws -> Shape {
    try #require(try etalab()[code], "EPCI \(code) not in the Etalab 2024 contours")
}

/// Geodesic area (km²) of an Etalab EPCI.
func etalabAreaKm2(_ code: String) throws -> Double { GeodesicMeasure.area(of: try etalabShape(code)) / 1e6 }

/// Geometry helpers in Lambert-93 (EPSG:2154), each with its own GEOS context and transformer.
final class Lambert93 {
    let ctx = GeosContext()
    let toL93: CoordinateTransformer
    init() throws { toL93 = try CoordinateTransformer(from: "EPSG:4326", to: "EPSG:2154") }

    func metric(_ s: Shape) throws -> Geometry { try toL93.transform(try ctx.geometry(s)) }
    func metric(code: String) throws -> Geometry { try metric(try etalabShape(code)) }

    /// Minimum distance (m) between two Etalab EPCI.
    func distance(_ a: String, _ b: String) throws -> Double { try metric(code: a).distance(try metric(code: b)) }

    /// Length (m) of `a`'s boundary lying within 50 m of `b`: a shared border on the Etalab
    /// contours (simplified at 100 m, so shared borders may not coincide exactly).
    func sharedBorder(_ a: Geometry, _ b: Geometry) throws -> Double {
        guard try a.distance(b) < 50 else { return 0 }
        return try a.boundary().intersection(try b.buffer(50)).length()
    }

    /// Etalab adjacency: a shared border of at least 200 m.
    func adjacent(_ a: String, _ b: String) throws -> Bool {
        try sharedBorder(try metric(code: a), try metric(code: b)) >= 200
    }

    /// The Etalab EPCI sharing a border (≥ 200 m) with `code`.
    func neighbours(of code: String) throws -> [String] {
        let g = try metric(code: code)
        let env = try etalabShape(code).envelope.expanded(by: 0.02)
        var out: [String] = []
        for (other, s) in try etalab() where other != code && s.envelope.intersects(env) {
            if try sharedBorder(g, try metric(s)) >= 200 { out.append(other) }
        }
        return out.sorted()
    }
}

// MARK: - Small helpers

/// `|a - b| <= rel * |b|`.
func within(_ a: Double, _ b: Double, rel: Double) -> Bool { abs(a - b) <= rel * abs(b) }

/// A lon/lat rectangle, exterior counter-clockwise.
func lonLatRect(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> Shape {
    .polygon([[Coordinate(x0, y0), Coordinate(x1, y0), Coordinate(x1, y1), Coordinate(x0, y1), Coordinate(x0, y0)]])
}

/// Twice the signed area of a ring in lon/lat (shoelace, written here): positive when counter-clockwise.
func shoelace(_ ring: [Coordinate]) -> Double {
    var s = 0.0
    for i in 0..<(ring.count - 1) { s += ring[i].x * ring[i + 1].y - ring[i + 1].x * ring[i].y }
    return s
}

/// The folder of this test process's scratch folders, removed when the process exits: a test
/// that writes its input files inline (`writeData(try scratchDirectory(), …)`) leaves none behind.
let scratchRoot: URL = {
    let u = FileManager.default.temporaryDirectory.appendingPathComponent(
        "perimetre-analysistests-\(getpid())-\(UUID().uuidString)")
    atexit { removeScratchRoot() }
    return u
}()

private func removeScratchRoot() { try? FileManager.default.removeItem(at: scratchRoot) }

/// A fresh scratch folder, removed by the caller (or with ``scratchRoot`` at exit).
func scratchDirectory() throws -> URL {
    let u = scratchRoot.appendingPathComponent(UUID().uuidString)
    try FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
    return u
}

/// Writes `text` as given (BOM, CRLF…) into `dir/name`: the input files of the tests.
func writeFile(_ dir: URL, _ name: String, _ text: String) throws -> String {
    let u = dir.appendingPathComponent(name)
    try Data(text.utf8).write(to: u)
    return u.path
}

// MARK: - The CLI

struct CLIRun {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs the perimetre binary in the package root, GeoPackage through $PERIMETRE_GEODATA, no
/// standard input. Output goes to files, not pipes, so a large report cannot block the child
/// before it is read. `whileRunning` gets the started process, to sample it.
func runCLI(_ args: [String], whileRunning: (Process) -> Void = { _ in }) throws -> CLIRun {
    let bin = try #require(TestPaths.binary, "\(TestPaths.noBinary)")
    let dir = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let out = dir.appendingPathComponent("stdout")
    let err = dir.appendingPathComponent("stderr")
    _ = FileManager.default.createFile(atPath: out.path, contents: nil)
    _ = FileManager.default.createFile(atPath: err.path, contents: nil)
    let p = Process()
    p.executableURL = URL(fileURLWithPath: bin)
    p.arguments = args
    var env = ProcessInfo.processInfo.environment
    env["PERIMETRE_GEODATA"] = TestPaths.geoDataPath
    p.environment = env
    p.currentDirectoryURL = URL(fileURLWithPath: TestPaths.packageRoot)
    let ho = try FileHandle(forWritingTo: out)
    let he = try FileHandle(forWritingTo: err)
    p.standardOutput = ho
    p.standardError = he
    p.standardInput = FileHandle.nullDevice
    try p.run()
    whileRunning(p)
    p.waitUntilExit()
    try ho.close()
    try he.close()
    return CLIRun(
        status: p.terminationStatus,
        stdout: String(decoding: try Data(contentsOf: out), as: UTF8.self),
        stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self))
}

/// The JSON object of a report (CLI output or an output file's bytes); anything else fails the test.
func jsonObject(_ data: Data) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
}

func jsonObject(_ text: String) throws -> [String: Any] { try jsonObject(Data(text.utf8)) }
