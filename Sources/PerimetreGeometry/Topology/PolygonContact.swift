import Foundation

/// How two lon/lat polygons that intersect meet, measured the same way by `perimetre data build`
/// (the adjacency tables) and by the geometric contiguity analysis, so both agree.
public enum PolygonContact {
    /// The geodesic length (m) of the border two intersecting polygons share, and whether it
    /// counts as a shared border (positive length, or interiors overlapping) rather than a
    /// contact at points. The length is measured on the boundaries clipped to where the two
    /// meet: far cheaper than a full DE-9IM relate on two large polygons.
    public static func measure(
        _ a: Geometry, boundary ba: Geometry, envelope ea: Envelope,
        _ b: Geometry, boundary bb: Geometry, envelope eb: Envelope
    ) throws -> (shared: Bool, metres: Double) {
        let window = ea.intersectionBox(eb).expanded(by: 1e-6)
        let common = try ba.clipped(to: window).intersection(try bb.clipped(to: window))
        let len = GeodesicMeasure.length(of: try common.shape())
        return (try len > 0 || a.relate(b, pattern: "2********"), len)
    }
}

extension Envelope {
    /// A lon/lat envelope widened by at least `metres` on the ground.
    public func widened(byMetres metres: Double) -> Envelope {
        let dLat = metres / 111_000
        let dLon = metres / (111_000 * max(cos(center.y * .pi / 180), 0.2))
        return Envelope(minX: minX - dLon, minY: minY - dLat, maxX: maxX + dLon, maxY: maxY + dLat)
    }
}
