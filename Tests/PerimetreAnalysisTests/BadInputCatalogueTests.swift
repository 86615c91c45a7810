import Foundation
import PerimetreData
import PerimetreGeometry
import PerimetreTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

// The catalogue of bad inputs (hardening issue): every file people make by hand or export from a
// spreadsheet or a GIS, run through the real binary ($PERIMETRE_BIN, else .build/release, else
// .build/debug), each with its exact expected behaviour. Refusals exit 2 with a message naming
// the file, the line or feature and the value, and never write an output file (checked with -o
// on a fresh path and on an existing file, left untouched).

private func findings(_ report: [String: Any]) -> [[String: Any]] { report["findings"] as? [[String: Any]] ?? [] }
private func rules(_ report: [String: Any]) -> [String] { findings(report).compactMap { $0["rule"] as? String } }
private func memberCodes(_ report: [String: Any]) -> [String] {
    (report["members"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
}
private func unresolved(_ report: [String: Any]) -> [[String: Any]] { report["unresolved"] as? [[String: Any]] ?? [] }

/// Runs `args + ["-o", path]` on a fresh path and over an existing file: the same exit status
/// both times (2 unless told), every needle in stderr, no file created, the existing one
/// untouched, no temporary file left. `outputName` gives the output's extension.
func expectRefused(
    _ args: [String], mentions needles: [String], status: Int32 = 2,
    outputName: String = "out.json", sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let dir = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let fresh = dir.appendingPathComponent(outputName).path
    let run = try runCLI(args + ["-o", fresh])
    #expect(run.status == status, "exit \(run.status): \(run.stderr)", sourceLocation: sourceLocation)
    for n in needles {
        #expect(run.stderr.contains(n), "stderr lacks «\(n)»: \(run.stderr)", sourceLocation: sourceLocation)
    }
    #expect(
        !FileManager.default.fileExists(atPath: fresh), "an output file was written", sourceLocation: sourceLocation)
    let existing = try writeFile(dir, "old-" + outputName, "previous output\n")
    let again = try runCLI(args + ["-o", existing])
    #expect(again.status == status, "exit \(again.status): \(again.stderr)", sourceLocation: sourceLocation)
    #expect(
        try String(contentsOfFile: existing, encoding: .utf8) == "previous output\n", sourceLocation: sourceLocation)
    #expect(
        try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["old-" + outputName],
        "a file or a temporary file was left", sourceLocation: sourceLocation)
}

/// `check … --format json` that must succeed: the parsed report.
private func checkJSON(_ args: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
    let run = try runCLI(["check"] + args + ["--format", "json"])
    #expect(run.status == 0, "exit \(run.status): \(run.stderr)", sourceLocation: sourceLocation)
    return try jsonObject(run.stdout)
}

/// Runs the binary and samples its peak resident memory (VmHWM of /proc/PID/status, every
/// millisecond, once the process has become `perimetre`). Not wait4's ru_maxrss: posix_spawn
/// shares the test process's memory until exec, and Linux counts that high-water mark in the child.
private func runMeasured(_ args: [String]) throws -> (status: Int32, stderr: String, maxRSSMiB: Int, seconds: Double) {
    var peakKiB = 0
    let start = ContinuousClock.now
    let run = try runCLI(args) { p in
        let name = String((p.executableURL?.lastPathComponent ?? "").prefix(15))
        while p.isRunning {
            if let status = try? String(contentsOfFile: "/proc/\(p.processIdentifier)/status", encoding: .utf8),
                status.split(separator: "\n").first == "Name:\t\(name)",
                let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
                let kib = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
            {
                peakKiB = max(peakKiB, kib)
            }
            usleep(1000)
        }
    }
    return (run.status, run.stderr, peakKiB / 1024, (ContinuousClock.now - start).seconds)
}

