public import PerimetreAnalysis
public import PerimetreGeometry

/// The perimeter as RFC 7946 features, each with a `role`: `perimeter`, `member`,
/// `component`, `enclave`, `detached_part`, `french_part`, and for a drawn perimeter reaching
/// outside France `abroad` (one per country), `lake`, `sea`.
public enum GeoJSONReport {
    /// The perimeter's features, each with its `role`, in a fixed order.
    public static func features(_ r: CheckResult) -> [Feature] {
        var fs = [perimeter(r)]
        members(r, into: &fs)
        analysedParts(r, into: &fs)
        drawnParts(r, into: &fs)
        return fs
    }

    /// The perimeter itself, with its figures and findings.
    private static func perimeter(_ r: CheckResult) -> Feature {
        var p = JSONObject()
        p["role"] = "perimeter"
        p["id"] = .string(r.id)
        p["name"] = .string(r.name)
        p["area_km2"] = JSONReport.km2(r.figures.areaKm2)
        p["population"] = .int(r.figures.population)
        p["contiguous"] = .bool(r.contiguity.contiguous)
        p["frontalier"] = .bool(r.border.frontalier)
        p["findings"] = .array(r.findings.map { .string($0.rule.rawValue) })
        if !r.layers.isEmpty { p["layer_warnings"] = .array(r.layers.compactMap(\.warning).map { .string($0) }) }
        return Feature(properties: p, geometry: r.shapes.perimeter)
    }

    /// Each member with the index of its component, then the components.
    private static func members(_ r: CheckResult, into fs: inout [Feature]) {
        let component = Dictionary(
            r.contiguity.components.enumerated().flatMap { i, c in c.map { ($0, i) } }, uniquingKeysWith: { a, _ in a })
        for m in r.members {
            guard let s = r.shapes.members[m.code] else { continue }
            fs.append(
                Feature(
                    properties: [
                        "role": "member", "code": .string(m.code), "name": .string(m.name),
                        "kind": .string(m.kind.rawValue), "component": component[m.code].map { .int($0) } ?? .null,
                    ],
                    geometry: s))
        }
        for (i, s) in r.shapes.components.enumerated() {
            fs.append(
                Feature(
                    properties: [
                        "role": "component", "index": .int(i),
                        "members": JSONReport.strings(r.contiguity.components[i]),
                    ], geometry: s))
        }
    }

    /// The enclaves, the detached parts and the overlaps with the layers compared.
    private static func analysedParts(_ r: CheckResult, into fs: inout [Feature]) {
        for e in r.enclaves {
            fs.append(
                Feature(
                    properties: [
                        "role": "enclave", "area_km2": JSONReport.km2(e.areaKm2),
                        "communes": JSONReport.strings(e.communes.map(\.code)),
                    ], geometry: e.shape))
        }
        for (i, s) in r.shapes.detachedParts.enumerated() where i < r.contiguity.detachedParts.count {
            let d = r.contiguity.detachedParts[i]
            fs.append(
                Feature(
                    properties: [
                        "role": "detached_part", "member": .string(d.member), "area_km2": JSONReport.km2(d.areaKm2),
                    ], geometry: s))
        }
        for v in r.overlaps where !v.edgeContact {
            guard let s = v.shape else { continue }
            fs.append(
                Feature(
                    properties: [
                        "role": "overlap", "layer": .string(v.layer), "id": .string(v.id), "name": .string(v.name),
                        "relation": .string(v.relation.rawValue), "area_km2": JSONReport.km2(v.areaKm2),
                    ], geometry: s))
        }
    }

    /// A drawn perimeter's French part, its parts abroad (one per country), lakes and sea.
    private static func drawnParts(_ r: CheckResult, into fs: inout [Feature]) {
        if let f = r.shapes.frenchPart {
            fs.append(
                Feature(
                    properties: [
                        "role": "french_part", "area_km2": r.border.frenchPartKm2.map(JSONReport.km2) ?? .null,
                    ], geometry: f))
        }
        for a in r.border.abroad {
            guard let s = r.shapes.abroadParts[a.code] else { continue }
            fs.append(
                Feature(
                    properties: [
                        "role": "abroad", "code": .string(a.code), "name": .string(a.nameFR),
                        "area_km2": JSONReport.km2(a.areaKm2),
                    ], geometry: s))
        }
        if let s = r.shapes.lakePart {
            fs.append(
                Feature(
                    properties: ["role": "lake", "area_km2": r.border.lakeKm2.map(JSONReport.km2) ?? .null], geometry: s
                ))
        }
        if let s = r.shapes.seaPart {
            fs.append(
                Feature(
                    properties: ["role": "sea", "area_km2": r.border.seaKm2.map(JSONReport.km2) ?? .null], geometry: s))
        }
    }

    /// The perimeter as a GeoJSON FeatureCollection.
    ///
    /// ```swift
    /// let text = try GeoJSONReport.render(result)
    /// try AtomicFile.write(Data(text.utf8), to: "perimetre.geojson")
    /// ```
    ///
    /// - Parameters:
    ///   - r: The analysis.
    ///   - precision: Decimals of the coordinates.
    /// - Returns: The GeoJSON text.
    /// - Throws: `GeometryError` when a number cannot be written (NaN).
    public static func render(_ r: CheckResult, precision: Int = 6) throws -> String {
        try GeoJSONWriter(precision: precision).featureCollection(features(r))
    }
}
