import Foundation
import PerimetreTestSupport
import Testing

/// `perimetre map --format topojson|svg` and `audit --format svg` from the command line: bad input
/// refused in French with exit 2 and no file; the outputs written and identical from run to run.
@Suite("map TopoJSON and SVG from the CLI", .serialized)
struct MapOutputCLITests {
    static let comp = TestPaths.compositionPaths.flatMap { ["--composition", $0] }

    func run(_ args: [String]) throws -> (status: Int32, stderr: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try #require(TestPaths.binary))
        p.arguments = args + ["--geodata", TestPaths.geoDataPath]
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let data = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    func tempDir() throws -> String {
        let dir = NSTemporaryDirectory() + "perimetre-map-cli-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test(
        "--quantize 0, absurd sizes, unknown --labels, an empty territory file: exit 2, French message, no file",
        .enabled(if: TestPaths.binary != nil, Comment(rawValue: TestPaths.noBinary)))
    func refusals() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let empty = dir + "/vide.csv"
        try Data("id_ti,lib_ti,siren_membre,nom_membre,type_membre\n".utf8).write(to: URL(fileURLWithPath: empty))
        let one = dir + "/un.csv"
        try Data(
            "id_ti,lib_ti,siren_membre,nom_membre,type_membre\nt1,Nord Franche-Comté,200069052,Grand Belfort,EPCI\n"
                .utf8
        )
        .write(to: URL(fileURLWithPath: one))
        let out = dir + "/sortie"
        let cases: [([String], String)] = [
            ([one, "--format", "topojson", "--quantize", "0"], "--quantize 0"),
            ([one, "--format", "topojson", "--quantize", "1.5"], "--quantize"),
            ([one, "--format", "topojson", "--quantize", "1e12"], "entre 2 et 1e9"),
            ([one, "--format", "svg", "--size", "5x5"], "entre 100 et 2000 mm"),
            ([one, "--format", "svg", "--size", "99999x99999"], "--size 99999x99999"),
            ([one, "--format", "svg", "--size", "grand"], "format inconnu"),
            ([one, "--format", "svg", "--labels", "tout"], "--labels tout"),
            ([empty, "--format", "topojson"], "vide.csv"),
            ([empty, "--format", "svg"], "vide.csv"),
        ]
        for (args, message) in cases {
            let (status, stderr) = try run(["map"] + args + ["-o", out])
            #expect(status == 2, "\(args): exit \(status), \(stderr)")
            #expect(stderr.contains("erreur"), "\(args): \(stderr)")
            #expect(stderr.contains(message), "\(args): \(stderr)")
            #expect(!FileManager.default.fileExists(atPath: out), "\(args) left a file")
        }
    }

    @Test(
        "unknown --color-by lists the properties; the poster and the TopoJSON are the same bytes twice; audit --format svg",
        .enabled(if: TestPaths.binary != nil, Comment(rawValue: TestPaths.noBinary)),
        .enabled(if: MapEnv.hasRealData, Comment(rawValue: MapEnv.noRealData)))
    func outputs() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let ti = TestPaths.tiMembers2023
        let (status, stderr) = try run(
            ["map", ti, "--format", "svg", "--color-by", "couleur", "-o", dir + "/x.svg"] + Self.comp)
        #expect(status == 2)
        #expect(stderr.contains("--color-by couleur"), "\(stderr)")
        for p in ["population", "area_km2", "region", "verdict"] { #expect(stderr.contains(p), "\(stderr)") }
        #expect(!FileManager.default.fileExists(atPath: dir + "/x.svg"))

        for (format, ext) in [("topojson", "topojson"), ("svg", "svg")] {
            let a = dir + "/a." + ext
            let b = dir + "/b." + ext
            #expect(try run(["map", ti, "--format", format, "--quiet", "-o", a] + Self.comp).status == 0)
            #expect(try run(["map", ti, "--format", format, "--quiet", "-o", b] + Self.comp).status == 0)
            let da = try Data(contentsOf: URL(fileURLWithPath: a))
            let db = try Data(contentsOf: URL(fileURLWithPath: b))
            #expect(da == db, "\(format): two runs differ")
            if format == "topojson" { #expect(da.count <= 600 * 1024, "TopoJSON \(da.count) bytes (target: 600 KB)") }
            if format == "svg" { #expect(da.count <= 3_000_000, "SVG \(da.count) bytes") }
        }
        let audit = dir + "/audit.svg"
        #expect(try run(["audit", ti, "--format", "svg", "--quiet", "-o", audit] + Self.comp).status == 0)
        let svg = try String(contentsOfFile: audit, encoding: .utf8)
        #expect(svg.contains("Verdict de l'audit"))
        #expect(svg.components(separatedBy: "class=\"territory\"").count - 1 == 183)
    }
}