@Suite("bad inputs: CSV member lists", .enabled(if: TestPaths.binary != nil, "\(TestPaths.noBinary)"))
struct BadCSVInputTests {
    @Test("an empty file, a blank file, a BOM alone: exit 2 naming the file and line 1")
    func emptyFile() throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for (name, text) in [("vide.csv", ""), ("blanc.csv", " \r\n\n  \n"), ("bom.csv", "\u{FEFF}")] {
            let p = try writeFile(dir, name, text)
            try expectRefused(["check", "--members", p, "--format", "json"], mentions: ["\(p):1: le fichier est vide"])
        }
    }

    @Test("a UTF-8 BOM, ';' or ',' or tab separators, CRLF line ends: all read the same")
    func bomSeparatorsLineEnds() throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let expected = ["200065647", "200069052"]
        for (name, text) in [
            ("plain.csv", "code,nom\n200065647,Pays de Montbéliard Agglomération\n200069052,Grand Belfort\n"),
            ("bom.csv", "\u{FEFF}code,nom\n200065647,Pays de Montbéliard Agglomération\n200069052,Grand Belfort\n"),
            ("pointvirgule.csv", "code;nom\n200065647;Pays de Montbéliard, Agglomération\n200069052;Grand Belfort\n"),
            ("tab.csv", "code\tnom\n200065647\tPays de Montbéliard\n200069052\tGrand Belfort\n"),
            ("crlf.csv", "code,nom\r\n200065647,Pays de Montbéliard Agglomération\r\n200069052,Grand Belfort\r\n"),
            ("tout.csv", "\u{FEFF}code;nom\r\n200065647;Pays de Montbéliard\r\n200069052;Grand Belfort\r\n"),
        ] {
            let p = try writeFile(dir, name, text)
            let r = try checkJSON(["--members", p])
            #expect(memberCodes(r).sorted() == expected, "\(name)")
            #expect(unresolved(r).isEmpty, "\(name): \(unresolved(r))")
        }
    }

    @Test("quoted fields with newlines: read, and later lines keep their true line numbers")
    func quotedNewlines() throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // Line 2–3: a name over two lines; line 4: an unknown code; line 5: a third field.
        let good = try writeFile(
            dir, "noms.csv",
            "code,nom\r\n200065647,\"Pays de\r\nMontbéliard, \"\"PMA\"\"\"\r\n999999999,inconnu\r\n200069052,Grand Belfort\r\n"
        )
        let r = try checkJSON(["--members", good])
        #expect(memberCodes(r).sorted() == ["200065647", "200069052"])
        #expect(unresolved(r).map { $0["origin"] as? String } == ["\(good):4"])
        let bad = try writeFile(
            dir, "champs.csv", "code,nom\n200065647,\"Pays de\nMontbéliard\"\n200069052,Grand Belfort,en trop\n")
        try expectRefused(
            ["check", "--members", bad, "--format", "json"],
            mentions: ["\(bad):4: 3 champs là où l'en-tête en a 2"])
    }

    @Test("a code that lost its leading zero in a spreadsheet (1001 for 01001): corrected and said so")
    func lostLeadingZero() throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let p = try writeFile(
            dir, "tableur.csv", "insee;nom\n1001;L'Abergement-Clémenciat\n1002;L'Abergement-de-Varey\n")
        let r = try checkJSON(["--members", p])
        #expect(memberCodes(r).sorted() == ["01001", "01002"])
        let corrected = findings(r).filter { $0["rule"] as? String == "corrected_code" }
        #expect(corrected.count == 2)
        #expect(corrected.allSatisfy { $0["severity"] as? String == "info" })
        #expect(corrected.contains { ($0["message"] as? String)?.contains("code 1001 lu comme 01001") == true })
        #expect(unresolved(r).isEmpty)
        // The same on the command line.
        let args = try checkJSON(["1001"])
        #expect(memberCodes(args) == ["01001"] && rules(args).contains("corrected_code"))
    }

    @Test("unknown codes: reported unresolved with their line, bloquant; exit 0, 1 with --strict")
    func unknownCodes() throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let p = try writeFile(dir, "m.csv", "code\n200065647\n999999999\n2Z123\n")
        let r = try checkJSON(["--members", p])
        #expect(Set(unresolved(r).compactMap { $0["code"] as? String }) == ["999999999", "2Z123"])
        #expect(Set(unresolved(r).compactMap { $0["origin"] as? String }) == ["\(p):3", "\(p):4"])
        let blocking = findings(r).filter { $0["rule"] as? String == "unresolved_code" }
        #expect(blocking.count == 2 && blocking.allSatisfy { $0["severity"] as? String == "bloquant" })
        #expect(blocking.contains { ($0["message"] as? String)?.contains("999999999") == true })
        let strict = try runCLI(["check", "--members", p, "--format", "json", "--strict"])
        #expect(strict.status == 1, "\(strict.stderr)")
        #expect(!strict.stdout.isEmpty, "--strict still writes the report")
    }

    @Test(
        "an EPCI of an older vintage without a composition table: unresolved, suggesting --composition",
        .enabled(if: TestPaths.hasSharedData, "\(TestPaths.noSharedData)"))
    func olderVintage() throws {
        // CA du Val de Fensch (TI 2019-2022 list): in the DGCL 2025 table, not in the 2026 EPCI.
        let old = "245701222"
        let r = try checkJSON(["200065647", old])
        let u = try #require(unresolved(r).first { $0["code"] as? String == old })
        #expect((u["reason"] as? String)?.contains("--composition") == true, "\(u)")
        #expect(
            findings(r).contains {
                $0["rule"] as? String == "unresolved_code" && $0["severity"] as? String == "bloquant"
            })
        // With the table it is traced through its communes.
        let traced = try checkJSON([old, "--composition", TestPaths.dgclCommuneEPCI])
        #expect(memberCodes(traced) == [old] && unresolved(traced).isEmpty)
        #expect(rules(traced).contains("former_epci"))
    }

    @Test("duplicates: reported with every line, counted once")
    func duplicates() throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let p = try writeFile(dir, "doublons.csv", "code\n200065647\n200069052\n200065647\n")
        let r = try checkJSON(["--members", p])
        let d = try #require((r["duplicates"] as? [[String: Any]])?.first)
        #expect(d["code"] as? String == "200065647" && d["kind"] as? String == "member")
        #expect(d["members"] as? [String] == ["\(p):2", "\(p):4"])
        #expect(memberCodes(r).sorted() == ["200065647", "200069052"])
        #expect(rules(r).contains("duplicate"))
    }

    @Test("a perimeter with zero resolvable members: exit 2 naming every code and line")
    func zeroResolvable() throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let p = try writeFile(dir, "rien.csv", "code\n999999999\n99999\n")
        try expectRefused(
            ["check", "--members", p, "--format", "json"],
            mentions: ["aucun membre du périmètre n'a pu être résolu", "\(p):2 : 999999999", "\(p):3 : 99999"])
        // A territory file with its header only lists no member at all.
        let header = try writeFile(dir, "entete.csv", "id_ti,lib_ti,siren_membre\n")
        try expectRefused(
            ["check", "--members", header, "--format", "json"],
            mentions: ["aucun membre du périmètre n'a pu être résolu"])
    }
}

