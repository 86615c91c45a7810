import CShapelib
import Foundation
import PerimetreData
import PerimetreGeometry
import Testing

/// Writes a shapefile with shapelib itself: each record is its parts (rings or lines),
/// or nil for a null shape, plus string attributes.
private func writeShapefile(
    _ path: String, type: Int32, fields: [String],
    records: [(parts: [[Coordinate]]?, values: [String?])]
) throws {
    let shp = try #require(SHPCreate(path, type))
    let dbf = try #require(DBFCreate(path))
    defer {
        SHPClose(shp)
        DBFClose(dbf)
    }
    for f in fields { #expect(DBFAddField(dbf, f, FTString, 32, 0) >= 0) }
    for (i, r) in records.enumerated() {
        let object: UnsafeMutablePointer<SHPObject>
        if let parts = r.parts {
            var starts: [Int32] = []
            var xs: [Double] = []
            var ys: [Double] = []
            for p in parts {
                starts.append(Int32(xs.count))
                xs += p.map(\.x)
                ys += p.map(\.y)
            }
            object = try #require(
                SHPCreateObject(type, -1, Int32(parts.count), &starts, nil, Int32(xs.count), &xs, &ys, nil, nil))
        } else {
            object = try #require(SHPCreateObject(SHPT_NULL, -1, 0, nil, nil, 0, nil, nil, nil, nil))
        }
        #expect(SHPWriteObject(shp, -1, object) == Int32(i))
        SHPDestroyObject(object)
        for (f, v) in r.values.enumerated() {
            if let v {
                DBFWriteStringAttribute(dbf, Int32(i), Int32(f), v)
            } else {
                DBFWriteNULLAttribute(dbf, Int32(i), Int32(f))
            }
        }
    }
}

/// A clockwise (outer) or counter-clockwise (hole) axis-aligned square ring, closed.
private func square(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double, clockwise: Bool) -> [Coordinate] {
    let ccw = [Coordinate(x0, y0), Coordinate(x1, y0), Coordinate(x1, y1), Coordinate(x0, y1), Coordinate(x0, y0)]
    return clockwise ? ccw.reversed() : ccw
}

@Suite("Shapefile")
struct ShapefileTests {
    @Test func polygonsLinesAndAttributes() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("shp-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }

        let outer = square(0, 0, 10, 10, clockwise: true)
        let hole = square(2, 2, 4, 4, clockwise: false)
        // Written unclosed: the reader must close it.
        let second = Array(square(20, 0, 25, 5, clockwise: true).dropLast())
        let secondHole = square(21, 1, 22, 2, clockwise: false)
        // A lake on an island in a lake: each hole belongs to the smallest outer ring around it.
        let land = square(0, 0, 100, 100, clockwise: true)
        let lake = square(10, 10, 90, 90, clockwise: false)
        let island = square(30, 30, 70, 70, clockwise: true)
        let pond = square(40, 40, 50, 50, clockwise: false)

        let polygons = dir + "/zones.shp"
        try writeShapefile(
            polygons, type: SHPT_POLYGON, fields: ["NAME", "CODE"],
            records: [
                // Holes listed before or after their outers, as files do.
                ([outer, second, secondHole, hole], ["  Île-de-France ", "11"]),
                ([hole, outer], ["Solo", nil]),
                ([pond, land, island, lake], ["Nested", "3"]),
                (nil, ["Null", "4"]),
            ])
        let records = try ShapefileReader.read(path: polygons)
        #expect(records.count == 4)
        #expect(records[0].attributes == ["NAME": "Île-de-France", "CODE": "11"])
        #expect(records[1].attributes == ["NAME": "Solo", "CODE": ""])
        #expect(records[0].shape == .multiPolygon([[outer, hole], [second + [second[0]], secondHole]]))
        #expect(records[1].shape == .polygon([outer, hole]))
        #expect(records[2].shape == .multiPolygon([[land, lake], [island, pond]]))
        #expect(records[3].shape == nil)
        for r in records.prefix(3) {
            let g = try GeosContext().geometry(try #require(r.shape))
            #expect(try g.isValid(), "\(r.attributes)")
        }

        let lines = dir + "/lines.shp"
        let a = [Coordinate(0, 0), Coordinate(1, 1), Coordinate(2, 0)]
        let b = [Coordinate(5, 5), Coordinate(6, 6)]
        try writeShapefile(
            lines, type: SHPT_ARC, fields: ["KIND"],
            records: [
                ([a], ["single"]), ([a, b], ["double"]),
            ])
        let l = try ShapefileReader.read(path: lines)
        #expect(l.map(\.shape) == [.lineString(a), .multiLineString([a, b])])
        #expect(l.map { $0.attributes["KIND"] } == ["single", "double"])

        let points = dir + "/points.shp"
        try writeShapefile(points, type: SHPT_POINT, fields: ["ID"], records: [([[Coordinate(2.35, 48.85)]], ["1"])])
        #expect(try ShapefileReader.read(path: points).first?.shape == .point(Coordinate(2.35, 48.85)))
    }

    @Test func missingOrUnreadableFiles() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("shp-bad-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }

        let missing = dir + "/missing.shp"
        let e1 = #expect(throws: ShapefileError.self) { try ShapefileReader.read(path: missing) }
        #expect(e1?.path == missing && e1?.message == "no such file")

        let junk = dir + "/junk.shp"
        try Data(repeating: 0x41, count: 200).write(to: URL(fileURLWithPath: junk))
        try Data(repeating: 0x41, count: 200).write(to: URL(fileURLWithPath: dir + "/junk.shx"))
        let e2 = #expect(throws: ShapefileError.self) { try ShapefileReader.read(path: junk) }
        #expect(e2?.path == junk)
    }

    /// The real Natural Earth countries, when PERIMETRE_NE_DIR points at them.
    @Test(
        .enabled(
            if: naturalEarthCountries != nil,
            "set PERIMETRE_NE_DIR to a folder holding ne_10m_admin_0_countries.shp to run this test"))
    func naturalEarthFrance() throws {
        let records = try ShapefileReader.read(path: try #require(naturalEarthCountries))
        #expect(records.count > 200)
        let france = try #require(records.first { $0.attributes["ADM0_A3"] == "FRA" })
        guard case .multiPolygon(let parts) = france.shape else {
            Issue.record("France is not a multipolygon: \(String(describing: france.shape?.typeName))")
            return
        }
        #expect(parts.count > 10)
        #expect(parts.allSatisfy { $0.allSatisfy { $0.count >= 4 && $0.first == $0.last } })
        #expect(france.attributes["NAME"] == "France")
    }
}

private let naturalEarthCountries: String? = ProcessInfo.processInfo.environment["PERIMETRE_NE_DIR"]
    .map { $0 + "/ne_10m_admin_0_countries.shp" }
    .flatMap { FileManager.default.fileExists(atPath: $0) ? $0 : nil }
