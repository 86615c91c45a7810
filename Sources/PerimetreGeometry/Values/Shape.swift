/// A geometry as a plain Sendable value: what crosses task boundaries and what the
/// GeoJSON reader and writer work on. Rings are closed (first coordinate repeated last).
///
/// ```swift
/// let square = Shape.polygon([[.init(0, 0), .init(1, 0), .init(1, 1), .init(0, 1), .init(0, 0)]])
/// let g = try ctx.geometry(square)   // to GEOS
/// let back = try g.shape()           // and back
/// ```
public indirect enum Shape: Sendable, Hashable {
    /// A point.
    case point(Coordinate)
    /// A line string.
    case lineString([Coordinate])
    /// A polygon: its exterior ring, then its holes.
    case polygon([[Coordinate]])
    /// Several points.
    case multiPoint([Coordinate])
    /// Several line strings.
    case multiLineString([[Coordinate]])
    /// Several polygons.
    case multiPolygon([[[Coordinate]]])
    /// A collection of any shapes.
    case collection([Shape])

    /// The GeoJSON type name.
    public var typeName: String {
        switch self {
        case .point: "Point"
        case .lineString: "LineString"
        case .polygon: "Polygon"
        case .multiPoint: "MultiPoint"
        case .multiLineString: "MultiLineString"
        case .multiPolygon: "MultiPolygon"
        case .collection: "GeometryCollection"
        }
    }

    /// Calls `body` for every coordinate.
    public func forEachCoordinate(_ body: (Coordinate) throws -> Void) rethrows {
        switch self {
        case .point(let c): try body(c)
        case .lineString(let cs), .multiPoint(let cs): for c in cs { try body(c) }
        case .polygon(let rs), .multiLineString(let rs): for r in rs { for c in r { try body(c) } }
        case .multiPolygon(let ps): for p in ps { for r in p { for c in r { try body(c) } } }
        case .collection(let gs): for g in gs { try g.forEachCoordinate(body) }
        }
    }

    /// Applies `f` to every coordinate.
    public func mapCoordinates(_ f: (Coordinate) throws -> Coordinate) rethrows -> Shape {
        switch self {
        case .point(let c): return .point(try f(c))
        case .lineString(let cs): return .lineString(try cs.map(f))
        case .multiPoint(let cs): return .multiPoint(try cs.map(f))
        case .polygon(let rs): return .polygon(try rs.map { try $0.map(f) })
        case .multiLineString(let rs): return .multiLineString(try rs.map { try $0.map(f) })
        case .multiPolygon(let ps): return .multiPolygon(try ps.map { try $0.map { try $0.map(f) } })
        case .collection(let gs): return .collection(try gs.map { try $0.mapCoordinates(f) })
        }
    }

    /// The bounding box of every coordinate.
    public var envelope: Envelope {
        var e = Envelope.empty
        forEachCoordinate { e.include($0) }
        return e
    }

    /// The polygons of a polygonal shape (empty for other types).
    public var polygons: [[[Coordinate]]] {
        switch self {
        case .polygon(let rs): [rs]
        case .multiPolygon(let ps): ps
        case .collection(let gs): gs.flatMap(\.polygons)
        default: []
        }
    }

    /// Number of coordinates.
    public var coordinateCount: Int {
        var n = 0
        forEachCoordinate { _ in n += 1 }
        return n
    }
}

/// Signed planar area of a ring (shoelace); positive when counter-clockwise.
public func signedRingArea(_ ring: [Coordinate]) -> Double {
    guard ring.count > 2 else { return 0 }
    var s = 0.0
    var p = ring[ring.count - 1]
    for c in ring {
        s += (p.x - c.x) * (p.y + c.y)
        p = c
    }
    return s / 2
}
