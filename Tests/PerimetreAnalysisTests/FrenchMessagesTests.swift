import Foundation
import PerimetreTestSupport
import Testing

@testable import PerimetreAnalysis

// #18: what a person reads is French (errors, help, reports), every example of the help and the
// README runs as written, and rule ids never reach a report a person reads.

/// Words that mark an English sentence; none is a French word, so one in a message or a report
/// means a sentence was left in English.
private let englishWords: Set<String> = [
    "the", "is", "are", "not", "cannot", "must", "missing", "expected", "found", "with", "without", "file",
    "error", "warning", "unknown", "invalid", "empty", "none", "should", "give", "which", "there", "this",
]

/// The English words of `text` (lowercased words of letters only; paths and codes are not words).
private func englishIn(_ text: String) -> [String] {
    let words = text.lowercased().split { !$0.isLetter }.map(String.init)
    return words.filter(englishWords.contains)
}

/// The text a person sees in an HTML page: no `<script>`, `<style>`, tags or attributes.
private func visibleText(_ html: String) -> String {
    var s = html
    for block in ["script", "style"] {
        while let a = s.range(of: "<\(block)"), let b = s.range(of: "</\(block)>", range: a.upperBound..<s.endIndex) {
            s.removeSubrange(a.lowerBound..<b.upperBound)
        }
    }
    return s.replacingOccurrences(of: "<[^>]*>", with: " ", options: .regularExpression)
}

/// Runs `line` (a command as a user types it, `perimetre …`) through the shell in a fresh folder
/// holding a link to `Samples/`, with the binary first on the PATH.
private func runAsWritten(_ line: String) throws -> CLIRun {
    let bin = try #require(TestPaths.binary, "\(TestPaths.noBinary)")
    let dir = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    try FileManager.default.createSymbolicLink(
        atPath: dir.appendingPathComponent("Samples").path,
        withDestinationPath: TestPaths.packageRoot + "/Samples")
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/sh")
    p.arguments = ["-c", line + " >stdout 2>stderr"]
    var env = ProcessInfo.processInfo.environment
    env["PERIMETRE_GEODATA"] = TestPaths.geoDataPath
    env["PATH"] = URL(fileURLWithPath: bin).deletingLastPathComponent().path + ":" + (env["PATH"] ?? "/usr/bin:/bin")
    p.environment = env
    p.currentDirectoryURL = dir
    p.standardInput = FileHandle.nullDevice
    try p.run()
    p.waitUntilExit()
    func read(_ name: String) -> String {
        (try? String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)) ?? ""
    }
    return CLIRun(status: p.terminationStatus, stdout: read("stdout"), stderr: read("stderr"))
}

/// The example lines (`  perimetre …`) of a help text.
private func examples(in help: String) -> [String] {
    help.split(separator: "\n").map(String.init).filter { $0.hasPrefix("  perimetre ") }
        .map { $0.trimmingCharacters(in: .whitespaces) }
}

/// Every subcommand's help path.
private let helpPaths: [[String]] = [
    [], ["check"], ["audit"], ["diff"], ["map"], ["epci", "search"], ["data", "build"],
    ["data", "info"], ["benchmark"], ["serve"],
]

@Suite(
    "French messages, help examples and labels (#18)", .enabled(if: TestPaths.binary != nil, "\(TestPaths.noBinary)"))
