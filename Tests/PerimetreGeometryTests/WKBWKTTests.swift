import PerimetreGeometry
import Testing

@Suite("WKB and WKT")
struct WKBWKTTests {
    // POINT (1 2), little-endian: byte order 01, type 1 (uint32 LE), x = 1.0, y = 2.0 (IEEE 754 LE).
    static let pointHexLE = "0101000000" + "000000000000F03F" + "0000000000000040"
    // The same point, big-endian.
    static let pointHexBE = "0000000001" + "3FF0000000000000" + "4000000000000000"
    // LINESTRING (0 0, 1 1), little-endian: type 2, 2 points.
    static let lineHexLE =
        "010200000002000000" + "0000000000000000" + "0000000000000000"
        + "000000000000F03F" + "000000000000F03F"

    @Test func hexParsing() throws {
        let w = try #require(WKBGeometry(hex: "00ff10Ab"))
        #expect(w.bytes == [0x00, 0xFF, 0x10, 0xAB])
        #expect(WKBGeometry(hex: "abc") == nil)  // odd length
        #expect(WKBGeometry(hex: "0g") == nil)  // not hex
        #expect(WKBGeometry(hex: "")?.bytes == [])
    }

    @Test func readingHandWrittenWKB() throws {
        let ctx = GeosContext()
        let le = try ctx.readWKB(try #require(WKBGeometry(hex: Self.pointHexLE)))
        #expect(le.kind == .point)
        #expect(try le.point() == Coordinate(1, 2))
        let be = try ctx.readWKB(try #require(WKBGeometry(hex: Self.pointHexBE)))
        #expect(try be.point() == Coordinate(1, 2))
        let line = try ctx.readWKB(try #require(WKBGeometry(hex: Self.lineHexLE)))
        #expect(try line.shape() == .lineString([Coordinate(0, 0), Coordinate(1, 1)]))
        // Writing gives back exactly the little-endian bytes.
        #expect(try le.wkb() == WKBGeometry(hex: Self.pointHexLE))
        #expect(try be.wkb() == WKBGeometry(hex: Self.pointHexLE))
        #expect(try line.wkb() == WKBGeometry(hex: Self.lineHexLE))
        // A slice (as after a GeoPackage header) reads too.
        let padded = [0xDE, 0xAD] + WKBGeometry(hex: Self.pointHexLE)!.bytes
        #expect(try ctx.readWKB(padded[2...]).point() == Coordinate(1, 2))
    }

    @Test func multiPointWithAnEmptyMemberConvertsToShape() throws {
        // MULTIPOINT (EMPTY, 1 2): WKB writes the empty point as NaN, NaN (0x7FF8000000000000).
        let hex =
            "0104000000" + "02000000" + "0101000000" + "000000000000F87F" + "000000000000F87F"
            + Self.pointHexLE
        let ctx = GeosContext()
        let g = try ctx.readWKB(try #require(WKBGeometry(hex: hex)))
        #expect(g.partCount == 2)
        #expect(try g.shape() == .multiPoint([Coordinate(1, 2)]))
        #expect(try ctx.readWKT("POINT EMPTY").shape() == .multiPoint([]))
    }

    @Test func wkbRoundTrip() throws {
        let ctx = GeosContext()
        let shapes: [Shape] = [
            .polygon([counterClockwiseRing(0, 0, 10, 10), clockwiseRing(2, 2, 4, 4)]),
            .multiPolygon([[counterClockwiseRing(0.1, 0.2, 1.3, 1.4)], [counterClockwiseRing(2, 0, 3, 1)]]),
            .collection([.point(Coordinate(-61.5, 16.25)), .lineString([Coordinate(0, 0), Coordinate(1e-9, 1e9)])]),
        ]
        for s in shapes {
            let g = try ctx.geometry(s)
            let w = try g.wkb()
            let back = try ctx.readWKB(w)
            #expect(try back.shape() == s)  // bit-exact coordinates
            #expect(try back.wkb() == w)
            // And through a hex string.
            let hex = w.bytes.map { b in
                String(b, radix: 16).count == 1 ? "0" + String(b, radix: 16) : String(b, radix: 16)
            }.joined()
            #expect(try ctx.readWKB(try #require(WKBGeometry(hex: hex))).shape() == s)
        }
    }

    @Test func wktRoundTrip() throws {
        let ctx = GeosContext()
        let text = "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 2 4, 4 4, 4 2, 2 2))"
        let g = try ctx.readWKT(text)
        #expect(close(try g.area(), 96))
        #expect(try g.wkt() == text)
        #expect(try ctx.readWKT(try g.wkt()).shape() == g.shape())
        let p = try ctx.readWKT("POINT (1.23456 -2)")
        #expect(try p.wkt(precision: 2) == "POINT (1.23 -2)")
        #expect(try ctx.readWKT("MULTIPOINT ((0 0), (1 1))").kind == .multiPoint)
        #expect(try ctx.readWKT("GEOMETRYCOLLECTION EMPTY").isEmpty)
    }

    @Test func truncatedWKBThrowsGEOSMessage() throws {
        let ctx = GeosContext()
        let bytes = try #require(WKBGeometry(hex: Self.pointHexLE)).bytes
        for cut in [bytes.count - 4, 5, 1, 0] {
            let error = thrownError { try ctx.readWKB(WKBGeometry(Array(bytes.prefix(cut)))) }
            let e = try #require(error as? GeometryError, "cut at \(cut): \(String(describing: error))")
            #expect(e.library == "GEOS")
            #expect(e.operation == "readWKB")
            #expect(!e.message.isEmpty)
            #expect(e.message != placeholderMessage)
            #expect(e.message.contains("ParseException"), "\(e.message)")
        }
        // An unknown geometry type number.
        let bad = WKBGeometry([0x01, 0x63, 0x00, 0x00, 0x00] + bytes.dropFirst(5))
        let e = try #require(thrownError { try ctx.readWKB(bad) } as? GeometryError)
        #expect(e.library == "GEOS" && e.message != placeholderMessage && !e.message.isEmpty)
    }

    @Test func invalidWKTThrowsGEOSMessage() throws {
        let ctx = GeosContext()
        for text in ["POLYGON((0 0, 1 1", "NOT A GEOMETRY", "POINT (1)", ""] {
            let error = thrownError { try ctx.readWKT(text) }
            let e = try #require(error as? GeometryError, "\(text): \(String(describing: error))")
            #expect(e.library == "GEOS")
            #expect(e.operation == "readWKT")
            #expect(!e.message.isEmpty && e.message != placeholderMessage, "\(text): \(e.message)")
            #expect(e.message.contains("ParseException"), "\(text): \(e.message)")
            #expect(e.description.hasPrefix("GEOS readWKT: "))
        }
        // Messages do not leak from one failure into the next call.
        let first = try #require(thrownError { try ctx.readWKT("POINT (1)") } as? GeometryError)
        _ = try ctx.readWKT("POINT (1 2)")
        let second = try #require(thrownError { try ctx.readWKT("LINESTRING (0 0, 1") } as? GeometryError)
        #expect(first.message != placeholderMessage && second.message != placeholderMessage)
    }
}
