internal import CGEOS

// Conversion between GEOS geometries and Sendable `Shape` values, through bulk
// coordinate-buffer copies (GEOS ≥ 3.10) rather than one call per coordinate.

extension GeosContext {
    /// Builds a GEOS geometry from a shape. Rings must be closed.
    public func geometry(_ shape: Shape) throws -> Geometry {
        try own(makeRaw(shape), "geometry(\(shape.typeName))")
    }

    private func sequence(_ cs: [Coordinate]) -> OpaquePointer? {
        cs.withUnsafeBufferPointer { buf in
            buf.withMemoryRebound(to: Double.self) { d in
                // Coordinate is two packed Doubles: an interleaved XY buffer.
                GEOSCoordSeq_copyFromBuffer_r(handle, d.baseAddress, UInt32(cs.count), 0, 0)
            }
        }
    }

    private func makeRaw(_ shape: Shape) throws -> OpaquePointer? {
        switch shape {
        case .point(let c):
            return GEOSGeom_createPointFromXY_r(handle, c.x, c.y)
        case .lineString(let cs):
            guard let s = sequence(cs) else { return nil }
            return GEOSGeom_createLineString_r(handle, s)
        case .polygon(let rings):
            return try makePolygon(rings)
        case .multiPoint(let cs):
            return try makeCollection(GEOS_MULTIPOINT, cs.map { .point($0) })
        case .multiLineString(let ls):
            return try makeCollection(GEOS_MULTILINESTRING, ls.map { .lineString($0) })
        case .multiPolygon(let ps):
            return try makeCollection(GEOS_MULTIPOLYGON, ps.map { .polygon($0) })
        case .collection(let gs):
            return try makeCollection(GEOS_GEOMETRYCOLLECTION, gs)
        }
    }

    private func makePolygon(_ rings: [[Coordinate]]) throws -> OpaquePointer? {
        if rings.isEmpty { return GEOSGeom_createEmptyPolygon_r(handle) }
        var made: [OpaquePointer?] = []
        for r in rings {
            guard r.count >= 4, r.first == r.last else {
                for m in made { GEOSGeom_destroy_r(handle, m) }
                lastError =
                    "a polygon ring needs at least 4 coordinates and must be closed (first = last); got \(r.count) coordinates"
                return nil
            }
            guard let s = sequence(r), let ring = GEOSGeom_createLinearRing_r(handle, s) else {
                for m in made { GEOSGeom_destroy_r(handle, m) }
                return nil
            }
            made.append(ring)
        }
        let shell = made.removeFirst()
        return made.withUnsafeMutableBufferPointer { holes in
            GEOSGeom_createPolygon_r(handle, shell, holes.baseAddress, UInt32(holes.count))
        }
    }

    private func makeCollection(_ type: GEOSGeomTypes, _ parts: [Shape]) throws -> OpaquePointer? {
        var made: [OpaquePointer?] = []
        for p in parts {
            guard let g = try makeRaw(p) else {
                for m in made { GEOSGeom_destroy_r(handle, m) }
                return nil
            }
            made.append(g)
        }
        return made.withUnsafeMutableBufferPointer { buf in
            GEOSGeom_createCollection_r(handle, Int32(type.rawValue), buf.baseAddress, UInt32(buf.count))
        }
    }
}

extension Geometry {
    /// The geometry as a Sendable value.
    public func shape() throws -> Shape {
        try Geometry.shape(of: handle, context)
    }

    static func coords(_ g: OpaquePointer, _ ctx: GeosContext) throws -> [Coordinate] {
        guard let seq = GEOSGeom_getCoordSeq_r(ctx.handle, g) else { throw ctx.fail("coordinates") }
        var n: UInt32 = 0
        guard GEOSCoordSeq_getSize_r(ctx.handle, seq, &n) == 1 else { throw ctx.fail("coordinates") }
        var out = [Coordinate](repeating: Coordinate(0, 0), count: Int(n))
        let ok = out.withUnsafeMutableBufferPointer { buf in
            buf.withMemoryRebound(to: Double.self) { d in
                GEOSCoordSeq_copyToBuffer_r(ctx.handle, seq, d.baseAddress, 0, 0)
            }
        }
        guard ok == 1 else { throw ctx.fail("coordinates") }
        return out
    }