@Suite("bad inputs: GeoJSON perimeters", .enabled(if: TestPaths.binary != nil, "\(TestPaths.noBinary)"))
struct BadGeoJSONInputTests {
    static func polygon(_ ring: String) -> String {
        #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"a"},"geometry":{"type":"Point","coordinates":[6,46]}},"#
            + #"{"type":"Feature","properties":{"name":"b"},"geometry":{"type":"Polygon","coordinates":[["# + ring
            + "]]}}]}"
    }

    @Test("Lambert-93 coordinates: exit 2 naming the feature and the value")
    func notLonLat() throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let p = try writeFile(
            dir, "l93.geojson", Self.polygon("[652000,6862000],[653000,6862000],[653000,6863000],[652000,6862000]"))
        try expectRefused(
            ["check", "--geometry", p, "--format", "json"],
            mentions: ["\(p): entité 2 :", "la coordonnée (652000.0, 6862000.0) n'est pas en lon/lat", "EPSG:2154"])
        let crs = try writeFile(
            dir, "crs.geojson",
            #"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::2154"}},"features":[]}"#
        )
        try expectRefused(["check", "--geometry", crs, "--format", "json"], mentions: [crs, "EPSG::2154"])
    }

    @Test("a bow-tie polygon: repaired, with a finding")
    func bowTie() throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let p = try writeFile(
            dir, "noeud.geojson", Self.polygon("[6.0,46.1],[6.2,46.3],[6.2,46.1],[6.0,46.3],[6.0,46.1]"))
        let r = try checkJSON(["--geometry", p])
        let f = try #require(findings(r).first { $0["rule"] as? String == "repaired_geometry" })
        #expect((f["message"] as? String)?.contains("Self-intersection") == true, "\(f)")
        #expect(!memberCodes(r).isEmpty)
    }

    @Test("an unclosed ring, too few positions: exit 2 naming the feature and the ring")
    func unclosedRing() throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let open = try writeFile(
            dir, "ouvert.geojson", Self.polygon("[6.0,46.1],[6.2,46.3],[6.2,46.1],[6.0,46.3],[6.0,46.2]"))
        try expectRefused(
            ["check", "--geometry", open, "--format", "json"],
            mentions: [
                "\(open): entité 2 : l'anneau 1 n'est pas fermé : sa première position 6.0, 46.1 diffère de la dernière 6.0, 46.2"
            ])
        let short = try writeFile(dir, "court.geojson", Self.polygon("[6.0,46.1],[6.2,46.3],[6.0,46.1]"))
        try expectRefused(
            ["check", "--geometry", short, "--format", "json"],
            mentions: ["\(short): entité 2 : l'anneau 1 a 3 positions"])
    }

    @Test("NaN and infinite coordinates: exit 2 naming the file")
    func nonFinite() throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for (name, value) in [
            ("nan.geojson", "NaN"), ("inf.geojson", "Infinity"), ("huge.geojson", "1e999"), ("minus.geojson", "-1e400"),
        ] {
            let p = try writeFile(dir, name, Self.polygon("[6.0,46.1],[6.2,\(value)],[6.2,46.1],[6.0,46.1]"))
            try expectRefused(["check", "--geometry", p, "--format", "json"], mentions: ["\(p): JSON invalide"])
        }
    }
}

