import Foundation
import PerimetreGeometry
import PerimetreTestSupport
import Testing

/// `perimetre check` as a user runs it: the binary at $PERIMETRE_BIN (release build in
/// scripts/test), else .build/release, else .build/debug.
@Suite("check: command line", .enabled(if: TestPaths.binary != nil, "\(TestPaths.noBinary)"))
struct CLITests {
    @Test("exit 0 and parseable JSON for a normal run; -o writes the same bytes")
    func normalRun() throws {
        let run = try runCLI(["check"] + nordFrancheComte + ["--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let o = try jsonObject(run.stdout)
        #expect((o["members"] as? [Any])?.count == 5)
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("r.json").path
        let toFile = try runCLI(["check"] + nordFrancheComte + ["--format", "json", "-o", out])
        #expect(toFile.status == 0 && toFile.stdout.isEmpty)
        #expect(try String(contentsOfFile: out, encoding: .utf8) == run.stdout)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["r.json"], "no temporary file left")
    }

    @Test("--strict: exit 1 exactly when a finding is bloquant")
    func strict() throws {
        let run = try runCLI(["check", aurillac, saintFlour, "--format", "json", "--strict"])
        let findings = try #require(try jsonObject(run.stdout)["findings"] as? [[String: Any]])
        #expect(findings.contains { $0["rule"] as? String == "non_contiguous" })
        let blocking = findings.contains { $0["severity"] as? String == "bloquant" }
        // No rule of the current rule set is bloquant: --strict exits 0 here.
        #expect(run.status == (blocking ? 1 : 0), "\(run.stderr)")
    }

    @Test("GeoJSON output is byte-identical across two runs")
    func geojsonDeterministic() throws {
        let a = try runCLI(["check"] + nordFrancheComte + ["--format", "geojson"])
        let b = try runCLI(["check"] + nordFrancheComte + ["--format", "geojson"])
        #expect(a.status == 0 && b.status == 0)
        #expect(!a.stdout.isEmpty && a.stdout == b.stdout)
    }

    @Test(
        "GeoJSON with a CRTE layer: the overlap shapes byte-identical across three runs",
        .enabled(if: TestPaths.allExist([TestPaths.crte2022]), "\(TestPaths.noSharedData)"))
    func overlapShapesDeterministic() throws {
        // Each overlap is a union of communes: its coordinates depend on the order of its parts,
        // which a dictionary's iteration order once made differ from run to run.
        let args = ["check"] + nordFrancheComte + ["--against", TestPaths.crte2022, "--format", "geojson"]
        let runs = try (0..<3).map { _ in try runCLI(args) }
        #expect(runs.allSatisfy { $0.status == 0 }, "\(runs.map(\.stderr))")
        #expect(runs[0].stdout.contains("\"overlap\""))
        #expect(runs.allSatisfy { $0.stdout == runs[0].stdout })
    }

    @Test("HTML output has no external reference")
    func html() throws {
        let run = try runCLI(["check"] + genevois + ["--format", "html"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("<svg"))
        #expect(!run.stdout.contains("src=\"http") && !run.stdout.contains("href=\"http"))
    }

    /// Runs a failing command with `-o` on a fresh path and on an existing file: exit 2, a message
    /// containing `needles`, no file created, the existing file left untouched.
    func expectBadInput(_ args: [String], mentions needles: [String]) throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let fresh = dir.appendingPathComponent("new.json").path
        let run = try runCLI(["check"] + args + ["--format", "json", "-o", fresh])
        #expect(run.status == 2, "exit \(run.status): \(run.stderr)")
        for n in needles { #expect(run.stderr.contains(n), "stderr lacks \(n): \(run.stderr)") }
        #expect(!FileManager.default.fileExists(atPath: fresh), "an output file was written")
        let existing = try writeFile(dir, "old.json", "previous report\n")
        let again = try runCLI(["check"] + args + ["--format", "json", "-o", existing])
        #expect(again.status == 2)
        #expect(try String(contentsOfFile: existing, encoding: .utf8) == "previous report\n")
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: dir.path)) == ["old.json"])
    }

    @Test("exit 2 for an unknown member file, naming it")
    func unknownFile() throws {
        let path = "/nonexistent-\(UUID().uuidString)/membres.csv"
        try expectBadInput(["--members", path], mentions: [path])
    }

    @Test("exit 2 when no member resolves, naming the codes")
    func nothingResolves() throws {
        try expectBadInput(["123456789", "987654321"], mentions: ["123456789", "987654321"])
    }

    @Test("exit 2 for a malformed member CSV, naming the file and line")
    func malformedCSV() throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // Line 3 has three fields where the header has two.
        let bad = try writeFile(dir, "membres.csv", "code,nom\n241700624,Oléron\n241700699,Marennes,en trop\n")
        try expectBadInput(["--members", bad], mentions: [bad + ":3"])
        // An unterminated quote.
        let quote = try writeFile(dir, "guillemet.csv", "code,nom\n241700624,Oléron\n\"241700699,Marennes\n")
        try expectBadInput(["--members", quote], mentions: [quote])
        // No code column.
        let cols = try writeFile(dir, "colonnes.csv", "foo,bar\n241700624,x\n")
        try expectBadInput(["--members", cols], mentions: [cols, "foo"])
    }

    @Test("a member file with an unresolvable line: exit 0, the line reported")
    func partlyUnresolved() throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let f = try writeFile(dir, "m.csv", "code\n241700624\n999999999\n")
        let run = try runCLI(["check", "--members", f, "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let u = try #require((try jsonObject(run.stdout)["unresolved"] as? [[String: Any]])?.first)
        #expect(u["code"] as? String == "999999999")
        #expect(u["origin"] as? String == "\(f):3")
    }
}
