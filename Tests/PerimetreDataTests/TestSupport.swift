import Foundation
import PerimetreData
import PerimetreGeometry
import PerimetreTestSupport
import Testing

/// The GeoPackage, opened for the data tests (paths and the requirement: `TestPaths`).
enum TestData {
    /// Whether the Etalab 2024 EPCI contours are in the shared public data.
    static var hasEtalab: Bool { FileManager.default.fileExists(atPath: TestPaths.etalabEPCI) }

    static func openGeoData() throws -> GeoData { try GeoData(path: try TestPaths.requireGeoDataPath()) }

    static func reader() throws -> GeoPackageReader { try GeoPackageReader(path: try TestPaths.requireGeoDataPath()) }
}

/// `(a - b) / b`, relative to the reference `b`.
func relativeDifference(_ a: Double, _ reference: Double) -> Double { (a - reference) / reference }

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    if s.isEmpty { return .nan }
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}
