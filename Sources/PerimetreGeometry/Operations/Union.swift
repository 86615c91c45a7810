internal import CGEOS

/// The outcome of a union, saying how it was computed.
public struct UnionOutcome {
    /// The union.
    public let geometry: Geometry
    /// True when the coverage union was rejected and the unary union used instead.
    public let usedFallback: Bool
    /// Why the coverage union was rejected (nil when it was accepted or not attempted).
    public let fallbackReason: String?
}

extension GeosContext {
    /// Unary union of all the given geometries (overlaps allowed).
    public func unaryUnion(_ parts: [Geometry]) throws -> Geometry {
        if parts.count == 1 { return try unaryUnion(parts[0]) }
        return try unaryUnion(try collection(parts))
    }

    /// Unary union of a (multi-part) geometry: dissolves its parts.
    public func unaryUnion(_ g: Geometry) throws -> Geometry {
        try own(GEOSUnaryUnion_r(handle, g.handle), "unaryUnion")
    }

    /// Union of polygons that form a coverage (edge-matched, non-overlapping), as a dissolve
    /// of communes into an EPCI is. GEOS 3.11's `GEOSCoverageUnion_r` returns a silently
    /// wrong result on overlapping input, so the result is accepted only when it is valid and
    /// its area equals the sum of the parts' areas; otherwise the unary union is used.
    ///
    /// `chained` (the default) first tries ``chainedCoverageUnion(_:)`` (shared segments
    /// cancelled, the rest chained into rings: several times faster), held to the same checks;
    /// `false` keeps GEOS's own polygonization, whose vertex order the reference data was built with.
    public func coverageUnion(_ parts: [Geometry], chained: Bool = true) throws -> UnionOutcome {
        if parts.isEmpty { return UnionOutcome(geometry: try emptyPolygon(), usedFallback: false, fallbackReason: nil) }
        let sum = try parts.reduce(0.0) { $0 + (try $1.area()) }
        let tolerance = max(sum * 1e-9, 1e-12)
        if chained, let g = try chainedCoverageUnion(parts), try g.isValid(), abs(try g.area() - sum) <= tolerance {
            return UnionOutcome(geometry: g, usedFallback: false, fallbackReason: nil)
        }
        let coll = try multiPolygon(parts)
        var reason: String
        if let cu = GEOSCoverageUnion_r(handle, coll.handle) {
            let g = Geometry(context: self, handle: cu)
            let valid = try g.isValid()
            let area = try g.area()
            if valid && abs(area - sum) <= tolerance {
                return UnionOutcome(geometry: g, usedFallback: false, fallbackReason: nil)
            }
            reason =
                valid
                ? "coverage union area \(area) differs from the sum of parts \(sum) (overlapping input)"
                : "coverage union result is invalid: \(try g.validityReason())"
        } else {
            reason = fail("coverageUnion").message
        }
        return UnionOutcome(geometry: try unaryUnion(coll), usedFallback: true, fallbackReason: reason)
    }
}

extension Geometry {
    /// Union of two geometries.
    public func union(_ other: Geometry) throws -> Geometry {
        same(other)
        return try context.own(GEOSUnion_r(h, handle, other.handle), "union")
    }
}
