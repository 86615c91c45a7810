import Foundation
import PerimetreGeometry
import Testing

@Suite("Buffer, repair, normalization and construction")
struct OperationsTests {
    @Test func bufferOfAPointApproximatesACircle() throws {
        // quadrantSegments 8: a regular 32-gon inscribed in the circle, area (n/2) r² sin(2π/n).
        let ctx = GeosContext()
        let r = 10.0
        let disc = try ctx.geometry(.point(Coordinate(3, 4))).buffer(r, quadrantSegments: 8)
        let area = try disc.area()
        let inscribed32 = 16 * r * r * sin(Double.pi / 16)
        #expect(close(area, inscribed32, rel: 1e-9))
        #expect(close(area, Double.pi * r * r, rel: 0.01))
        #expect(area < Double.pi * r * r)
        // Finer segments approach πr² more closely: (n = 128) within 0.05 %.
        let fine = try ctx.geometry(.point(Coordinate(0, 0))).buffer(r, quadrantSegments: 32).area()
        #expect(close(fine, Double.pi * r * r, rel: 5e-4))
        #expect(disc.envelope() == Envelope(minX: -7, minY: -6, maxX: 13, maxY: 14))
    }

    @Test func boxDistanceIsALowerBoundOfTheDistance() throws {
        let ctx = GeosContext()
        // Two squares diagonally apart: the boxes' distance is the shapes' (corner to corner).
        let a = try ctx.geometry(rect(0, 0, 1, 1))
        let b = try ctx.geometry(rect(4, 5, 6, 6))
        #expect(a.envelope().distance(to: b.envelope()) == 5)
        #expect(close(try a.distance(b), 5, rel: 1e-12))
        // A disc beside the square: its box is nearer than the disc itself.
        let disc = try ctx.geometry(.point(Coordinate(10, 10))).buffer(3)
        let bound = a.envelope().distance(to: disc.envelope())
        let distance = try a.distance(disc)
        #expect(bound > 0 && bound < distance)
        // Boxes that meet, and an empty box, bound nothing.
        #expect(a.envelope().distance(to: Envelope(minX: 0.5, minY: 0.5, maxX: 2, maxY: 2)) == 0)
        #expect(a.envelope().distance(to: .empty) == 0)
    }

    @Test(
        "Indexed distance of disjoint or touching shapes = GEOS's plain distance, to the bit; overlap is not its case")
    func indexedDistanceOfDisjointShapes() throws {
        let ctx = GeosContext()
        // Wiggly rings (buffered stars of 40 points) placed at random, seeded: pairs apart,
        // touching, and inside another's hole (an island in a lake is still apart from it).
        var rng = SeededGenerator(state: 7)
        func star(_ x: Double, _ y: Double, _ r: Double) throws -> Geometry {
            let pts = (0...40).map { k -> Coordinate in
                let a = Double(k % 40) / 40 * 2 * .pi
                let rr = r * (k % 2 == 0 ? 1 : 0.6) * (0.8 + 0.4 * rng.unit())
                return Coordinate(x + rr * cos(a), y + rr * sin(a))
            }
            return try ctx.geometry(.polygon([pts.dropLast() + [pts[0]]]))
        }
        var compared = 0
        for _ in 0..<200 {
            let a = try star(0, 0, 10)
            let b = try star(25 * rng.unit() - 5, 25 * rng.unit() - 5, 2 + 6 * rng.unit())
            guard try !a.intersects(b) || a.touches(b) else { continue }
            let (indexed, plain) = (try a.distanceBetweenDisjoint(b), try a.distance(b))
            #expect(indexed == plain)
            compared += 1
        }
        #expect(compared > 100)
        let touching = try ctx.geometry(rect(0, 0, 1, 1)).distanceBetweenDisjoint(try ctx.geometry(rect(1, 0, 2, 1)))
        #expect(touching == 0)
        let frame = try ctx.geometry(
            .polygon([
                [.init(0, 0), .init(10, 0), .init(10, 10), .init(0, 10), .init(0, 0)],
                [.init(2, 2), .init(2, 8), .init(8, 8), .init(8, 2), .init(2, 2)],
            ]))
        let island = try ctx.geometry(rect(4, 4, 5, 5))
        let (framed, plainFramed) = (try frame.distanceBetweenDisjoint(island), try frame.distance(island))
        #expect(framed == 2 && plainFramed == 2)
        // One inside the other (overlap): the plain distance is 0, the facets' is not.
        let inside = try ctx.geometry(rect(0, 0, 10, 10)).distanceBetweenDisjoint(island)
        let plainInside = try ctx.geometry(rect(0, 0, 10, 10)).distance(island)
        #expect(inside == 4 && plainInside == 0)
    }

