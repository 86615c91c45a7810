import PerimetreData
import PerimetreGeometry

/// Enclaves: holes of the dissolved perimeter and the non-member communes and EPCI filling them.
/// Holes narrower than the tolerance (maximum inscribed circle) are slivers, not enclaves.
enum EnclaveAnalysis {
    static func run(_ w: Workspace, members: Set<String>) throws -> ([Enclave], [Sliver]) {
        var enclaves: [Enclave] = []
        var slivers: [Sliver] = []
        for lonlat in try w.perimeterLonLat.holes() {
            guard let (s, km2, width) = try measure(lonlat, w) else { continue }
            if width < w.options.toleranceMetres {
                slivers.append(Sliver(areaKm2: km2, widthMetres: width))
                continue
            }
            // Communes whose interior point lies in the hole fill it.
            let prepared = try PreparedGeometry(lonlat)
            var communes: [Enclave.Member] = []
            var byEPCI: [String: Int] = [:]
            for (c, wkb) in try w.session.communes(intersecting: lonlat.envelope()) where !members.contains(c.code) {
                let p = try w.ctx.geometry(.point(try w.ctx.readWKB(wkb).interiorPoint()))
                guard try prepared.covers(p) else { continue }
                communes.append(.init(code: c.code, name: c.name, whole: true))
                if let e = c.epci { byEPCI[e, default: 0] += 1 }
            }
            enclaves.append(
                Enclave(
                    areaKm2: km2, widthMetres: width, communes: communes.sorted { $0.code < $1.code },
                    epci: epciMembers(byEPCI, data: w.data), shape: s))
        }
        enclaves.sort { $0.areaKm2 > $1.areaKm2 }
        return (enclaves, slivers)
    }

    /// A hole's shape, geodesic area (km²) and width (m: diameter of its maximum inscribed
    /// circle, on the projected hole); nil for a ring of zero area (touching rings), not a hole.
    static func measure(_ lonlat: Geometry, _ w: Workspace) throws -> (Shape, km2: Double, width: Double)? {
        try measure(lonlat, toMetric: w.toMetric, toleranceMetres: w.options.toleranceMetres)
    }

    /// As ``measure(_:_:)``, with the projection to the metric CRS and the tolerance given: for
    /// the holes the reference topology finds.
    static func measure(
        _ lonlat: Geometry, toMetric: CoordinateTransformer, toleranceMetres: Double
    ) throws -> (Shape, km2: Double, width: Double)? {
        let s = try lonlat.shape()
        let km2 = GeodesicMeasure.area(of: s) / 1e6
        if km2 < 1e-6 { return nil }
        let (_, r) = try toMetric.transform(lonlat).maximumInscribedCircle(tolerance: max(1, toleranceMetres / 50))
        return (s, km2, 2 * r)
    }

    /// The EPCI of an enclave's communes, from how many of its communes each holds: whole when
    /// all of them.
    static func epciMembers(_ byEPCI: [String: Int], data: GeoData) -> [Enclave.Member] {
        byEPCI.keys.sorted().map { e in
            let info = data.epci[e]
            return .init(code: e, name: info?.name ?? e, whole: info.map { $0.communeCount == byEPCI[e] } ?? false)
        }
    }

    /// The number of enclaves (holes at least as wide as the tolerance) of a dissolved perimeter.
    static func count(_ perimeter: Geometry, _ w: Workspace) throws -> Int {
        try perimeter.holes().filter { h in try measure(h, w).map { $0.width >= w.options.toleranceMetres } ?? false }
            .count
    }
}
