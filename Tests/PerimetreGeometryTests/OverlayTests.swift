import PerimetreGeometry
import Testing

@Suite("Union and coverage union")
struct UnionTests {
    @Test func unionOfSquaresSharingAnEdgeIsOnePolygonOfArea2() throws {
        let ctx = GeosContext()
        let a = try ctx.geometry(rect(0, 0, 1, 1))
        let b = try ctx.geometry(rect(1, 0, 2, 1))
        let u = try a.union(b)
        #expect(u.kind == .polygon)
        #expect(try u.area() == 2)
        #expect(u.numInteriorRings == 0)
        #expect(try u.holes().isEmpty)
        #expect(try u.isValid())
        #expect(u.envelope() == Envelope(minX: 0, minY: 0, maxX: 2, maxY: 1))
        // The shared edge is dissolved: the perimeter is that of a 2x1 rectangle.
        #expect(close(try u.length(), 6))
        let unary = try ctx.unaryUnion([a, b])
        #expect(unary.kind == .polygon)
        #expect(try unary.area() == 2)
    }

    @Test func coverageUnionAcceptsATrueCoverage() throws {
        let ctx = GeosContext()
        let parts = try [rect(0, 0, 1, 1), rect(1, 0, 2, 1)].map(ctx.geometry)
        let out = try ctx.coverageUnion(parts)
        #expect(out.usedFallback == false)
        #expect(out.fallbackReason == nil)
        #expect(try out.geometry.polygons().count == 1)
        #expect(close(try out.geometry.area(), 2))
        #expect(out.geometry.numInteriorRings == 0 || out.geometry.kind == .multiPolygon)
        #expect(try out.geometry.holes().isEmpty)
        #expect(try out.geometry.isValid())
    }

    @Test func coverageUnionOfARingOfCellsKeepsTheHole() throws {
        // A 3x3 grid of unit cells without the centre: 8 cells, area 8, one hole of area 1.
        let ctx = GeosContext()
        var cells: [Geometry] = []
        for i in 0..<3 {
            for j in 0..<3 where !(i == 1 && j == 1) {
                cells.append(try ctx.geometry(rect(Double(i), Double(j), Double(i + 1), Double(j + 1))))
            }
        }
        let out = try ctx.coverageUnion(cells)
        #expect(out.usedFallback == false)
        #expect(close(try out.geometry.area(), 8))
        let holes = try out.geometry.holes()
        #expect(holes.count == 1)
        #expect(close(try holes[0].area(), 1))
        #expect(holes[0].envelope() == Envelope(minX: 1, minY: 1, maxX: 2, maxY: 2))
        #expect(close(try out.geometry.withoutHoles().area(), 9))
    }

    @Test func coverageUnionFallsBackOnOverlappingInput() throws {
        // Two unit squares overlapping by 0.5: the true union is [0, 1.5] x [0, 1], area 1.5.
        let ctx = GeosContext()
        let parts = try [rect(0, 0, 1, 1), rect(0.5, 0, 1.5, 1)].map(ctx.geometry)
        let out = try ctx.coverageUnion(parts)
        #expect(out.usedFallback == true)
        let reason = try #require(out.fallbackReason)
        #expect(!reason.isEmpty)
        #expect(close(try out.geometry.area(), 1.5))
        #expect(try out.geometry.isValid())
        #expect(try out.geometry.polygons().count == 1)
        #expect(out.geometry.envelope() == Envelope(minX: 0, minY: 0, maxX: 1.5, maxY: 1))
    }

    @Test func coverageUnionFallsBackOnNestedInput() throws {
        // A square inside another: union is the big one, area 16; the parts sum to 17.
        let ctx = GeosContext()
        let parts = try [rect(0, 0, 4, 4), rect(1, 1, 2, 2)].map(ctx.geometry)
        let out = try ctx.coverageUnion(parts)
        #expect(out.usedFallback == true)
        #expect(out.fallbackReason != nil)
        #expect(close(try out.geometry.area(), 16))
        #expect(try out.geometry.holes().isEmpty)
    }

    /// Unit cells of a grid, by (column, row).
    func cells(_ ctx: GeosContext, _ ij: [(Int, Int)]) throws -> [Geometry] {
        try ij.map { try ctx.geometry(rect(Double($0.0), Double($0.1), Double($0.0 + 1), Double($0.1 + 1))) }
    }

