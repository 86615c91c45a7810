import Foundation
import PerimetreAnalysis
import PerimetreGeometry
import PerimetreReport
import Testing

/// An independent reader, GDAL's ogrinfo, opens what `perimetre map` writes.
@Suite("map outputs read by ogrinfo", .serialized)
struct MapOgrinfoTests {
    func ogrinfo(_ args: [String]) throws -> (Int32, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: MapEnv.ogrinfo!)
        p.arguments = args
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let out = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: out, as: UTF8.self))
    }

    func fixtureMap() throws -> NationalMap {
        let (out, _) = try NationalMap.draw(Fixture.shapes(), options: MapOptions(simplifyMetres: 100))
        return NationalMap(
            options: MapOptions(simplifyMetres: 100),
            features: out.enumerated().map {
                Feature(
                    id: .string("t\($0.offset)"),
                    properties: [
                        "id": .string("t\($0.offset)"), "name": "Fixture", "members": ["1", "2"],
                        "epci_count": 2, "commune_count": 3, "population": 10, "area_km2": 1.5,
                        "departements": ["01"], "regions": ["84"], "contiguous": true,
                        "components": 1, "frontalier": false, "neighbours": [], "findings": [],
                    ],
                    geometry: $0.element.shape)
            })
    }

    func check(_ map: NationalMap, count: Int) throws {
        let dir = NSTemporaryDirectory() + "perimetre-map-ogr-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let json = dir + "/map.geojson"
        let seq = dir + "/map.geojsons"
        let gpkg = dir + "/map.gpkg"
        try AtomicFile.write(Data(try MapWriter.geojson(map, bbox: true).utf8), to: json)
        try AtomicFile.write(Data(try MapWriter.geojsonSeq(map).utf8), to: seq)
        try MapWriter.geopackage(map, to: gpkg)
        for (path, layer) in [(json, "map"), (seq, "map"), (gpkg, "territoires")] {
            let (rc, out) = try ogrinfo(["-ro", "-so", "-al", path])
            #expect(rc == 0, "ogrinfo \(path): \(out)")
            #expect(out.contains("Feature Count: \(count)"), "ogrinfo \(path): \(out)")
            #expect(out.contains("Layer name: \(layer)"), "ogrinfo \(path): \(out)")
            #expect(!out.contains("ERROR"), "ogrinfo \(path): \(out)")
        }
        // GDAL's own validity check on every geometry of the GeoPackage (SQL dialect with GEOS).
        let (rc, out) = try ogrinfo([
            "-ro", "-dialect", "SQLite", "-sql",
            "SELECT count(*) AS invalid FROM territoires WHERE NOT ST_IsValid(geom)", gpkg,
        ])
        #expect(rc == 0, "\(out)")
        #expect(out.contains("invalid (Integer) = 0"), "\(out)")
    }

    @Test(
        "GeoJSON, GeoJSON sequence and GeoPackage of the fixtures",
        .enabled(if: MapEnv.ogrinfo != nil, Comment(rawValue: MapEnv.noOgrinfo)))
    func fixtures() throws {
        try check(try fixtureMap(), count: 6)
    }

    @Test(
        "GeoJSON, GeoJSON sequence and GeoPackage of the 183 TI",
        .enabled(if: MapEnv.ogrinfo != nil, Comment(rawValue: MapEnv.noOgrinfo)),
        .enabled(if: MapEnv.hasRealData, Comment(rawValue: MapEnv.noRealData)))
    func national() throws {
        let map = try NationalMap.build(try realAudit.get(), options: MapOptions(simplifyMetres: 100))
        try check(map, count: map.features.count)
    }
}
