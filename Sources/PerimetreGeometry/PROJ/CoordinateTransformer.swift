internal import CPROJ
import Foundation

/// A PROJ transformation between two CRS, with axis order normalised to x = east / longitude,
/// y = north / latitude whatever the CRS definitions say. One per task: not Sendable.
///
/// ```swift
/// let t = try CoordinateTransformer(from: "EPSG:4326", to: "EPSG:2154")
/// let p = try t.transform(Coordinate(2.35, 48.85))   // Paris in Lambert-93 metres
/// ```
public final class CoordinateTransformer {
    /// The source CRS, as given (`EPSG:4326`).
    public let source: String
    /// The target CRS, as given.
    public let target: String
    private let ctx: OpaquePointer
    private let pj: OpaquePointer
    /// PJ_INV when `pj` is the transformation the other way round (cloned from its template).
    private let direction: PJ_DIRECTION
    private let log: ProjLog

    /// PROJ's log lines are collected so a failure carries PROJ's own words.
    final class ProjLog { var lines: [String] = [] }

    /// A transformation from one CRS to another.
    ///
    /// - Parameters:
    ///   - source: The source CRS, as PROJ understands it (`EPSG:4326`).
    ///   - target: The target CRS.
    /// - Throws: `GeometryError` with PROJ's own message when PROJ is missing or a CRS is unknown.
    public init(from source: String, to target: String) throws {
        self.source = source
        self.target = target
        if let e = perimetre_proj_load() {
            throw GeometryError(library: "PROJ", operation: "load", message: String(cString: e))
        }
        guard let c = perimetre_proj_context_create() else {
            throw GeometryError(library: "PROJ", operation: "context", message: "proj_context_create failed")
        }
        ctx = c
        let log = ProjLog()
        self.log = log
        perimetre_proj_log_level(c, PJ_LOG_ERROR)
        perimetre_proj_log_func(
            c, Unmanaged.passUnretained(log).toOpaque(),
            { userdata, _, message in
                guard let userdata, let message else { return }
                Unmanaged<ProjLog>.fromOpaque(userdata).takeUnretainedValue().lines.append(String(cString: message))
            })
        let op = "transform \(source)→\(target)"
        // The operation search in proj.db costs 15-25 ms per CRS pair. A pipeline registered for
        // the pair (computed by `data build`) is instantiated without it, in about 0.1 ms;
        // otherwise the search is done once per process (see `Templates`) and each transformer
        // gets its own copy bound to its own context.
        if let (pj, inverse) = Self.registered(c, source, target) {
            self.pj = pj
            direction = inverse ? PJ_INV : PJ_FWD
        } else if let (pj, inverse) = Templates.clone(source, target, into: c) {
            self.pj = pj
            direction = inverse ? PJ_INV : PJ_FWD
        } else if let pj = Self.create(c, source, target) {
            self.pj = pj
            direction = PJ_FWD
        } else {
            let e = Self.error(c, log, op)
            perimetre_proj_context_destroy(c)
            throw e
        }
    }

    /// Starts loading libproj on a thread of its own, for a command likely to need it (an audit
    /// measures its enclaves) while a core is idle: loading its chain of libraries costs ~7 ms,
    /// which the first transformer of a parallel analysis would otherwise pay with the other
    /// workers waiting for it. A failure is reported by the first transformer, as without it.
    ///
    /// The command must call ``finishPreloading()`` before the process exits, on every path:
    /// exiting while the libraries are being constructed would run their destructors.
    ///
    /// ```swift
    /// CoordinateTransformer.preloadLibrary()
    /// defer { CoordinateTransformer.finishPreloading() }
    /// ```
    public static func preloadLibrary() { perimetre_proj_preload() }

    /// Waits for the loading ``preloadLibrary()`` started, if any.
    public static func finishPreloading() { perimetre_proj_preload_finish() }

