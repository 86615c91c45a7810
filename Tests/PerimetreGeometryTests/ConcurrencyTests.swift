import Dispatch
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

/// ``parallelForEachInOrder(_:workers:order:makeState:progress:_:emit:)``: results handed over
/// in input order whatever order they finish in, one at a time, and the first error stops it.
@Suite("Ordered streaming on all cores")
struct OrderedStreamTests {
    @Test("Started in windows by cost, finished out of order: emitted in input order, each once, never two at a time")
    func inOrder() throws {
        let n = 500
        // Uneven work: some items take 50 times as long as others.
        let costs = (0..<n).map { ($0 * 7919) % 50 + 1 }
        let order = windowedOrder(count: n, window: 16) { costs[$0] }
        #expect(order.sorted() == Array(0..<n))
        #expect(order.prefix(16).map { costs[$0] } == order.prefix(16).map { costs[$0] }.sorted(by: >))
        let emitted = Locked<[Int]>([])
        let inside = Locked(0)
        let overlapped = Locked(false)
        try parallelForEachInOrder(Array(0..<n), workers: 4, order: order, makeState: {}) { _, i, x -> Int in
            var s = 0
            for k in 0..<(costs[i] * 2000) { s &+= k ^ x }
            return x * 10 + (s & 0)
        } emit: { i, r in
            inside.withLock { v in
                if v > 0 { overlapped.withLock { $0 = true } }
                v += 1
            }
            #expect(r == i * 10)
            emitted.withLock { $0.append(i) }
            inside.withLock { $0 -= 1 }
        }
        #expect(emitted.withLock { $0 } == Array(0..<n))
        #expect(!overlapped.withLock { $0 })
    }

    @Test("An error of the work or of the emission is rethrown; nothing after the failing item is emitted")
    func errors() throws {
        struct Failed: Error, Equatable { var at: Int }
        let emitted = Locked<[Int]>([])
        #expect(throws: Failed(at: 40)) {
            try parallelForEachInOrder(Array(0..<200), workers: 3, makeState: {}) { _, i, _ -> Int in
                if i == 40 { throw Failed(at: 40) }
                return i
            } emit: { i, _ in
                emitted.withLock { $0.append(i) }
            }
        }
        // The items before it that were done when it failed are emitted, in order; none after it.
        // How many were done depends on the threads' timing (3 of the 40 on a loaded machine).
        let before = emitted.withLock { $0 }
        #expect(before == Array(0..<before.count) && before.count <= 40)
        let emittedToo = Locked<[Int]>([])
        #expect(throws: Failed(at: 7)) {
            try parallelForEachInOrder(Array(0..<100), workers: 2, makeState: {}) { _, i, _ in
                i
            } emit: { i, _ in
                if i == 7 { throw Failed(at: 7) }
                emittedToo.withLock { $0.append(i) }
            }
        }
        #expect(emittedToo.withLock { $0 } == Array(0..<7))
    }

    @Test("A deferred value runs while its caller works, and gives its value or its error once")
    func deferred() throws {
        struct Failed: Error, Equatable {}
        // The work waits for the caller's signal: it runs beside the caller, not inside get().
        let started = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let calls = Locked(0)
        let d = Deferred { () -> [Int] in
            started.signal()
            release.wait()
            calls.withLock { $0 += 1 }
            return Array(0..<5)
        }
        started.wait()
        #expect(calls.withLock { $0 } == 0)
        release.signal()
        #expect(try d.get() == [0, 1, 2, 3, 4])
        #expect(try d.get() == [0, 1, 2, 3, 4])
        #expect(calls.withLock { $0 } == 1)
        let failing = Deferred { () throws -> Int in throw Failed() }
        failing.wait()
        #expect(throws: Failed()) { try failing.get() }
        #expect(try Deferred(value: "known").get() == "known")
    }

    @Test("A bounded cache makes each key's value once, keeps no error, and empties itself past its limit")
    func boundedCache() throws {
        struct Failed: Error, Equatable {}
        let cache = BoundedCache<Int>(limit: 3)
        let made = Locked(0)
        func value(_ key: String, _ v: Int) -> Int {
            cache.value(for: key) {
                made.withLock { $0 += 1 }
                return v
            }
        }
        #expect(value("a", 1) == 1)
        #expect(value("a", 2) == 1)
        #expect(made.withLock { $0 } == 1)
        #expect(throws: Failed()) { try cache.value(for: "b") { throw Failed() } }
        #expect(value("b", 5) == 5, "an error is not kept")
        #expect(value("c", 6) == 6)
        #expect(made.withLock { $0 } == 3)
        // A fourth key empties the cache: "a" is made again.
        #expect(value("d", 7) == 7)
        #expect(value("a", 8) == 8)
        #expect(made.withLock { $0 } == 5)
    }
}
