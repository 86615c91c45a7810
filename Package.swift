// swift-tools-version: 6.0
// perimetre — analyses the perimeters of French Territoires d'industrie.
//
// Layers, bottom up (one folder each under Sources/):
//   C modules (CGEOS, CPROJ, CSQLite, CShapelib, CLZMA) — system libraries behind prefixed shims
//                     (CPROJ opens libproj on first use: most commands never project)
//   PerimetreGeometry — the safe Swift geometry layer, the only code touching C pointers of GEOS/PROJ
//   PerimetreData     — reference data (GeoData): build and read the national GeoPackage
//   PerimetreAnalysis — the analyses, one file each
//   PerimetreReport   — report formats (text, JSON, GeoJSON, HTML)
//   perimetre         — the command-line tool
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("InternalImportsByDefault")
]

let package = Package(
    name: "perimetre",
    // macOS 15: the standard library's `Atomic` (Synchronization, in parallelMap) and
    // `String(validating:as:)` (CSVReader) are macOS 15 APIs; the dependencies ask less
    // (Hummingbird macOS 11 and its benchmarks 13, ZIPFoundation 10.11, swift-docc-plugin 10.15.4).
    // Linux, where the project runs and is tested, has no minimum.
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "perimetre", targets: ["perimetre"]),
        .library(name: "PerimetreGeometry", targets: ["PerimetreGeometry"]),
        .library(name: "PerimetreData", targets: ["PerimetreData"]),
        .library(name: "PerimetreAnalysis", targets: ["PerimetreAnalysis"]),
        .library(name: "PerimetreReport", targets: ["PerimetreReport"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        // `swift package generate-documentation` (DocC); a plugin only, nothing of it is linked.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // MARK: C modules (system libraries, Debian packages named in `providers`)
        .systemLibrary(name: "CGEOS", pkgConfig: "geos", providers: [.apt(["libgeos-dev"])]),
        // PROJ (libproj-dev, proj-data) is opened on first use, not linked: see Sources/CPROJ/include/CPROJ.h.
        .target(name: "CPROJ", linkerSettings: [.linkedLibrary("dl")]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CShapelib", pkgConfig: "shapelib", providers: [.apt(["libshp-dev"])]),
        .systemLibrary(name: "CLZMA", pkgConfig: "liblzma", providers: [.apt(["liblzma-dev"])]),

        // MARK: Swift layers
        .target(name: "PerimetreGeometry", dependencies: ["CGEOS", "CPROJ"], swiftSettings: strict),
        .target(
            name: "PerimetreData",
            dependencies: ["PerimetreGeometry", "CSQLite", "CShapelib", "CLZMA"],
            swiftSettings: strict),
        .target(
            name: "PerimetreAnalysis",
            dependencies: [
                "PerimetreGeometry", "PerimetreData",
                // Démarches Simplifiées exports: XLSX and ODS are ZIP archives of XML.
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: strict),
        .target(
            name: "PerimetreReport",
            dependencies: ["PerimetreGeometry", "PerimetreData", "PerimetreAnalysis"],
            // The HTML report's style sheet as a real file, compiled into the binary as bytes.
            resources: [.embedInCode("Assets/report.css")],
            swiftSettings: strict),
        .target(
            name: "PerimetreServer",
            dependencies: [
                "PerimetreGeometry", "PerimetreData", "PerimetreAnalysis", "PerimetreReport",
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            // The page (HTML, CSS, JS) as real files, compiled into the binary as byte arrays.
            resources: [
                .embedInCode("Assets/index.html"), .embedInCode("Assets/app.css"), .embedInCode("Assets/app.js"),
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "perimetre",
            dependencies: [
                "PerimetreGeometry", "PerimetreData", "PerimetreAnalysis", "PerimetreReport", "PerimetreServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),

        // MARK: Tests
        // Where the tests find their inputs (GeoPackage, ../shared/data, the CLI): one copy for all.
        .target(name: "PerimetreTestSupport", path: "Tests/PerimetreTestSupport", swiftSettings: strict),
        .testTarget(name: "PerimetreGeometryTests", dependencies: ["PerimetreGeometry"], swiftSettings: strict),
        .testTarget(
            name: "PerimetreDataTests",
            dependencies: ["PerimetreData", "PerimetreGeometry", "PerimetreTestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "PerimetreAnalysisTests",
            dependencies: [
                "PerimetreAnalysis", "PerimetreData", "PerimetreGeometry", "PerimetreReport",
                "PerimetreTestSupport",
            ],
            swiftSettings: strict),
        .testTarget(
            name: "PerimetreReportTests",
            dependencies: [
                "PerimetreReport", "PerimetreAnalysis", "PerimetreData", "PerimetreGeometry",
                "PerimetreTestSupport",
            ],
            swiftSettings: strict),
        .testTarget(
            name: "PerimetreServerTests",
            dependencies: [
                "PerimetreServer", "PerimetreAnalysis", "PerimetreData", "PerimetreGeometry", "PerimetreReport",
                "PerimetreTestSupport",
            ],
            swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