@Suite("bad inputs: big files and GeoPackages", .enabled(if: TestPaths.binary != nil, "\(TestPaths.noBinary)"))
struct BadFileInputTests {
    @Test("a 1 GB file (sparse): refused at once with a size message, without being loaded")
    func oneGigabyte() throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let big = { (name: String) throws -> String in
            let p = dir.appendingPathComponent(name).path
            #expect(FileManager.default.createFile(atPath: p, contents: nil))
            #expect(truncate(p, 1 << 30) == 0)
            return p
        }
        let csv = try big("membres.csv")
        let geojson = try big("perimetre.geojson")
        let layer = try big("candidatures.csv")
        let table = try big("composition.csv")
        for args in [
            ["check", "--members", csv], ["check", "--geometry", geojson], ["check", "200065647", "--against", layer],
            ["check", "200065647", "--composition", table], ["audit", layer], ["map", layer],
        ] {
            let run = try runMeasured(args + ["-o", dir.appendingPathComponent("out").path])
            #expect(run.status == 2, "\(args): exit \(run.status): \(run.stderr)")
            #expect(
                run.stderr.contains("le fichier fait 1073741824 octets, au-delà de la limite"), "\(args): \(run.stderr)"
            )
            #expect(run.maxRSSMiB < 700, "\(args): peak memory \(run.maxRSSMiB) MiB: the file was loaded")
            #expect(run.seconds < 30, "\(args): \(run.seconds) s")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path))
    }

    @Test("a GeoPackage that is not one: exit 2 naming it")
    func notAGeoPackage() throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = try writeFile(dir, "texte.gpkg", "id,name\n1,a\n")
        let empty = try writeFile(dir, "vide.gpkg", "")
        for p in [text, empty] {
            try expectRefused(["check", "200065647", "--against", p, "--format", "json"], mentions: [p])
            try expectRefused(["check", "200065647", "--geodata", p, "--format", "json"], mentions: [p])
            try expectRefused(["audit", p], mentions: [p], outputName: "audit.txt")
        }
    }

    @Test(
        "a truncated WKB in a GeoPackage layer: exit 2 naming the file, layer and feature; the blob decoder refuses it")
    func truncatedWKB() throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let ctx = GeosContext()
        let wkb = try ctx.readWKT("POLYGON((6 46, 6.2 46, 6.2 46.2, 6 46.2, 6 46))").wkb()
        let truncated = WKBGeometry(Array(wkb.bytes.prefix(40)))
        let path = dir.appendingPathComponent("couche.gpkg").path
        let w = try GeoPackageWriter(path: path)
        try w.addLayer(
            "crte", geometryType: "POLYGON", columns: [GeoPackageColumn("id", .text), GeoPackageColumn("name", .text)])
        try w.insert("crte", values: [.text("c1"), .text("bon")], geometry: wkb, envelope: nil)
        try w.insert(
            "crte", values: [.text("c2"), .text("tronqué")], geometry: truncated,
            envelope: Envelope(minX: 6, minY: 46, maxX: 6.2, maxY: 46.2))
        try w.commit()
        try expectRefused(
            ["check", "200065647", "--against", path, "--format", "json"],
            mentions: [path, "couche crte, fid 2 : géométrie illisible"])
        // The blob decoder: every truncation of a blob is refused or leaves a WKB GEOS refuses.
        let blob = GeoPackageBlob.encode(wkb, srsID: 4326, envelope: Envelope(minX: 6, minY: 46, maxX: 6.2, maxY: 46.2))
        for n in 0..<blob.count {
            let cut = Array(blob.prefix(n))
            if let (_, _, body) = try? GeoPackageBlob.decode(cut) {
                #expect(throws: (any Error).self, "\(n) bytes") { try ctx.readWKB(body) }
            }
        }
        #expect(throws: GeoPackageError.self) { try GeoPackageBlob.decode(Array(blob.prefix(20))) }
    }
}

