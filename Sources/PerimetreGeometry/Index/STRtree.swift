internal import CGEOS

/// A GEOS STR-tree over geometries, answering "which items' envelopes meet this one".
///
/// ```swift
/// let tree = try STRtree(ctx, geometries)       // item i is geometries[i]
/// let hits = try tree.query(envelopeOf: probe)  // candidate indices, sorted
/// ```
public final class STRtree {
    /// The context of the indexed geometries.
    public let context: GeosContext
    private let tree: OpaquePointer
    /// Kept alive: GEOS stores the pointers it is given.
    private let items: [Geometry]

    /// Indexes geometries by their envelopes.
    ///
    /// - Parameters:
    ///   - context: The geometries' context.
    ///   - geometries: The items; item `i` is `geometries[i]`.
    ///   - nodeCapacity: Items per tree node.
    /// - Throws: `GeometryError` with GEOS's message.
    public init(_ context: GeosContext, _ geometries: [Geometry], nodeCapacity: Int = 10) throws {
        self.context = context
        guard let t = GEOSSTRtree_create_r(context.handle, nodeCapacity) else { throw context.fail("STRtree_create") }
        tree = t
        items = geometries
        for (i, g) in geometries.enumerated() {
            precondition(g.context === context, "geometry from another GEOS context")
            // Items are indices + 1, stored as pointer bit patterns (0 would be NULL).
            GEOSSTRtree_insert_r(context.handle, tree, g.handle, UnsafeMutableRawPointer(bitPattern: i + 1))
        }
        // Build now where GEOS can (3.12+); older GEOS builds on the first query.
        guard perimetre_geos_strtree_build(context.handle, tree) == 1 else { throw context.fail("STRtree_build") }
    }

    deinit { GEOSSTRtree_destroy_r(context.handle, tree) }

    /// Number of items.
    public var count: Int { items.count }

    private final class Hits { var indices: [Int] = [] }

    /// Indices of items whose envelope intersects the envelope of `g`, ascending.
    public func query(_ g: Geometry) -> [Int] {
        let hits = Hits()
        withExtendedLifetime(hits) {
            GEOSSTRtree_query_r(
                context.handle, tree, g.handle,
                { item, userdata in
                    guard let userdata, let item else { return }
                    Unmanaged<Hits>.fromOpaque(userdata).takeUnretainedValue().indices.append(Int(bitPattern: item) - 1)
                }, Unmanaged.passUnretained(hits).toOpaque())
        }
        return hits.indices.sorted()
    }

    /// Indices of items whose envelope intersects `e`.
    public func query(_ e: Envelope) throws -> [Int] {
        let box = try context.geometry(
            .polygon([
                [
                    Coordinate(e.minX, e.minY), Coordinate(e.maxX, e.minY), Coordinate(e.maxX, e.maxY),
                    Coordinate(e.minX, e.maxY), Coordinate(e.minX, e.minY),
                ]
            ]))
        return query(box)
    }

    /// The index of the item nearest to `g` (by true geometry distance), or nil when empty.
    public func nearest(_ g: Geometry) throws -> Int? {
        if items.isEmpty { return nil }
        final class Box {
            let items: [Geometry]
            init(_ i: [Geometry]) { items = i }
        }
        let box = Box(items)
        let r = withExtendedLifetime(box) {
            GEOSSTRtree_nearest_generic_r(
                context.handle, tree, UnsafeRawPointer(bitPattern: Int(bitPattern: UnsafeRawPointer(g.handle))),
                g.handle,
                { item1, item2, distance, userdata in
                    // item1 is an inserted item (index + 1) or the query geometry; item2 likewise.
                    guard let userdata, let distance else { return 0 }
                    let b = Unmanaged<Box>.fromOpaque(userdata).takeUnretainedValue()
                    func geom(_ p: UnsafeRawPointer?) -> OpaquePointer? {
                        let v = Int(bitPattern: p)
                        if v >= 1 && v <= b.items.count { return b.items[v - 1].handle }
                        return OpaquePointer(p)
                    }
                    guard let g1 = geom(item1), let g2 = geom(item2), let ctx = b.items.first?.context else { return 0 }
                    return GEOSDistance_r(ctx.handle, g1, g2, distance)
                }, Unmanaged.passUnretained(box).toOpaque())
        }
        guard let r else { throw context.fail("STRtree_nearest") }
        return Int(bitPattern: r) - 1
    }
}