    /// The PROJ pipeline of the operation PROJ chooses from `source` to `target` (normalised to
    /// x = east), for ``register(pipeline:from:to:)`` in a later process.
    ///
    /// ```swift
    /// try CoordinateTransformer.pipeline(from: "EPSG:4326", to: "EPSG:2154")
    /// // "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad +step +proj=lcc …"
    /// ```
    /// - Returns: nil when PROJ cannot write the operation as one pipeline (several candidate
    ///   operations chosen by area of use at each point): such a pair keeps the search.
    /// - Throws: ``GeometryError`` with PROJ's message when no operation exists.
    public static func pipeline(from source: String, to target: String) throws -> String? {
        // Searched afresh, whatever is registered: this is what registration stands in for.
        if let e = perimetre_proj_load() {
            throw GeometryError(library: "PROJ", operation: "load", message: String(cString: e))
        }
        guard let c = perimetre_proj_context_create() else {
            throw GeometryError(library: "PROJ", operation: "context", message: "proj_context_create failed")
        }
        defer { perimetre_proj_context_destroy(c) }
        perimetre_proj_log_level(c, PJ_LOG_NONE)
        guard let pj = create(c, source, target) else {
            _ = try CoordinateTransformer(from: source, to: target)  // throws with PROJ's message
            return nil
        }
        defer { perimetre_proj_destroy(pj) }
        return perimetre_proj_as_proj_string(c, pj).map { String(cString: $0) }
    }

    /// Registers for this process the pipeline from `source` to `target` computed by
    /// ``pipeline(from:to:)``: transformers of the pair (and of the way back, inverted) are then
    /// built from it, without searching proj.db. A pipeline PROJ then refuses is ignored (the
    /// search is done as without it).
    public static func register(pipeline: String, from source: String, to target: String) {
        Templates.register(pipeline, source, target)
    }

    /// The registered pipeline of the pair (or of the way back, inverted) in context `c`.
    /// Built without data files: the pipelines of the local CRS need no grid, and PROJ 9.1 would
    /// otherwise open proj.db for the object's metadata (10-25 ms per process). Its complaint
    /// that proj.db is missing is not logged.
    private static func registered(
        _ c: OpaquePointer, _ source: String, _ target: String
    ) -> (OpaquePointer, inverse: Bool)? {
        guard let (pipeline, inverse) = Templates.pipeline(source, target) else { return nil }
        perimetre_proj_context_without_files(c, 1)
        perimetre_proj_log_level(c, PJ_LOG_NONE)
        defer { perimetre_proj_log_level(c, PJ_LOG_ERROR) }
        guard let pj = pipeline.withCString({ perimetre_proj_create(c, $0) }) else {
            perimetre_proj_context_without_files(c, 0)  // the search, as without a pipeline
            return nil
        }
        if inverse && perimetre_proj_has_inverse(pj) == 0 {
            perimetre_proj_destroy(pj)
            perimetre_proj_context_without_files(c, 0)
            return nil
        }
        return (pj, inverse)
    }

    /// A new normalised (x = east) transformation in context `c`, nil on failure (message in the log).
    fileprivate static func create(_ c: OpaquePointer, _ source: String, _ target: String) -> OpaquePointer? {
        guard let raw = perimetre_proj_create_crs_to_crs(c, source, target) else { return nil }
        defer { perimetre_proj_destroy(raw) }
        return perimetre_proj_normalize_for_visualization(c, raw)
    }

    deinit {
        perimetre_proj_destroy(pj)
        perimetre_proj_context_destroy(ctx)
    }

    private static func error(_ c: OpaquePointer, _ log: ProjLog, _ op: String) -> GeometryError {
        var msg = log.lines.joined(separator: "; ")
        let errno = perimetre_proj_context_errno(c)
        if msg.isEmpty, errno != 0, let s = perimetre_proj_context_errno_string(c, errno) { msg = String(cString: s) }
        log.lines.removeAll()
        return GeometryError(library: "PROJ", operation: op, message: msg.isEmpty ? "failed without a message" : msg)
    }

    /// Transforms coordinates in place, in one PROJ call.
    public func transform(_ cs: inout [Coordinate]) throws {
        if cs.isEmpty { return }
        let n = cs.count
        let count = cs.withUnsafeMutableBufferPointer { buf in
            buf.withMemoryRebound(to: Double.self) { d in
                perimetre_proj_trans_xy(pj, direction, d.baseAddress, n)
            }
        }
        let errno = perimetre_proj_errno(pj)
        if count != n || errno != 0 || cs.contains(where: { !$0.x.isFinite || !$0.y.isFinite }) {
            perimetre_proj_errno_reset(pj)
            let bad = cs.first(where: { !$0.x.isFinite || !$0.y.isFinite })
            var e = Self.error(ctx, log, "transform \(source)→\(target)")
            if let bad, e.message == "failed without a message" {
                e.message = "coordinate out of the CRS's domain (got \(bad.x), \(bad.y))"
            }
            throw e
        }
    }