    @Test("The chained dissolve nests an island in a hole: the ring of a 5x5 grid and its centre cell")
    func coverageUnionIslandInAHole() throws {
        let ctx = GeosContext()
        var ij = [(2, 2)]
        for i in 0..<5 { for j in 0..<5 where i == 0 || i == 4 || j == 0 || j == 4 { ij.append((i, j)) } }
        for chained in [true, false] {
            let out = try ctx.coverageUnion(try cells(ctx, ij), chained: chained)
            #expect(!out.usedFallback)
            let polygons = try out.geometry.polygons()
            // The ring (area 16, one hole of 9) and the island (1), in either order.
            #expect(polygons.count == 2)
            #expect(Set(try polygons.map { try $0.area() }) == [16, 1])
            #expect(try out.geometry.holes().map { try $0.area() } == [9])
            #expect(try out.geometry.isValid())
        }
        let (a, b) = (
            try ctx.coverageUnion(try cells(ctx, ij)), try ctx.coverageUnion(try cells(ctx, ij), chained: false)
        )
        #expect(try a.geometry.equalsTopologically(b.geometry))
    }

    @Test("Where the outline touches itself (a hole reaching a corner), the polygonizer sorts the faces out")
    func coverageUnionPinch() throws {
        // A 3x3 grid without its centre and the corner cell above-right of it: the hole meets the
        // outside at (2, 2), where four runs end.
        let ctx = GeosContext()
        var ij: [(Int, Int)] = []
        for i in 0..<3 { for j in 0..<3 where !(i == 1 && j == 1) && !(i == 2 && j == 2) { ij.append((i, j)) } }
        let out = try ctx.coverageUnion(try cells(ctx, ij))
        #expect(!out.usedFallback)
        #expect(try out.geometry.area() == 7)
        #expect(try out.geometry.isValid())
        #expect(
            try out.geometry.equalsTopologically(try ctx.coverageUnion(try cells(ctx, ij), chained: false).geometry))
    }

    @Test("Parts that meet without matching vertices (a T-junction) fall back to the unary union")
    func coverageUnionTJunction() throws {
        // [0,2]x[0,1] below [0,1]x[1,2] and [1,2]x[1,2]: the lower top edge has no vertex at (1, 1).
        let ctx = GeosContext()
        let parts = try [rect(0, 0, 2, 1), rect(0, 1, 1, 2), rect(1, 1, 2, 2)].map(ctx.geometry)
        let out = try ctx.coverageUnion(parts)
        #expect(out.usedFallback)
        #expect(close(try out.geometry.area(), 4))
        #expect(try out.geometry.isValid())
        #expect(try out.geometry.polygons().count == 1)
    }

    @Test("500 random sets of grid cells (holes, islands in holes, pinches): the chained union is GEOS's union")
    func coverageUnionRandomGrids() throws {
        var state: UInt64 = 42
        func next() -> UInt64 {  // SplitMix64, seeded
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        let ctx = GeosContext()
        var withHoles = 0
        var fallbacks = 0
        for _ in 0..<500 {
            // A 6x6 grid, each cell kept with probability 1/2 to 7/8.
            let keep = 4 + next() % 4
            var ij: [(Int, Int)] = []
            for i in 0..<6 { for j in 0..<6 where next() % 8 < keep { ij.append((i, j)) } }
            if ij.isEmpty { continue }
            let parts = try cells(ctx, ij)
            let out = try ctx.coverageUnion(parts)
            let reference = try ctx.unaryUnion(parts)
            // Refused only where GEOS's own coverage union fails too (pinches it cannot sort out).
            if out.usedFallback {
                fallbacks += 1
                #expect(try ctx.coverageUnion(parts, chained: false).usedFallback, "\(ij)")
            }
            #expect(try out.geometry.isValid(), "\(ij)")
            #expect(try out.geometry.area() == Double(ij.count), "\(ij)")
            #expect(try out.geometry.equalsTopologically(reference), "\(ij)")
            if !(try out.geometry.holes().isEmpty) { withHoles += 1 }
        }
        #expect(withHoles > 50, "\(withHoles) unions with a hole")
        #expect(fallbacks < 10, "\(fallbacks) of 500 left to the unary union")
    }

    @Test func coverageUnionOfNothingIsEmpty() throws {
        let ctx = GeosContext()
        let out = try ctx.coverageUnion([])
        #expect(out.geometry.isEmpty)
        #expect(out.usedFallback == false)
    }
}

