import Foundation
public import Testing

/// Where the tests find their inputs: the built GeoPackage, the shared public data beside the
/// package (`<root>/../shared/data`) and the CLI. One copy for every test target, so that they
/// all look in the same places and say the same thing when something is missing.
public enum TestPaths {
    /// The package root, three levels above this file (`Tests/PerimetreTestSupport/TestPaths.swift`).
    public static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// `$PERIMETRE_GEODATA`, else `<root>/GeoData/france-2026.gpkg` (as the tool itself reads it).
    public static let geoDataPath: String =
        ProcessInfo.processInfo.environment["PERIMETRE_GEODATA"] ?? packageRoot + "/GeoData/france-2026.gpkg"

    /// The GeoPackage is a requirement, not an option: CI builds it before the tests. A missing
    /// file fails the calling test with a message saying how to build it.
    @discardableResult
    public static func requireGeoDataPath(sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        try #require(
            FileManager.default.fileExists(atPath: geoDataPath),
            "GeoPackage not found at \(geoDataPath): run scripts/setup (or `perimetre data build`) first",
            sourceLocation: sourceLocation)
        return geoDataPath
    }

    // MARK: - Shared public data

    /// `<root>/../shared/data`, standardized.
    public static let sharedData: String = URL(fileURLWithPath: packageRoot + "/../shared/data").standardizedFileURL
        .path

    /// DGCL: the composition of every EPCI on 1 January 2025, one row per member commune.
    public static let dgclCommuneEPCI = sharedData + "/commune-epci-dgcl-2025/epcicom2025_commune_epci.csv"
    /// BANATIC: the SIREN, name and population of every commune.
    public static let banaticSIREN = sharedData + "/commune-epci-dgcl-2025/banatic_siren_insee.csv"
    /// INSEE: the communes of the 11 EPT of the Métropole du Grand Paris.
    public static let eptComposition = sharedData + "/commune-epci-dgcl-2025/ept_composition_2025.csv"
    /// The three composition tables, in the order `--composition` is given them.
    public static let compositionPaths = [dgclCommuneEPCI, banaticSIREN, eptComposition]
    /// Etalab 2024 EPCI contours (simplified at 100 m), independent of the GeoPackage's.
    public static let etalabEPCI = sharedData + "/epci-contours-etalab-2024/epci_2024_100m_dedup.geojson"
    /// The Territoires d'industrie of 2023-2027, one row per member.
    public static let tiMembers2023 = sharedData + "/territoires-industrie-2023-2027/ti_2023_2027_membres.csv"
    /// The 149 Territoires d'industrie of 2019-2022, one row per member.
    public static let tiMembers2019 = sharedData + "/territoires-industrie-2019-2022/ti_149_membres.csv"

    /// ANCT's national list of the CRTE by groupement (2022, EPCI codes of 2022).
    public static let crte2022 = sharedData + "/crte-2022/liste_crte_groupements_2022.csv"

    /// Whether the shared data the `check` tests read is there: the composition tables, the
    /// Etalab contours and the 2023-2027 list. Optional, unlike the GeoPackage: tests that need it
    /// are skipped without it (with `noSharedData`).
    public static let hasSharedData: Bool = allExist(compositionPaths + [etalabEPCI, tiMembers2023])
    public static let noSharedData = "shared public data not found at <root>/../shared/data: test skipped"

    /// Whether every one of `paths` exists.
    public static func allExist(_ paths: [String]) -> Bool {
        paths.allSatisfy { FileManager.default.fileExists(atPath: $0) }
    }

    // MARK: - The CLI

    /// The CLI: `$PERIMETRE_BIN`, else the release build, else the debug build (of `.build/`).
    public static let binary: String? = {
        let fm = FileManager.default
        if let b = ProcessInfo.processInfo.environment["PERIMETRE_BIN"], !b.isEmpty {
            return fm.isExecutableFile(atPath: b) ? b : nil
        }
        return [packageRoot + "/.build/release/perimetre", packageRoot + "/.build/debug/perimetre"]
            .first { fm.isExecutableFile(atPath: $0) }
    }()
    public static let noBinary =
        "perimetre binary not found ($PERIMETRE_BIN, .build/release/perimetre, .build/debug/perimetre): build it first; CLI test skipped"
}
