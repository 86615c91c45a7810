import PerimetreGeometry
import Testing

/// What one task reports back: only Sendable values cross the task boundary.
struct TaskResult: Sendable {
    var task: Int
    var coverageArea: Double
    var coverageUsedFallback: Bool
    var coveragePolygons: Int
    var coverageHoles: Int
    var overlapArea: Double
    var overlapUsedFallback: Bool
    var unionWKB: WKBGeometry
    var projected: Coordinate
    var geodesicArea: Double
}

@Suite("Concurrency: one GEOS context per task")
struct ConcurrencyTests {
    /// An n x n grid of unit cells starting at (offset, offset), minus the cell (1, 1): a
    /// coverage with area n² - 1 and one hole.
    static func work(_ task: Int, n: Int) throws -> TaskResult {
        let ctx = GeosContext()
        let o = Double(task) * 100
        var cells: [Geometry] = []
        for i in 0..<n {
            for j in 0..<n where !(i == 1 && j == 1) {
                cells.append(try ctx.geometry(rect(o + Double(i), o + Double(j), o + Double(i + 1), o + Double(j + 1))))
            }
        }
        let cov = try ctx.coverageUnion(cells)
        let overlapping = try [rect(o, o, o + 1, o + 1), rect(o + 0.5, o, o + 1.5, o + 1)].map(ctx.geometry)
        let over = try ctx.coverageUnion(overlapping)
        let unary = try ctx.unaryUnion(cells)
        let t = try CoordinateTransformer(from: "EPSG:4326", to: "EPSG:2154")
        let area = GeodesicMeasure.area(of: .polygon([cellRing(lon0: 0, lon1: 1, lat0: 45, lat1: 46)]))
        return TaskResult(
            task: task, coverageArea: try cov.geometry.area(), coverageUsedFallback: cov.usedFallback,
            coveragePolygons: try cov.geometry.polygons().count, coverageHoles: try cov.geometry.holes().count,
            overlapArea: try over.geometry.area(), overlapUsedFallback: over.usedFallback,
            unionWKB: try unary.normalized().wkb(), projected: try t.transform(Coordinate(3, 46.5)),
            geodesicArea: area)
    }

    @Test func parallelUnionsInSeparateContexts() async throws {
        let tasks = 8
        let n = 12
        let results = try await withThrowingTaskGroup(of: TaskResult.self) { group in
            for i in 0..<tasks { group.addTask { try Self.work(i, n: n) } }
            var out: [TaskResult] = []
            for try await r in group { out.append(r) }
            return out.sorted { $0.task < $1.task }
        }
        #expect(results.count == tasks)
        let cellArea = Ellipsoid.quadrangleArea(lon0: 0, lon1: 1, lat0: 45, lat1: 46)
        for r in results {
            #expect(close(r.coverageArea, Double(n * n - 1), rel: 1e-12), "task \(r.task)")
            #expect(r.coverageUsedFallback == false)
            #expect(r.coveragePolygons == 1)
            #expect(r.coverageHoles == 1)
            #expect(close(r.overlapArea, 1.5, rel: 1e-12))
            #expect(r.overlapUsedFallback == true)
            #expect(abs(r.projected.x - 700_000) < 0.001 && abs(r.projected.y - 6_600_000) < 0.001)
            #expect(close(r.geodesicArea, cellArea, rel: 1e-7))
            // The WKB handed back is read in this task's own context.
            let ctx = GeosContext()
            let g = try ctx.readWKB(r.unionWKB)
            #expect(close(try g.area(), Double(n * n - 1), rel: 1e-12))
            let o = Double(r.task) * 100
            #expect(g.envelope() == Envelope(minX: o, minY: o, maxX: o + Double(n), maxY: o + Double(n)))
        }
    }

    struct Failure: Error, Equatable { let item: Int }

    /// Results come back in input order; when several items fail on different workers, the error
    /// rethrown is the one of the lowest failing index (items are taken in order, and an item
    /// already taken still reports), whichever worker got there first.
    @Test func parallelMapKeepsOrderAndRethrowsTheFirstFailure() throws {
        let items = Array(0..<400)
        let squares = try parallelMap(items, workers: 4) { ctx, i in
            try ctx.geometry(rect(0, 0, Double(i), 1)).area()
        }
        #expect(squares == items.map(Double.init))
        for _ in 0..<20 {
            let error = thrownError {
                try parallelMap(items, workers: 4) { (_: GeosContext, i: Int) -> Int in
                    if i % 3 == 1 { throw Failure(item: i) }
                    return i
                }
            }
            #expect(error as? Failure == Failure(item: 1))
        }
    }
}