    /// Transforms one coordinate (x = east / longitude).
    ///
    /// - Parameter c: The coordinate in the source CRS.
    /// - Returns: The coordinate in the target CRS.
    /// - Throws: `GeometryError` with PROJ's message when the point cannot be transformed.
    public func transform(_ c: Coordinate) throws -> Coordinate {
        var a = [c]
        try transform(&a)
        return a[0]
    }

    /// A transformed copy of a geometry.
    public func transform(_ g: Geometry) throws -> Geometry {
        try g.mappingSequences { try transform(&$0) }
    }

    /// A transformed copy of a shape.
    public func transform(_ s: Shape) throws -> Shape {
        switch s {
        case .point(let c): return .point(try transform(c))
        case .lineString(var cs):
            try transform(&cs)
            return .lineString(cs)
        case .multiPoint(var cs):
            try transform(&cs)
            return .multiPoint(cs)
        case .polygon(var rs):
            for i in rs.indices { try transform(&rs[i]) }
            return .polygon(rs)
        case .multiLineString(var rs):
            for i in rs.indices { try transform(&rs[i]) }
            return .multiLineString(rs)
        case .multiPolygon(var ps):
            for i in ps.indices { for j in ps[i].indices { try transform(&ps[i][j]) } }
            return .multiPolygon(ps)
        case .collection(let gs): return .collection(try gs.map { try transform($0) })
        }
    }

    /// One transformation per CRS pair for the whole process, in a context of its own that is only
    /// touched under the lock: `proj_clone` gives each task its own object (PJ objects are not
    /// thread-safe), about 0.2 ms instead of a new operation search. An `NSLock` (a pthread mutex)
    /// rather than `Mutex`: with `Mutex` holding this class, ThreadSanitizer reported the table's
    /// accesses inside `withLock` as races (it did not see them ordered); with a pthread mutex it
    /// reports none.
    private final class Templates: @unchecked Sendable {  // all state guarded by `lock`
        static let shared = Templates()
        private let lock = NSLock()
        private let ctx: OpaquePointer?
        private var byPair: [String: OpaquePointer] = [:]
        /// Apart from `shared`, whose creation loads libproj: registering must not load it (a
        /// check of whole EPCI never projects).
        private static let pipelines = Locked<[String: String]>([:])

        static func register(_ pipeline: String, _ source: String, _ target: String) {
            pipelines.withLock { $0[source + ">" + target] = pipeline }
        }

        /// The registered pipeline for the pair, or for the way back to run inverted.
        static func pipeline(_ source: String, _ target: String) -> (String, inverse: Bool)? {
            pipelines.withLock { p in
                if let s = p[source + ">" + target] { return (s, false) }
                if let s = p[target + ">" + source] { return (s, true) }
                return nil
            }
        }

        private init() {
            ctx = perimetre_proj_context_create()
            // Silent: a failure here is repeated in the caller's context, whose log is collected.
            if let ctx { perimetre_proj_log_level(ctx, PJ_LOG_NONE) }
        }

        /// A copy of the transformation bound to context `c`, or a copy of the one the other way
        /// round to run inverted (the way back from a metric CRS needs no second search).
        static func clone(_ source: String, _ target: String, into c: OpaquePointer) -> (OpaquePointer, inverse: Bool)?
        {
            let t = shared
            t.lock.lock()
            defer { t.lock.unlock() }
            guard let tctx = t.ctx else { return nil }
            if let back = t.byPair[target + ">" + source], perimetre_proj_has_inverse(back) != 0 {
                return perimetre_proj_clone(c, back).map { ($0, true) }
            }
            let key = source + ">" + target
            if t.byPair[key] == nil {
                // Failures are not cached: the caller retries in its own context to get PROJ's message.
                guard let pj = CoordinateTransformer.create(tctx, source, target) else { return nil }
                t.byPair[key] = pj
            }
            return perimetre_proj_clone(c, t.byPair[key]).map { ($0, false) }
        }
    }

    /// The PROJ library version, e.g. `9.1.1`.
    public static var projVersion: String { String(cString: perimetre_proj_version()) }
}
