// swift-tools-version: 6.0
// libFuzzer targets for perimetre's input readers, one executable per reader. Each exports
// `LLVMFuzzerTestOneInput` (no `main`: libFuzzer provides it), so the package only builds with
//
//   swift build --package-path Fuzz --scratch-path Fuzz/.build-fuzz -c debug --sanitize=fuzzer --sanitize=address
//
// scripts/fuzz does that, seeds the corpora from Samples/ and ../shared/data and runs every target.
import PackageDescription

/// libFuzzer supplies `main`: the targets are compiled as libraries.
let fuzzSettings: [SwiftSetting] = [.unsafeFlags(["-parse-as-library"])]

func fuzzTarget(_ name: String, _ products: [String]) -> Target {
    .executableTarget(
        name: "fuzz-\(name)",
        dependencies: products.map { .product(name: $0, package: "perimetre") } + ["FuzzSupport"],
        path: "Sources/fuzz-\(name)",
        swiftSettings: fuzzSettings)
}

let package = Package(
    name: "perimetre-fuzz",
    platforms: [.macOS(.v13)],
    dependencies: [.package(name: "perimetre", path: "..")],
    targets: [
        .target(name: "FuzzSupport", path: "Sources/FuzzSupport"),
        fuzzTarget("members", ["PerimetreAnalysis", "PerimetreData"]),
        fuzzTarget("territories", ["PerimetreAnalysis", "PerimetreData", "PerimetreGeometry"]),
        fuzzTarget("composition", ["PerimetreAnalysis", "PerimetreData"]),
        fuzzTarget("geojson", ["PerimetreGeometry"]),
        fuzzTarget("gpkg-blob", ["PerimetreData", "PerimetreGeometry"]),
        fuzzTarget("shapefile", ["PerimetreData", "PerimetreGeometry"]),
        fuzzTarget("server", ["PerimetreAnalysis", "PerimetreData"]),
        fuzzTarget("spreadsheet", ["PerimetreAnalysis"]),
    ],
    swiftLanguageModes: [.v6]
)