    @Test func bufferOfASquare() throws {
        // Unit square grown by 1: 1 + 4 side strips + 4 quarter discs (one 32-gon in all).
        let ctx = GeosContext()
        let g = try ctx.geometry(rect(0, 0, 1, 1)).buffer(1, quadrantSegments: 8)
        #expect(close(try g.area(), 5 + 16 * sin(Double.pi / 16), rel: 1e-9))
        // A negative buffer shrinks: [0,4]² by -1 is [1,3]², area 4.
        let shrunk = try ctx.geometry(rect(0, 0, 4, 4)).buffer(-1)
        #expect(close(try shrunk.area(), 4, rel: 1e-12))
    }

    @Test func makeValidRepairsABowTie() throws {
        // (0 0,1 1,1 0,0 1,0 0) crosses itself at (0.5, 0.5): two triangles of area 1/4.
        let ctx = GeosContext()
        let bowTie = try ctx.readWKT("POLYGON((0 0,1 1,1 0,0 1,0 0))")
        #expect(try bowTie.isValid() == false)
        #expect(try bowTie.validityReason().contains("Self-intersection"))
        let fixed = try bowTie.makeValid()
        #expect(try fixed.isValid())
        #expect(try fixed.validityReason() == "Valid Geometry")
        #expect(close(try fixed.area(), 0.5))
        #expect(try fixed.polygons().count == 2)
        for p in try fixed.polygons() { #expect(close(try p.area(), 0.25)) }
        #expect(fixed.envelope() == Envelope(minX: 0, minY: 0, maxX: 1, maxY: 1))
        // A valid polygon is left as it is.
        let square = try ctx.geometry(rect(0, 0, 1, 1))
        #expect(try square.makeValid().equalsTopologically(square))
    }

    @Test func normalizeIsDeterministic() throws {
        let ctx = GeosContext()
        // The same square from two start vertices and both windings.
        let a = try ctx.readWKT("POLYGON((0 0,1 0,1 1,0 1,0 0))")
        let b = try ctx.readWKT("POLYGON((1 1,1 0,0 0,0 1,1 1))")
        #expect(try a.wkt() != b.wkt())
        let na = try a.normalized().wkt()
        let nb = try b.normalized().wkt()
        #expect(na == nb)
        // GEOS's canonical form: shell clockwise, starting from its lowest-leftmost vertex.
        #expect(na == "POLYGON ((0 0, 0 1, 1 1, 1 0, 0 0))")
        #expect(try a.normalized().normalized().wkt() == na)
        // The original is not modified (normalized() works on a copy).
        #expect(try a.wkt() == "POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))")

        // Multi-part geometries: part order does not matter after normalization.
        let m1 = try ctx.readWKT("MULTIPOLYGON(((0 0,1 0,1 1,0 0)),((5 5,6 5,6 6,5 5)))")
        let m2 = try ctx.readWKT("MULTIPOLYGON(((6 6,5 5,6 5,6 6)),((1 1,0 0,1 0,1 1)))")
        #expect(try m1.normalized().wkt() == m2.normalized().wkt())
        #expect(try m1.normalized().wkb() == m2.normalized().wkb())
    }

    @Test func interiorPointIsInsideAConcavePolygon() throws {
        // A U shape: the 3x3 square minus the notch [1,2] x [1,3]. Area 7; its centroid
        // (1.5, 9.5/7 ≈ 1.357) falls in the notch, outside the polygon.
        let ctx = GeosContext()
        let u = try ctx.readWKT("POLYGON((0 0,3 0,3 3,2 3,2 1,1 1,1 3,0 3,0 0))")
        #expect(close(try u.area(), 7))
        let c = try u.centroid()
        #expect(close(c.x, 1.5, rel: 1e-12))
        #expect(close(c.y, 9.5 / 7, rel: 1e-12))
        #expect(try !u.contains(try ctx.geometry(.point(c))))
        let p = try u.interiorPoint()
        #expect(try u.contains(try ctx.geometry(.point(p))))
    }

    @Test func maximumInscribedCircleOfARectangle() throws {
        // A 10 x 4 rectangle: the largest inscribed circle has radius 2, centre on y = 2.
        let ctx = GeosContext()
        let g = try ctx.geometry(rect(0, 0, 10, 4))
        let (centre, radius) = try g.maximumInscribedCircle(tolerance: 0.001)
        #expect(abs(radius - 2) <= 0.001)
        #expect(abs(centre.y - 2) <= 0.001)
        #expect((2 - 0.001)...(8 + 0.001) ~= centre.x)
        // A square of side 6: radius 3 at the centre.
        let sq = try ctx.geometry(rect(0, 0, 6, 6)).maximumInscribedCircle(tolerance: 0.0001)
        #expect(abs(sq.radius - 3) <= 0.0001)
        #expect(abs(sq.center.x - 3) <= 0.0001 && abs(sq.center.y - 3) <= 0.0001)
    }

    @Test func holesPolygonsAndWithoutHoles() throws {
        // [0,10]² with two 2x2 holes: area 100 - 8.
        let ctx = GeosContext()
        let withHoles = try ctx.geometry(
            .polygon([
                counterClockwiseRing(0, 0, 10, 10), clockwiseRing(2, 2, 4, 4), clockwiseRing(6, 6, 8, 8),
            ]))
        #expect(close(try withHoles.area(), 92))
        #expect(withHoles.numInteriorRings == 2)
        let holes = try withHoles.holes()
        #expect(holes.count == 2)
        #expect(holes.allSatisfy { $0.kind == .polygon })
        #expect(try holes.map { try $0.area() } == [4, 4])
        #expect(holes[0].envelope() == Envelope(minX: 2, minY: 2, maxX: 4, maxY: 4))
        #expect(holes[1].envelope() == Envelope(minX: 6, minY: 6, maxX: 8, maxY: 8))
        let shell = try withHoles.withoutHoles()
        #expect(shell.kind == .polygon)
        #expect(close(try shell.area(), 100))
        #expect(shell.numInteriorRings == 0)
        #expect(try withHoles.exteriorRing().kind == .linearRing)
        #expect(close(try withHoles.exteriorRing().length(), 40))

        // A multipolygon: polygons() returns the parts, holes() collects every part's holes.
        let multi = try ctx.geometry(
            .multiPolygon([
                [counterClockwiseRing(0, 0, 10, 10), clockwiseRing(2, 2, 4, 4)],
                [counterClockwiseRing(20, 0, 21, 1)],
            ]))
        #expect(multi.partCount == 2)
        #expect(try multi.polygons().count == 2)
        #expect(try multi.polygons().map { try $0.area() } == [96, 1])
        #expect(try multi.holes().count == 1)
        let filled = try multi.withoutHoles()
        #expect(filled.kind == .multiPolygon)
        #expect(close(try filled.area(), 101))
        // Non-polygonal geometries have no polygons.
        #expect(try ctx.geometry(.lineString([Coordinate(0, 0), Coordinate(1, 1)])).polygons().isEmpty)
        // Parts outlive their parent (they are copies).
        var parts: [Geometry] = []
        do {
            let tmp = try ctx.geometry(
                .multiPolygon([[counterClockwiseRing(0, 0, 1, 1)], [counterClockwiseRing(2, 0, 3, 1)]]))
            parts = try tmp.parts()
        }
        #expect(try parts.map { try $0.area() } == [1, 1])
    }

    @Test func shapeRoundTripThroughGEOS() throws {
        let ctx = GeosContext()
        let shapes: [Shape] = [
            .point(Coordinate(1.5, -2.25)),
            .lineString([Coordinate(0, 0), Coordinate(1, 2), Coordinate(3, 1)]),
            .polygon([counterClockwiseRing(0, 0, 10, 10), clockwiseRing(2, 2, 4, 4)]),
            .multiPoint([Coordinate(0, 0), Coordinate(5, 5)]),
            .multiLineString([[Coordinate(0, 0), Coordinate(1, 1)], [Coordinate(2, 2), Coordinate(3, 5)]]),
            .multiPolygon([[counterClockwiseRing(0, 0, 1, 1)], [counterClockwiseRing(2, 0, 3, 1)]]),
            .collection([.point(Coordinate(9, 9)), rect(0, 0, 1, 1)]),
        ]
        for s in shapes {
            let g = try ctx.geometry(s)
            #expect(try g.shape() == s)
            #expect(g.typeName == s.typeName)
            #expect(g.coordinateCount == s.coordinateCount)
        }
        #expect(try ctx.emptyPolygon().isEmpty)
    }

    @Test func unclosedRingIsRefusedWithOurMessage() throws {
        let ctx = GeosContext()
        let open: Shape = .polygon([[Coordinate(0, 0), Coordinate(1, 0), Coordinate(1, 1), Coordinate(0, 1)]])
        let e = try #require(thrownError { try ctx.geometry(open) } as? GeometryError)
        #expect(e.library == "GEOS")
        #expect(e.message.contains("closed"))
        let short: Shape = .polygon([[Coordinate(0, 0), Coordinate(1, 0), Coordinate(0, 0)]])
        let e2 = try #require(thrownError { try ctx.geometry(short) } as? GeometryError)
        #expect(e2.message.contains("at least 4"))
    }

    @Test func simplifyAndSnap() throws {
        let ctx = GeosContext()
        // A line with a 0.1 bump: simplified away at tolerance 0.5, kept at 0.05.
        let line = try ctx.geometry(.lineString([Coordinate(0, 0), Coordinate(5, 0.1), Coordinate(10, 0)]))
        #expect(try line.simplified(0.5).coordinateCount == 2)
        #expect(try line.simplified(0.05).coordinateCount == 3)
        #expect(try line.simplifiedPreservingTopology(0.5).coordinateCount == 2)
        let snapped = try ctx.geometry(.point(Coordinate(1.26, 2.74))).snappedToGrid(0.5)
        #expect(try snapped.point() == Coordinate(1.5, 2.5))
    }
}

@Suite("STRtree and PreparedGeometry")
struct IndexTests {
    @Test func strtreeQuery() throws {
        // Ten unit squares side by side: [i, i+1] x [0, 1].
        let ctx = GeosContext()
        let squares = try (0..<10).map { i in try ctx.geometry(rect(Double(i), 0, Double(i + 1), 1)) }
        let tree = try STRtree(ctx, squares)
        #expect(tree.count == 10)
        #expect(try tree.query(Envelope(minX: 2.5, minY: 0.5, maxX: 4.5, maxY: 0.6)) == [2, 3, 4])
        #expect(try tree.query(Envelope(minX: 5.5, minY: 5, maxX: 6, maxY: 6)) == [])
        // Envelopes are closed: a box ending at x = 7 hits both squares 6 and 7.
        #expect(try tree.query(Envelope(minX: 6.9, minY: 0.5, maxX: 7, maxY: 0.6)) == [6, 7])
        let probe = try ctx.geometry(.lineString([Coordinate(-5, 0.5), Coordinate(0.5, 0.5)]))
        #expect(tree.query(probe) == [0])
        #expect(try tree.query(Envelope(minX: -100, minY: -100, maxX: 100, maxY: 100)) == Array(0..<10))
    }