@Suite("Overlay, distance and predicates")
struct OverlayPredicateTests {
    @Test func overlayAreas() throws {
        // A = [0,2]², B = [1,3]²: they overlap on [1,2]², area 1.
        let ctx = GeosContext()
        let a = try ctx.geometry(rect(0, 0, 2, 2))
        let b = try ctx.geometry(rect(1, 1, 3, 3))
        #expect(close(try a.intersection(b).area(), 1))
        #expect(try a.intersection(b).envelope() == Envelope(minX: 1, minY: 1, maxX: 2, maxY: 2))
        #expect(close(try a.difference(b).area(), 3))
        #expect(close(try b.difference(a).area(), 3))
        #expect(close(try a.symmetricDifference(b).area(), 6))
        #expect(close(try a.union(b).area(), 7))
        // Disjoint: empty intersection.
        let far = try ctx.geometry(rect(10, 10, 11, 11))
        #expect(try a.intersection(far).isEmpty)
        #expect(close(try a.difference(far).area(), 4))
    }

    @Test func clipByRectangle() throws {
        let ctx = GeosContext()
        let a = try ctx.geometry(rect(0, 0, 4, 4))
        let c = try a.clipped(to: Envelope(minX: 1, minY: -1, maxX: 2, maxY: 10))
        #expect(close(try c.area(), 4))  // [1,2] x [0,4]
    }

    @Test func distanceAndNearestPoints() throws {
        // [0,1]² and [4,5]x[5,6]: nearest corners (1,1) and (4,5), a 3-4-5 triangle.
        let ctx = GeosContext()
        let a = try ctx.geometry(rect(0, 0, 1, 1))
        let b = try ctx.geometry(rect(4, 5, 5, 6))
        #expect(close(try a.distance(b), 5))
        let (p, q) = try a.nearestPoints(b)
        #expect(p == Coordinate(1, 1))
        #expect(q == Coordinate(4, 5))
        // A point above the top edge: its nearest point is its foot on y = 1.
        let pt = try ctx.geometry(.point(Coordinate(0.5, 3)))
        #expect(close(try a.distance(pt), 2))
        let (p2, q2) = try a.nearestPoints(pt)
        #expect(p2 == Coordinate(0.5, 1))
        #expect(q2 == Coordinate(0.5, 3))
        #expect(try a.distance(a) == 0)
    }

    @Test func relateMatrixForAnEdgeShareAndACornerContact() throws {
        let ctx = GeosContext()
        let a = try ctx.geometry(rect(0, 0, 1, 1))
        let edge = try ctx.geometry(rect(1, 0, 2, 1))
        let corner = try ctx.geometry(rect(1, 1, 2, 2))
        let far = try ctx.geometry(rect(5, 5, 6, 6))

        // Interiors disjoint (F), boundaries meet in a line (1) for the edge, a point (0) for the corner.
        #expect(try a.relate(edge) == "FF2F11212")
        #expect(try a.relate(corner) == "FF2F01212")
        #expect(try a.relate(far) == "FF2FF1212")

        #expect(try a.relate(edge, pattern: "F***1****") == true)
        #expect(try a.relate(corner, pattern: "F***1****") == false)
        #expect(try a.relate(corner, pattern: "F***0****") == true)

        #expect(try a.intersects(edge))
        #expect(try a.intersects(corner))
        #expect(try !a.intersects(far))
        #expect(try a.touches(edge))
        #expect(try a.touches(corner))
        #expect(try !a.touches(far))

        #expect(close(try a.sharedBoundaryLength(edge), 1))
        #expect(try a.sharedBoundaryLength(corner) == 0)
        #expect(try a.sharedBoundaryLength(far) == 0)
    }

    @Test func containmentPredicates() throws {
        let ctx = GeosContext()
        let big = try ctx.geometry(rect(0, 0, 2, 2))
        let inner = try ctx.geometry(.point(Coordinate(1, 1)))
        let onEdge = try ctx.geometry(.point(Coordinate(0, 1)))
        #expect(try big.contains(inner))
        #expect(try inner.within(big))
        // A boundary point is covered but not contained (OGC definition).
        #expect(try !big.contains(onEdge))
        #expect(try big.covers(onEdge))
        #expect(try big.touches(onEdge))
        // Same square, another start vertex and the other winding: topologically equal.
        let same = try ctx.geometry(
            .polygon([
                [
                    Coordinate(2, 2), Coordinate(2, 0), Coordinate(0, 0),
                    Coordinate(0, 2), Coordinate(2, 2),
                ]
            ]))
        #expect(try big.equalsTopologically(same))
        #expect(try !big.equalsTopologically(try ctx.geometry(rect(0, 0, 2, 3))))
    }
}
