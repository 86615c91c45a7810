import Foundation
import PerimetreTestSupport
import Testing

/// The JSON outputs of `check`, `audit` and `map` kept as golden files: a refactoring, a new
/// formatter or a speed-up must leave them byte-identical. Outputs of the project's own samples
/// are kept whole (`Tests/Golden/*.json`); outputs of the shared public data only as a
/// fingerprint (`Tests/Golden/fingerprints.txt`), so that none of that data is committed.
///
/// An intended change of output: rerun with `PERIMETRE_UPDATE_GOLDEN=1` and say why in the commit.
@Suite("Golden outputs: check, audit and map JSON byte-identical", .serialized)
struct GoldenOutputTests {
    static let folder = TestPaths.packageRoot + "/Tests/Golden"
    static let update = ProcessInfo.processInfo.environment["PERIMETRE_UPDATE_GOLDEN"] == "1"
    static let hint = "if the change is intended, rerun with PERIMETRE_UPDATE_GOLDEN=1 and explain it in the commit"

    /// Each sample, checked as the README shows it.
    static let samples: [(name: String, args: [String])] = [
        ("check-nord-franche-comte", ["check", "--members", "Samples/nord-franche-comte.csv"]),
        ("check-albert-amiens", ["check", "--members", "Samples/albert-amiens.csv"]),
        ("check-pays-de-gex-genevois", ["check", "--members", "Samples/pays-de-gex-genevois.csv"]),
        (
            "check-rochefort-royan-marennes-oleron",
            ["check", "--members", "Samples/rochefort-royan-marennes-oleron.csv"]
        ),
        ("check-rouen-metropole", ["check", "--members", "Samples/rouen-metropole.json"]),
        ("check-bassin-genevois", ["check", "--geometry", "Samples/bassin-genevois.geojson"]),
        ("audit-candidatures", ["audit", "Samples/candidatures.csv"]),
    ]

    @Test("The samples' JSON equals the golden files", arguments: samples.map(\.name))
    func sample(_ name: String) throws {
        let args = try #require(Self.samples.first { $0.name == name }).args + ["--format", "json"]
        let run = try runCLI(args)
        #expect(run.status == 0 || run.status == 1, "\(run.stderr)")
        let path = "\(Self.folder)/\(name).json"
        if Self.update {
            try run.stdout.write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        let golden = try #require(
            try? String(contentsOfFile: path, encoding: .utf8), "no golden file \(path): \(Self.hint)")
        #expect(run.stdout == golden, "perimetre \(args.joined(separator: " ")) differs from \(path): \(Self.hint)")
    }

    /// The national runs on the shared public data, by fingerprint.
    static var national: [(name: String, args: [String])] {
        let comp = TestPaths.compositionPaths.flatMap { ["--composition", $0] }
        return [
            ("audit-ti-2023-2027", ["audit", TestPaths.tiMembers2023, "--format", "json"] + comp),
            (
                "audit-ti-2023-2027-no-topology",
                ["audit", TestPaths.tiMembers2023, "--format", "json", "--no-topology"] + comp
            ),
            ("map-ti-2023-2027", ["map", TestPaths.tiMembers2023, "--format", "geojson"] + comp),
        ]
    }

    @Test(
        "The audit and the map of the 183 TI 2023-2027 keep their fingerprints",
        .enabled(if: TestPaths.hasSharedData, "\(TestPaths.noSharedData)"))
    func nationalRuns() throws {
        let path = "\(Self.folder)/fingerprints.txt"
        var found: [String: String] = [:]
        for (name, args) in Self.national {
            let dir = try scratchDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let out = dir.appendingPathComponent("out").path
            let run = try runCLI(args + ["-o", out, "--quiet"])
            #expect(run.status == 0 || run.status == 1, "\(name): \(run.stderr)")
            let bytes = try Data(contentsOf: URL(fileURLWithPath: out))
            found[name] = "\(Self.fingerprint(bytes)) \(bytes.count)"
        }
        let lines = found.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        if Self.update {
            try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        let golden = try #require(try? String(contentsOfFile: path, encoding: .utf8), "no \(path): \(Self.hint)")
        for line in golden.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            #expect(
                found[parts[0]] == parts[1],
                "\(parts[0]): fingerprint and size \(found[parts[0]] ?? "none") instead of \(parts[1]): \(Self.hint)")
        }
    }

    /// FNV-1a, 64 bits, in hexadecimal: a fingerprint to notice a change, not a cryptographic hash.
    static func fingerprint(_ data: Data) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in data { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return String(h, radix: 16)
    }
}