    static func rings(_ g: OpaquePointer, _ ctx: GeosContext) throws -> [[Coordinate]] {
        if GEOSisEmpty_r(ctx.handle, g) == 1 { return [] }
        guard let ext = GEOSGetExteriorRing_r(ctx.handle, g) else { throw ctx.fail("rings") }
        var out = [try coords(ext, ctx)]
        let n = GEOSGetNumInteriorRings_r(ctx.handle, g)
        for i in 0..<max(n, 0) {
            guard let r = GEOSGetInteriorRingN_r(ctx.handle, g, i) else { throw ctx.fail("rings") }
            out.append(try coords(r, ctx))
        }
        return out
    }

    /// The borrowed parts of a collection; throws rather than leave out a part GEOS cannot give.
    static func children(_ g: OpaquePointer, _ ctx: GeosContext) throws -> [OpaquePointer] {
        let n = GEOSGetNumGeometries_r(ctx.handle, g)
        guard n >= 0 else { throw ctx.fail("parts") }
        return try (0..<n).map {
            guard let part = GEOSGetGeometryN_r(ctx.handle, g, $0) else { throw ctx.fail("parts") }
            return part
        }
    }

    static func shape(of g: OpaquePointer, _ ctx: GeosContext) throws -> Shape {
        let type = GEOSGeomTypeId_r(ctx.handle, g)
        switch type {
        case Int32(GEOS_POINT.rawValue):
            if GEOSisEmpty_r(ctx.handle, g) == 1 { return .multiPoint([]) }
            var x = 0.0
            var y = 0.0
            GEOSGeomGetX_r(ctx.handle, g, &x)
            GEOSGeomGetY_r(ctx.handle, g, &y)
            return .point(Coordinate(x, y))
        case Int32(GEOS_LINESTRING.rawValue), Int32(GEOS_LINEARRING.rawValue):
            return .lineString(try coords(g, ctx))
        case Int32(GEOS_POLYGON.rawValue):
            return .polygon(try rings(g, ctx))
        case Int32(GEOS_MULTIPOINT.rawValue):
            // An empty member point (legal in WKB/WKT) has no coordinate: it is dropped.
            return .multiPoint(try children(g, ctx).compactMap { try coords($0, ctx).first })
        case Int32(GEOS_MULTILINESTRING.rawValue):
            return .multiLineString(try children(g, ctx).map { try coords($0, ctx) })
        case Int32(GEOS_MULTIPOLYGON.rawValue):
            return .multiPolygon(try children(g, ctx).map { try rings($0, ctx) })
        default:
            return .collection(try children(g, ctx).map { try shape(of: $0, ctx) })
        }
    }

    /// A copy with every coordinate mapped; `f` gets each ring or line as an interleaved
    /// x,y buffer it may rewrite in place (used by PROJ transforms, one call per sequence).
    public func mappingSequences(_ f: (inout [Coordinate]) throws -> Void) throws -> Geometry {
        let s = try shape()
        let mapped: Shape
        switch s {
        case .point(let c):
            var a = [c]
            try f(&a)
            mapped = .point(a[0])
        case .lineString(var cs):
            try f(&cs)
            mapped = .lineString(cs)
        case .multiPoint(var cs):
            try f(&cs)
            mapped = .multiPoint(cs)
        case .polygon(var rs):
            for i in rs.indices { try f(&rs[i]) }
            mapped = .polygon(rs)
        case .multiLineString(var rs):
            for i in rs.indices { try f(&rs[i]) }
            mapped = .multiLineString(rs)
        case .multiPolygon(var ps):
            for i in ps.indices { for j in ps[i].indices { try f(&ps[i][j]) } }
            mapped = .multiPolygon(ps)
        case .collection(let gs):
            mapped = .collection(try gs.map { try context.geometry($0).mappingSequences(f).shape() })
        }
        return try context.geometry(mapped)
    }
}