    @Test func strtreeNearestUsesTrueDistance() throws {
        let ctx = GeosContext()
        let pts = try [Coordinate(0, 0), Coordinate(10, 0), Coordinate(5, 5), Coordinate(3, 9)]
            .map { try ctx.geometry(.point($0)) }
        let tree = try STRtree(ctx, pts)
        #expect(try tree.nearest(try ctx.geometry(.point(Coordinate(6, 4)))) == 2)
        #expect(try tree.nearest(try ctx.geometry(.point(Coordinate(9, -3)))) == 1)
        #expect(try tree.nearest(try ctx.geometry(.point(Coordinate(2, 10)))) == 3)
        #expect(try tree.nearest(try ctx.geometry(.point(Coordinate(-1, -1)))) == 0)
        // A long diagonal line: its envelope meets every item; the nearest by true distance
        // is (10, 0), lying on the line through (10,0)-(20,10).
        let line = try ctx.geometry(.lineString([Coordinate(10, 0), Coordinate(20, 10)]))
        #expect(try tree.nearest(line) == 1)
        let empty = try STRtree(ctx, [])
        #expect(try empty.nearest(line) == nil)
        #expect(empty.query(line) == [])
    }

    @Test func preparedPredicatesAndDistance() throws {
        let ctx = GeosContext()
        let square = try ctx.geometry(rect(0, 0, 10, 10))
        let prepared = try PreparedGeometry(square)
        let centre = try ctx.geometry(.point(Coordinate(5, 5)))
        let edgePoint = try ctx.geometry(.point(Coordinate(10, 5)))
        let neighbour = try ctx.geometry(rect(10, 0, 11, 1))
        let far = try ctx.geometry(.point(Coordinate(13, 14)))
        #expect(try prepared.contains(centre))
        #expect(try !prepared.contains(edgePoint))
        #expect(try prepared.covers(edgePoint))
        #expect(try prepared.intersects(neighbour))
        #expect(try prepared.touches(neighbour))
        #expect(try !prepared.touches(centre))
        #expect(try !prepared.intersects(far))
        // Nearest point of the square to (13, 14) is the corner (10, 10): distance 5.
        #expect(close(try prepared.distance(far), 5))
        #expect(try prepared.isWithinDistance(far, 5.01))
        #expect(try !prepared.isWithinDistance(far, 4.99))
        #expect(try prepared.distance(centre) == 0)
        // Many probes along y = 3: contained strictly inside 0 < x < 10, intersecting on [0, 10].
        for i in 0..<50 {
            let x = Double(i) * 0.5 - 2
            let p = try ctx.geometry(.point(Coordinate(x, 3)))
            #expect(try prepared.contains(p) == (x > 0 && x < 10))
            #expect(try prepared.intersects(p) == (x >= 0 && x <= 10))
        }
    }
}
