internal import CGEOS

/// A GEOS geometry owned by Swift: destroyed exactly once, when the last reference goes.
///
/// Parts returned by ``parts()``, ``polygons()``, ``exteriorRing()`` and ``holes()`` are copies,
/// so a GEOS-borrowed child (`GEOSGetGeometryN_r`) is never destroyed by Swift.
/// A geometry keeps its ``GeosContext`` alive and must stay on the task that made it.
public final class Geometry {
    /// The context it was made in (kept alive as long as the geometry).
    public let context: GeosContext
    let handle: OpaquePointer

    init(context: GeosContext, handle: OpaquePointer) {
        self.context = context
        self.handle = handle
    }

    deinit { GEOSGeom_destroy_r(context.handle, handle) }

    var h: GEOSContextHandle_t { context.handle }

    func same(_ other: Geometry) {
        precondition(other.context === context, "geometries from two GEOS contexts")
    }

    /// The kind of geometry.
    public enum Kind: Int, Sendable {
        /// A point.
        case point = 0
        /// A line string.
        case lineString
        /// A closed line string (a polygon's ring).
        case linearRing
        /// A polygon, with its holes.
        case polygon
        /// Several points.
        case multiPoint
        /// Several line strings.
        case multiLineString
        /// Several polygons.
        case multiPolygon
        /// A collection of any geometries.
        case collection
    }

    /// The kind of geometry (GEOS's type id).
    public var kind: Kind { Kind(rawValue: Int(GEOSGeomTypeId_r(h, handle))) ?? .collection }
    /// GEOS's name of the type (`Polygon`, `MultiPolygon`…).
    public var typeName: String {
        guard let s = GEOSGeomType_r(h, handle) else { return "?" }
        defer { GEOSFree_r(h, s) }
        return String(cString: s)
    }
    /// Whether the geometry has no points.
    public var isEmpty: Bool { GEOSisEmpty_r(h, handle) == 1 }
    /// Whether it is a polygon or a multipolygon.
    public var isPolygonal: Bool { kind == .polygon || kind == .multiPolygon }

    /// A copy in the same context.
    ///
    /// - Returns: The copy, owned by Swift.
    /// - Throws: `GeometryError` with GEOS's message when GEOS cannot copy it.
    public func clone() throws -> Geometry { try context.own(GEOSGeom_clone_r(h, handle), "clone") }

    /// Whether the geometry is valid in the OGC sense.
    public func isValid() throws -> Bool { try context.predicate(GEOSisValid_r(h, handle), "isValid") }

    /// GEOS's explanation of invalidity, e.g. `Self-intersection[0.5 0.5]`, or `Valid Geometry`.
    public func validityReason() throws -> String {
        guard let s = GEOSisValidReason_r(h, handle) else { throw context.fail("isValidReason") }
        defer { GEOSFree_r(h, s) }
        return String(cString: s)
    }

    /// Number of direct parts (1 for a simple geometry).
    public var partCount: Int { Int(GEOSGetNumGeometries_r(h, handle)) }

    /// The direct parts, each an owned copy.
    ///
    /// - Throws: ``GeometryError`` with GEOS's message when a part cannot be read or copied
    ///   (a part silently left out would change every area and contiguity after it).
    public func parts() throws -> [Geometry] {
        try (0..<partCount).map { i in
            guard let borrowed = GEOSGetGeometryN_r(h, handle, Int32(i)) else { throw context.fail("parts") }
            return try context.own(GEOSGeom_clone_r(h, borrowed), "parts")
        }
    }

    /// The polygons of a polygonal geometry or collection (copies); empty for others.
    ///
    /// - Throws: ``GeometryError`` when GEOS fails to copy one of them.
    public func polygons() throws -> [Geometry] {
        switch kind {
        case .polygon: return isEmpty ? [] : [try clone()]
        case .multiPolygon, .collection: return try parts().flatMap { try $0.polygons() }
        default: return []
        }
    }

    /// The exterior ring of a polygon, as a polygon-less LinearRing copy.
    public func exteriorRing() throws -> Geometry {
        guard let r = GEOSGetExteriorRing_r(h, handle) else { throw context.fail("exteriorRing") }
        return try context.own(GEOSGeom_clone_r(h, r), "exteriorRing")
    }

    /// The holes of a polygon, each returned as a polygon (its ring as shell).
    public func holes() throws -> [Geometry] {
        guard kind == .polygon else { return try polygons().flatMap { try $0.holes() } }
        let n = GEOSGetNumInteriorRings_r(h, handle)
        guard n >= 0 else { throw context.fail("holes") }
        var out: [Geometry] = []
        for i in 0..<n {
            guard let r = GEOSGetInteriorRingN_r(h, handle, i), let ring = GEOSGeom_clone_r(h, r) else {
                throw context.fail("holes")
            }
            out.append(try context.own(GEOSGeom_createPolygon_r(h, ring, nil, 0), "holes"))
        }
        return out
    }

    /// The polygon with its holes removed (the shell as a polygon).
    public func withoutHoles() throws -> Geometry {
        if kind == .polygon {
            guard let r = GEOSGetExteriorRing_r(h, handle), let ring = GEOSGeom_clone_r(h, r) else {
                throw context.fail("withoutHoles")
            }
            return try context.own(GEOSGeom_createPolygon_r(h, ring, nil, 0), "withoutHoles")
        }
        return try context.multiPolygon(try polygons().map { try $0.withoutHoles() })
    }

    /// Number of holes of a polygon; 0 for any other kind.
    public var numInteriorRings: Int { kind == .polygon ? Int(GEOSGetNumInteriorRings_r(h, handle)) : 0 }

    /// Total number of coordinates.
    public var coordinateCount: Int { Int(GEOSGetNumCoordinates_r(h, handle)) }

    /// The bounding box (empty envelope for an empty geometry).
    ///
    /// Does not throw: GEOS's `GEOSGeom_getXMin_r` and siblings fail only on an empty geometry,
    /// which is answered first; the `.empty` after the guard is that same case, not a hidden error.
    public func envelope() -> Envelope {
        if isEmpty { return .empty }
        var x0 = 0.0
        var y0 = 0.0
        var x1 = 0.0
        var y1 = 0.0
        guard GEOSGeom_getXMin_r(h, handle, &x0) == 1, GEOSGeom_getYMin_r(h, handle, &y0) == 1,
            GEOSGeom_getXMax_r(h, handle, &x1) == 1, GEOSGeom_getYMax_r(h, handle, &y1) == 1
        else { return .empty }
        return Envelope(minX: x0, minY: y0, maxX: x1, maxY: y1)
    }

    /// The envelope as a polygon geometry.
    public func envelopeGeometry() throws -> Geometry { try context.own(GEOSEnvelope_r(h, handle), "envelope") }

    /// The x/y of a Point.
    public func point() throws -> Coordinate {
        var x = 0.0
        var y = 0.0
        guard GEOSGeomGetX_r(h, handle, &x) == 1, GEOSGeomGetY_r(h, handle, &y) == 1 else {
            throw context.fail("point")
        }
        return Coordinate(x, y)
    }
}