struct FrenchMessagesTests {
    @Test(
        "every example of --help and of the README's usage runs as written (serve and benchmark left out: a server that runs until stopped, a benchmark of minutes)"
    )
    func examplesRun() throws {
        var lines: [String] = []
        for path in helpPaths {
            let help = try runCLI(path + ["--help"])
            #expect(help.status == 0, "\(path)")
            let ex = examples(in: help.stdout)
            // One example per line: the parser wraps a line reaching 80 columns, leaving a fragment.
            let all = help.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            for (i, line) in all.enumerated() where line.hasPrefix("  perimetre ") {
                #expect(line.count < 79, "example wrapped by the parser: \(line)")
                if i + 1 < all.count {
                    #expect(all[i + 1].isEmpty || all[i + 1].hasPrefix("  "), "fragment after «\(line)»")
                }
            }
            lines += ex
            if [["check"], ["audit"], ["diff"], ["map"]].contains(path) {
                #expect(!ex.isEmpty, "\(path): no example")
            }
        }
        let readme = try String(contentsOfFile: TestPaths.packageRoot + "/README.md", encoding: .utf8)
        let usage = try #require(
            readme.components(separatedBy: "## Usage\n\n```sh\n").dropFirst().first?
                .components(separatedBy: "```").first)
        let readmeLines = usage.split(separator: "\n").map(String.init).filter { $0.hasPrefix("perimetre ") }
        #expect(readmeLines.count >= 10)
        lines += readmeLines
        let runnable = Array(Set(lines)).sorted().filter {
            !$0.hasPrefix("perimetre serve") && !$0.hasPrefix("perimetre benchmark")
        }
        #expect(runnable.count >= 25, "\(runnable.count) examples")
        for line in runnable {
            let run = try runAsWritten(line)
            #expect(run.status == 0, "«\(line)» exit \(run.status): \(run.stderr.prefix(400))")
            #expect(!run.stderr.contains("erreur"), "«\(line)»: \(run.stderr.prefix(400))")
        }
    }

    @Test("help is French: no English sentence in any discussion")
    func helpIsFrench() throws {
        for path in helpPaths {
            let help = try runCLI(path + ["--help"]).stdout
            // The parser's own headings (USAGE, OPTIONS, "Show help information.") are not ours.
            let ours = help.split(separator: "\n").filter {
                !$0.contains("Show help information") && !$0.contains("See 'perimetre help") && !$0.hasPrefix("USAGE")
                    && !$0.contains("(default:") && !$0.contains("(values:")
            }.joined(separator: "\n")
                // Option names, placeholders and JSON keys are identifiers, English by design.
                .replacingOccurrences(of: "--[a-z-]+|<[^>]*>|\"[a-z_]+\"", with: " ", options: .regularExpression)
            #expect(englishIn(ours).isEmpty, "\(path): \(englishIn(ours))")
        }
    }

    /// One error path: the arguments, the exit status, what the message must name.
    struct ErrorCase: Sendable, CustomStringConvertible {
        var args: [String]
        var status: Int32 = 2
        var mentions: [String]
        var description: String { args.joined(separator: " ") }
    }

    @Test("each command's error paths: French, naming file, line and value, exit 2, no stack trace")
    func errorPaths() throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for c in try Self.errorCases(in: dir) { try expectFrenchError(c, scratch: dir) }
    }

    /// The error cases of every command; their bad input files are written into `dir`.
    static func errorCases(in dir: URL) throws -> [ErrorCase] {
        let shortRow = try writeFile(dir, "membres.csv", "code,nom\n200065647,Montbéliard\n200069052\n")
        let noCode = try writeFile(dir, "sans-code.csv", "nom,population\nBelfort,1\n")
        let openRing = try writeFile(
            dir, "ouvert.geojson",
            """
            {"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon",
            "coordinates":[[[6.1,47.5],[6.9,47.5],[6.9,47.8],[6.1,47.8]]]}}]}
            """)
        let lambert = try writeFile(
            dir, "lambert.geojson",
            """
            {"type":"Feature","properties":{},"geometry":{"type":"Polygon",
            "coordinates":[[[652000,6862000],[653000,6862000],[653000,6863000],[652000,6862000]]]}}
            """)
        let layout = try writeFile(dir, "candidatures.csv", "a;b\n1;2\n")
        let notXLSX = try writeFile(dir, "dossiers.xlsx", "pas un classeur")
        return [
            ErrorCase(
                args: ["check", "12", "999999999"], mentions: ["aucun membre", "argument 1", "12", "999999999"]),
            ErrorCase(
                args: ["check", "--members", "/nonexistent.csv"], mentions: ["/nonexistent.csv", "introuvable"]),
            ErrorCase(
                args: ["check", "--members", shortRow], mentions: [shortRow + ":3", "1 champs", "l'en-tête en a 2"]),
            ErrorCase(
                args: ["check", "--members", noCode], mentions: [noCode, "pas de colonne de codes", "nom, population"]),
            ErrorCase(
                args: ["check", "--geometry", openRing], mentions: [openRing, "entité 1", "anneau 1", "pas fermé"]),
            ErrorCase(args: ["check", "--geometry", lambert], mentions: [lambert, "652000", "lon/lat"]),
            ErrorCase(args: ["check"], mentions: ["--members FICHIER"]),
            ErrorCase(args: ["check", "200065647", "--precision", "99"], mentions: ["--precision"]),
            ErrorCase(args: ["audit", "/nonexistent.csv"], mentions: ["/nonexistent.csv"]),
            ErrorCase(args: ["audit", layout], mentions: [layout + ":1", "forme inconnue", "a;b"]),
            ErrorCase(args: ["audit", notXLSX], mentions: [notXLSX, "pas une archive ZIP"]),
            ErrorCase(
                args: ["audit", "Samples/candidatures.csv", "--region", "99"],
                mentions: ["--region 99", "code de région inconnu"]),
            ErrorCase(
                args: ["audit", "Samples/ds-franche-comte.xlsx", "--ds-state", "perdu"], mentions: ["« perdu »"]),
            ErrorCase(
                args: ["diff", "Samples/candidatures.csv#ti-9999", "200065647"],
                mentions: ["ti-9999", "candidatures.csv"]),
            ErrorCase(args: ["diff", "Samples/albert-amiens.csv", "abc"], mentions: ["« abc »", "APRÈS"]),
            ErrorCase(args: ["map", "/nonexistent.csv"], mentions: ["/nonexistent.csv"]),
            ErrorCase(
                args: [
                    "audit", "Samples/candidatures.csv", "--quiet", "--format", "json", "-o", "/nonexistent/a.json",
                ],
                mentions: ["impossible d'écrire /nonexistent/a.json", "dossier introuvable"]),
            ErrorCase(
                args: ["serve", "--against", "/nonexistent.csv"], mentions: ["/nonexistent.csv", "introuvable"]),
            ErrorCase(
                args: ["check", "200065647", "--geodata", "/nonexistent.gpkg"],
                mentions: ["/nonexistent.gpkg", "scripts/setup"]),
        ]
    }

    /// `c` fails with its status, a French message naming what it must, no stack trace, no output.
    func expectFrenchError(_ c: ErrorCase, scratch dir: URL) throws {
        let run = try runCLI(c.args)
        #expect(run.status == c.status, "\(c): exit \(run.status): \(run.stderr)")
        #expect(run.stderr.hasPrefix("perimetre: erreur : "), "\(c): \(run.stderr)")
        for m in c.mentions { #expect(run.stderr.contains(m), "\(c): lacks «\(m)»: \(run.stderr)") }
        // Paths and values are quoted from the input: only the words around them must be French.
        var words = run.stderr
        for v in c.args + [dir.path, "Samples/", "GeoData"] { words = words.replacingOccurrences(of: v, with: " ") }
        #expect(englishIn(words).isEmpty, "\(c): English \(englishIn(words)) in \(run.stderr)")
        for trace in ["Fatal error", "Stack dump", "Current stack trace", "0x0000"] {
            #expect(!run.stderr.contains(trace), "\(c): \(run.stderr)")
        }
        #expect(run.stdout.isEmpty, "\(c): \(run.stdout.prefix(200))")
    }

    @Test("text and HTML reports of the samples: French, no rule id")
    func reportsAreFrench() throws {
        let ruleIDs = Finding.Rule.allCases.map(\.rawValue).filter { $0.contains("_") }
        var outputs: [(String, String)] = []
        for s in [
            "nord-franche-comte.csv", "albert-amiens.csv", "rochefort-royan-marennes-oleron.csv",
            "pays-de-gex-genevois.csv",
            "rouen-metropole.json",
        ] {
            for format in ["text", "html"] {
                outputs.append(
                    (
                        "check \(s) \(format)",
                        try runCLI(["check", "--members", "Samples/" + s, "--format", format]).stdout
                    ))
            }
        }
        outputs.append(
            (
                "check bassin-genevois html",
                try runCLI(["check", "--geometry", "Samples/bassin-genevois.geojson", "--format", "html"]).stdout
            ))
        for f in ["Samples/candidatures.csv", "Samples/ds-franche-comte.xlsx"] {
            for format in ["text", "html"] {
                outputs.append(
                    ("audit \(f) \(format)", try runCLI(["audit", f, "--format", format, "--quiet"]).stdout))
            }
        }
        for format in ["text", "html"] {
            outputs.append(
                (
                    "diff \(format)",
                    try runCLI([
                        "diff", "Samples/candidatures.csv#ti-3202", "248000531",
                        "--format", format,
                    ]).stdout
                ))
        }
        for (what, out) in outputs {
            #expect(out.count > 500, "\(what): \(out.prefix(200))")
            let text = what.hasSuffix("html") ? visibleText(out) : out
            #expect(englishIn(text).isEmpty, "\(what): English \(Set(englishIn(text)))")
            for id in ruleIDs { #expect(!text.contains(id), "\(what) shows the rule id \(id)") }
        }
    }

    @Test("audit text report: findings labelled in French with counts, verdict table within 100 columns")
    func auditVerdictTable() throws {
        let run = try runCLI(["audit", "Samples/candidatures.csv", "--quiet"])
        #expect(run.status == 0)
        let out = run.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        let first = try #require(out.firstIndex { $0.hasPrefix("VERDICTS") })
        // The national report groups the candidatures under their main région (" 27 Bourgogne…").
        let rows = out[(first + 1)...].prefix { !$0.isEmpty }.filter { $0.hasPrefix("  ") }
        #expect(rows.count == 4)
        #expect(rows.contains { $0.hasPrefix("  ti-3202    attention  Albert – Amiens — non contigu") })
        guard TestPaths.hasSharedData else { return }
        // The 183 TI with the CRTE layer: names and findings long enough to need wrapping.
        let ti = try runCLI(
            ["audit", TestPaths.tiMembers2023, "--against", TestPaths.crte2022, "--quiet"]
                + TestPaths.compositionPaths.flatMap { ["--composition", $0] })
        #expect(ti.status == 0, "\(ti.stderr)")
        let lines = ti.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        let start = try #require(lines.firstIndex { $0.hasPrefix("VERDICTS") })
        let table = lines[(start + 1)...].prefix { !$0.isEmpty }
        #expect(table.count > 183)
        for l in table { #expect(l.count <= 100, "\(l.count) columns: \(l)") }
        // Berry Sologne cuts two CRTE: one label with its count, not the id twice.
        let berry = try #require(table.first { $0.contains("Berry Sologne") })
        #expect(berry.contains("2 CRTE coupés") && !berry.contains("crte_cut"), "\(berry)")
    }
}

@Suite("Rule labels (#16 item 1)")
struct RuleLabelTests {
    @Test("every rule has a French label and plural; counts read naturally")
    func labels() {
        for r in Finding.Rule.allCases {
            #expect(!r.label.isEmpty && !r.plural.isEmpty && !r.label.contains("_"), "\(r)")
        }
        let fs = [Finding.Rule.metropole, .crteCut, .crteCut].map {
            Finding(rule: $0, severity: .attention, faq: nil, message: "")
        }
        #expect(fs.countedLabels() == "métropole, 2 CRTE coupés")
        #expect(Finding.Rule.enclave.counted(1) == "enclave" && Finding.Rule.enclave.counted(3) == "3 enclaves")
    }

    @Test("raw values are the JSON strings of docs/check-json.md")
    func rawValues() throws {
        let doc = try String(contentsOfFile: TestPaths.packageRoot + "/docs/check-json.md", encoding: .utf8)
        for r in Finding.Rule.allCases where r != .conflict {
            #expect(doc.contains(r.rawValue), "\(r.rawValue) not in docs/check-json.md")
        }
    }
}

/// French numbers are printf's rounding, grouped by three with U+202F and a decimal comma: the
/// same text as `String(format:)` followed by that grouping, on values of every size and sign.
@Test func frenchNumbersMatchPrintf() {
    func reference(_ v: Double, _ decimals: Int) -> String {
        let parts = String(format: "%.\(decimals)f", v).split(separator: ".", omittingEmptySubsequences: false)
        var int = String(parts[0])
        let neg = int.hasPrefix("-")
        if neg { int.removeFirst() }
        var grouped = ""
        for (i, ch) in int.enumerated() {
            if i > 0 && (int.count - i) % 3 == 0 { grouped.append("\u{202F}") }
            grouped.append(ch)
        }
        return (neg ? "-" : "") + grouped + (parts.count > 1 ? "," + parts[1] : "")
    }
    var rng = SystemRandomNumberGenerator()
    var values: [Double] = [0, -0.0, 0.05, -0.04, 0.5, 1.5, 2.5, 999.95, 1000, 12_345.678, -1_234_567.5, 1e15, -1e20]
    for _ in 0..<2_000 { values.append(Double.random(in: -1e7...1e7, using: &rng)) }
    for v in values {
        for d in 0...3 { #expect(French.number(v, d) == reference(v, d), "\(v) à \(d) décimales") }
    }
    #expect(French.number(1e300, 1).hasSuffix(",0"))  // longer than the stack buffer
    #expect(French.number(1e300, 1) == reference(1e300, 1))
    for n in [0, 7, -7, 999, 1_000, -1_000, 65_000_000, Int(Int32.max)] {
        #expect(French.int(n) == reference(Double(n), 0))
    }
    #expect(French.int(1_234_567) == "1\u{202F}234\u{202F}567")
    #expect(French.number(-1_234.25, 1) == "-1\u{202F}234,2")
}