@Suite("bad inputs: outputs are atomic", .enabled(if: TestPaths.binary != nil, "\(TestPaths.noBinary)"))
struct AtomicOutputTests {
    /// Two EPCI each: Nord Franche-Comté and Genevois.
    static let territories =
        "territory_id,territory_name,member\nA,Nord,200065647\nA,Nord,200069052\nB,Genevois,200011773\nB,Genevois,240100750\n"

    /// An output path that cannot be written: in a read-only folder, or under a regular file
    /// when running as root (root ignores folder permissions).
    static func unwritable(_ dir: URL, _ name: String) throws -> String {
        if geteuid() == 0 {
            let blocker = try writeFile(dir, "fichier", "x")
            return blocker + "/" + name
        }
        let ro = dir.appendingPathComponent("lecture-seule")
        try FileManager.default.createDirectory(at: ro, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: ro.path)
        return ro.appendingPathComponent(name).path
    }

    @Test("check, audit, map: an output that cannot be written → exit 2, nothing written")
    func unwritableOutput() throws {
        let dir = try scratchDirectory()
        defer {
            try? FileManager.default.setAttributes(
                [.posixPermissions: 0o755], ofItemAtPath: dir.appendingPathComponent("lecture-seule").path)
            try? FileManager.default.removeItem(at: dir)
        }
        let layer = try writeFile(dir, "territoires.csv", Self.territories)
        for (args, name) in [
            (["check", "200065647", "--format", "json"], "r.json"), (["audit", layer, "--quiet"], "audit.txt"),
            (["map", layer, "--quiet"], "carte.geojson"),
            (["map", layer, "--quiet", "--format", "gpkg"], "carte.gpkg"),
        ] {
            let out = try Self.unwritable(dir, name)
            let run = try runCLI(args + ["-o", out])
            #expect(run.status == 2, "\(args): exit \(run.status): \(run.stderr)")
            #expect(run.stderr.contains(name), "\(args): \(run.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out))
            try? FileManager.default.removeItem(atPath: dir.appendingPathComponent("fichier").path)
        }
        // A folder where the output should go: the rename fails, the temporary file is removed.
        let folder = dir.appendingPathComponent("dossier.json")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let run = try runCLI(["check", "200065647", "--format", "json", "-o", folder.path])
        #expect(run.status == 2, "\(run.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).allSatisfy { !$0.contains(".tmp-") })
    }

