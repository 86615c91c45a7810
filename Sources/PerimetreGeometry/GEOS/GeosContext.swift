internal import CGEOS

/// A GEOS context: one per task or operation, never shared across threads.
///
/// The type is deliberately not `Sendable`, so the compiler refuses to move a context, or a
/// ``Geometry`` made in it, to another task. Send ``WKBGeometry`` or ``Shape`` values instead.
///
/// ```swift
/// let ctx = GeosContext()
/// let a = try ctx.readWKT("POLYGON((0 0,1 0,1 1,0 1,0 0))")
/// print(try a.area())   // 1.0
/// ```
public final class GeosContext {
    let handle: GEOSContextHandle_t
    /// The last error message GEOS gave through its handler; consumed by `fail`.
    var lastError: String?
    /// Notices (warnings) GEOS emitted, in order; callers may read and clear them.
    public fileprivate(set) var notices: [String] = []

    /// A new GEOS context, its error and notice messages collected.
    public init() {
        handle = GEOS_init_r()
        let me = Unmanaged.passUnretained(self).toOpaque()
        GEOSContext_setErrorMessageHandler_r(
            handle,
            { message, userdata in
                guard let userdata, let message else { return }
                let ctx = Unmanaged<GeosContext>.fromOpaque(userdata).takeUnretainedValue()
                ctx.lastError = String(cString: message)
            }, me)
        GEOSContext_setNoticeMessageHandler_r(
            handle,
            { message, userdata in
                guard let userdata, let message else { return }
                let ctx = Unmanaged<GeosContext>.fromOpaque(userdata).takeUnretainedValue()
                ctx.notices.append(String(cString: message))
            }, me)
    }

    deinit { GEOS_finish_r(handle) }

    /// The GEOS library version, e.g. `3.11.1-CAPI-1.17.1`.
    public static var geosVersion: String { String(cString: GEOSversion()) }

    /// Whether this GEOS has the 3.12 coverage tools (validation, simplification).
    public static var hasCoverageTools: Bool { perimetre_geos_has_coverage_tools() == 1 }

    /// Forgets the notices collected so far.
    public func clearNotices() { notices.removeAll() }

    /// An error carrying the message GEOS gave for the failed call.
    func fail(_ operation: String) -> GeometryError {
        defer { lastError = nil }
        return GeometryError(
            library: "GEOS", operation: operation,
            message: lastError ?? "failed without a message")
    }

    /// Wraps a freshly allocated GEOS geometry, or throws GEOS's message when it is NULL.
    func own(_ ptr: OpaquePointer?, _ operation: String) throws -> Geometry {
        guard let ptr else { throw fail(operation) }
        return Geometry(context: self, handle: ptr)
    }

    /// Checks a GEOS char predicate result (0, 1, or 2 = exception).
    func predicate(_ r: CChar, _ operation: String) throws -> Bool {
        if r == 2 { throw fail(operation) }
        return r == 1
    }

    /// Builds a collection of the given type, taking ownership of clones of `parts`.
    func collection(_ type: GEOSGeomTypes, _ parts: [Geometry], _ operation: String) throws -> Geometry {
        var ptrs: [OpaquePointer?] = []
        ptrs.reserveCapacity(parts.count)
        for p in parts {
            precondition(p.context === self, "geometry from another GEOS context")
            guard let c = GEOSGeom_clone_r(handle, p.handle) else {
                for q in ptrs { GEOSGeom_destroy_r(handle, q) }
                throw fail(operation)
            }
            ptrs.append(c)
        }
        return try ptrs.withUnsafeMutableBufferPointer { buf in
            try own(
                GEOSGeom_createCollection_r(handle, Int32(type.rawValue), buf.baseAddress, UInt32(buf.count)), operation
            )
        }
    }

    /// A GeometryCollection of the given geometries (copied).
    public func collection(_ parts: [Geometry]) throws -> Geometry {
        try collection(GEOS_GEOMETRYCOLLECTION, parts, "collection")
    }

    /// A MultiPolygon of the polygonal parts of the given geometries (copied).
    public func multiPolygon(_ parts: [Geometry]) throws -> Geometry {
        try collection(GEOS_MULTIPOLYGON, try parts.flatMap { try $0.polygons() }, "multiPolygon")
    }

    /// A MultiLineString of the linear parts of the given geometries (copied).
    public func multiLineString(_ parts: [Geometry]) throws -> Geometry {
        let lines = try parts.flatMap { g -> [Geometry] in
            switch g.kind {
            case .lineString, .linearRing: return [g]
            case .multiLineString, .collection: return try g.parts().filter { $0.kind == .lineString }
            default: return []
            }
        }
        return try collection(GEOS_MULTILINESTRING, lines, "multiLineString")
    }

    /// An empty polygon.
    public func emptyPolygon() throws -> Geometry {
        try own(GEOSGeom_createEmptyPolygon_r(handle), "emptyPolygon")
    }
}
