import Foundation
import PerimetreGeometry
import PerimetreReport
import Testing

@Suite("map topology on hand-made fixtures")
struct TopologyFixtureTests {
    @Test("shared borders become single arcs; rebuilding without change gives the input back")
    func arcs() throws {
        let shapes = Fixture.shapes()
        let topo = ArcTopology(shapes: shapes)
        // A|B, A|C, B|D, C|D, 4 outer arcs of the 2×2 block (nodes where the neighbour changes, corners are not),
        // E's outer ring, E|F, A's island and islet.
        let shared = topo.arcs.filter { !$0.isOuter }
        #expect(shared.count == 5)
        #expect(topo.arcs.count == 12)
        for (i, s) in topo.shapes().enumerated() {
            let ctx = GeosContext()
            let a = try ctx.geometry(s)
            let b = try ctx.geometry(shapes[i])
            #expect(try a.equalsTopologically(b), "feature \(i) rebuilt differently")
        }
    }

    @Test(
        "valid after rounding at 5 and 6 decimals, with and without simplification; no overlap, no new gap",
        arguments: [5, 6], [nil, 100.0, 500.0] as [Double?])
    func roundAndSimplify(decimals: Int, simplify: Double?) throws {
        let shapes = Fixture.shapes()
        let before = try coverageFigures(shapes)
        let (out, stats) = try NationalMap.draw(
            shapes, options: MapOptions(simplifyMetres: simplify, precision: decimals))
        let drawn = out.map(\.shape)
        #expect(try invalidShapes(drawn).isEmpty)
        #expect(out.allSatisfy { $0.valid })
        #expect(drawn.allSatisfy { onGrid($0, decimals: decimals) })
        #expect(try overlaps(drawn, sliver: 1e-12).isEmpty)
        let after = try coverageFigures(drawn)
        // No gap: the union has the same parts and holes, and the areas add up (no overlap).
        #expect(after.unionHoles == before.unionHoles)
        #expect(after.unionParts == before.unionParts)
        #expect(after.unionComponents == before.unionComponents)
        #expect(abs(after.sumOfAreas - after.unionArea) < 1e-12)
        if let simplify {
            #expect(stats.arcVerticesAfter < stats.arcVerticesBefore, "simplification \(simplify) m removed nothing")
        }
        // Winding of what is written.
        let map = NationalMap(
            options: MapOptions(precision: decimals),
            features: drawn.enumerated().map {
                Feature(
                    id: .string("f\($0.offset)"), properties: ["id": .string("f\($0.offset)")], geometry: $0.element)
            })
        #expect(try windingErrors(geojson: MapWriter.geojson(map)) == 0)
    }

    @Test("simplification keeps neighbours sharing exactly the same border")
    func sharedBorderIdentical() throws {
        let shapes = Fixture.shapes()
        let (out, _) = try NationalMap.draw(shapes, options: MapOptions(simplifyMetres: 500, precision: 6))
        let ctx = GeosContext()
        let a = try ctx.geometry(out[0].shape)
        let b = try ctx.geometry(out[1].shape)
        // A and B share one line (not a point), and their boundaries overlap on a line of the same length.
        let shared = try a.intersection(b)
        #expect(try shared.length() > 0.05)
        #expect(try a.area() > 0 && shared.area() == 0)
    }

    @Test("islands are dropped only with --min-area, and counted")
    func minArea() throws {
        let shapes = Fixture.shapes()
        let (keep, s0) = try NationalMap.draw(shapes, options: MapOptions())
        #expect(s0.islandsDropped == 0)
        #expect(keep[0].shape.polygons.count == 3)
        let (drop, s1) = try NationalMap.draw(shapes, options: MapOptions(minAreaKm2: 0.01))
        #expect(s1.islandsDropped == 1)
        #expect(drop[0].shape.polygons.count == 2)
        // Enclaves and neighbours are never dropped, whatever the threshold.
        let (big, s2) = try NationalMap.draw(shapes, options: MapOptions(minAreaKm2: 1_000_000))
        #expect(s2.islandsDropped == 2)
        #expect(big.allSatisfy { !$0.shape.polygons.isEmpty })
    }

    @Test("rounding snaps contacts it creates into shared vertices")
    func roundingContacts() throws {
        // Two triangles whose borders pass 0.3e-6° apart: rounded to 6 decimals they would cross.
        let a = Shape.multiPolygon([
            [[Coordinate(0, 0), Coordinate(1, 0), Coordinate(0.5, 0.5000003), Coordinate(0, 0)]]
        ])
        let b = Shape.multiPolygon([
            [[Coordinate(0.2, 0.5), Coordinate(0.8, 0.5), Coordinate(0.5, 1), Coordinate(0.2, 0.5)]]
        ])
        let (out, stats) = try NationalMap.draw([a, b], options: MapOptions(precision: 6))
        #expect(out.allSatisfy { $0.valid })
        #expect(try overlaps(out.map(\.shape), sliver: 0).isEmpty)
        #expect(stats.rounding?.unresolvedConflicts == 0)
    }

    /// Regression: the snap rounding indexed each segment in every cell of its bounding box, the
    /// cell being 4 grid units whatever the grid; quantizing this fixture at 1e6 (TopoJSON test)
    /// ran for minutes and grew past 6 GB. Ten times finer must now take well under a second.
    @Test(
        "quantizing on a fine grid (1e7 points per axis) ends fast; borders stay shared; no contact left",
        .timeLimit(.minutes(1)))
    func fineQuantization() throws {
        let topo = ArcTopology(shapes: Fixture.shapes())
        let grid = QuantizationGrid(extent: topo.envelope, n: 10_000_000)
        let (q, stats) = topo.quantized(on: grid)
        #expect(stats.unresolvedConflicts == 0)
        #expect(q.arcs.count == topo.arcs.count)
        #expect(q.arcs.filter { !$0.isOuter }.count == 5)
        for f in q.features.indices {
            let a0 = GeodesicMeasure.area(of: topo.shape(feature: f))
            let a1 = GeodesicMeasure.area(of: q.shape(feature: f).mapCoordinates(grid.fromGrid))
            #expect(abs(a1 - a0) <= 1e-6 * a0, "feature \(f): \(a1) m² quantized, \(a0) m² before")
        }
    }

    @Test("same input, same bytes")
    func determinism() throws {
        func render() throws -> String {
            let (out, _) = try NationalMap.draw(Fixture.shapes(), options: MapOptions(simplifyMetres: 100))
            let map = NationalMap(
                options: MapOptions(),
                features: out.enumerated().map {
                    Feature(id: .string("f\($0.offset)"), properties: [:], geometry: $0.element.shape)
                })
            return try MapWriter.geojson(map, bbox: true) + MapWriter.geojsonSeq(map)
        }
        #expect(try render() == render())
    }
}