    @Test("every writer replaces its output by renaming a new file: a hard link to the old file keeps the old bytes")
    func renamedNotRewritten() throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let layer = try writeFile(dir, "territoires.csv", Self.territories)
        for (args, name) in [
            (["check", "200065647", "--format", "json"], "r.json"),
            (["audit", layer, "--quiet", "--format", "csv"], "a.csv"),
            (["map", layer, "--quiet"], "m.geojson"), (["map", layer, "--quiet", "--format", "gpkg"], "m.gpkg"),
        ] {
            let out = dir.appendingPathComponent(name).path
            let twin = out + ".avant"
            try Data("old bytes\n".utf8).write(to: URL(fileURLWithPath: out))
            try FileManager.default.linkItem(atPath: out, toPath: twin)
            var extra: [String] = []
            if args[0] == "map" { extra = ["--report", dir.appendingPathComponent(name + ".report.json").path] }
            let run = try runCLI(args + ["-o", out] + extra)
            #expect(run.status == 0, "\(args): \(run.stderr)")
            #expect(
                try String(contentsOfFile: twin, encoding: .utf8) == "old bytes\n",
                "\(args): the old file was rewritten in place")
            #expect(try Data(contentsOf: URL(fileURLWithPath: out)) != Data("old bytes\n".utf8))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).allSatisfy { !$0.contains(".tmp-") })
    }

    @Test("no writer in Sources/ bypasses AtomicFile or GeoPackageWriter (temporary file + rename)")
    func everyWriterIsAtomic() throws {
        let root = URL(fileURLWithPath: TestPaths.packageRoot + "/Sources")
        let e = try #require(FileManager.default.enumerator(atPath: root.path))
        // Allowed: the atomic writer itself, SQLite's opening (see below) and the workbench's
        // private temporary upload (deleted after reading), the spreadsheet reader's private
        // temporary copy of a ZIP in memory (deleted after reading).
        let allowed = [
            "PerimetreReport/AtomicFile.swift", "PerimetreData/GeoPackage/SQLiteDatabase.swift",
            "PerimetreServer/Workbench.swift",
            "PerimetreAnalysis/Input/DemarchesSimplifiees/SpreadsheetReader.swift",
        ]
        let patterns = [
            ".write(to:", ".write(toFile:", "createFile(atPath:", "FileHandle(forWriting", "fopen(", "sqlite3_open",
            "readOnly: false",
        ]
        var offenders: [String] = []
        while let rel = e.nextObject() as? String {
            guard rel.hasSuffix(".swift"), !allowed.contains(rel) else { continue }
            let text = try String(contentsOfFile: root.path + "/" + rel, encoding: .utf8)
            for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let code = line.trimmingCharacters(in: .whitespaces)
                if code.hasPrefix("//") { continue }
                for p in patterns where code.contains(p) {
                    // A writable SQLite database only in the GeoPackageWriter, on its temporary path.
                    if p == "readOnly: false" && rel == "PerimetreData/GeoPackage/GeoPackageWriter.swift"
                        && code.contains("temporaryPath")
                    {
                        continue
                    }
                    offenders.append("\(rel):\(i + 1): \(code)")
                }
            }
        }
        #expect(offenders.isEmpty, "writes that are not atomic:\n\(offenders.joined(separator: "\n"))")
    }
}
