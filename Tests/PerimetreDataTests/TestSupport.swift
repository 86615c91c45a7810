import Foundation
import PerimetreData
import PerimetreGeometry
import Testing

/// Where the tests find their data: the built GeoPackage and the shared public data beside the
/// package (`<root>/../shared/data`).
enum TestData {
    /// The package root, three levels above this file (`Tests/PerimetreDataTests/TestSupport.swift`).
    static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// `$PERIMETRE_GEODATA`, else `<root>/GeoData/france-2026.gpkg`.
    static let geoDataPath: String =
        ProcessInfo.processInfo.environment["PERIMETRE_GEODATA"] ?? packageRoot + "/GeoData/france-2026.gpkg"

    /// `<root>/../shared/data`, standardized.
    static let sharedData: String = URL(fileURLWithPath: packageRoot + "/../shared/data").standardizedFileURL.path

    static var hasSharedData: Bool { FileManager.default.fileExists(atPath: sharedData) }

    static let etalabEPCI = sharedData + "/epci-contours-etalab-2024/epci_2024_100m_dedup.geojson"
    static let dgclCommuneEPCI = sharedData + "/commune-epci-dgcl-2025/epcicom2025_commune_epci.csv"

    static var hasEtalab: Bool { FileManager.default.fileExists(atPath: etalabEPCI) }

    /// The GeoPackage is a requirement, not an option: CI builds it before the tests. A missing
    /// file fails the calling test with a message saying how to build it.
    static func requireGeoDataPath() throws -> String {
        try #require(FileManager.default.fileExists(atPath: geoDataPath),
                     "GeoPackage not found at \(geoDataPath): run scripts/setup (or `perimetre data build`) first")
        return geoDataPath
    }

    static func openGeoData() throws -> GeoData { try GeoData(path: try requireGeoDataPath()) }

    static func reader() throws -> GeoPackageReader { try GeoPackageReader(path: try requireGeoDataPath()) }
}

/// `(a - b) / b`, relative to the reference `b`.
func relativeDifference(_ a: Double, _ reference: Double) -> Double { (a - reference) / reference }

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    if s.isEmpty { return .nan }
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}
