import Foundation
public import PerimetreAnalysis
public import PerimetreGeometry

/// The JSON form of a `CheckResult`: a documented, stable schema (see `docs/check-json.md`).
/// Keys in a fixed order, numbers rounded (areas to 0.001 km², distances to the metre).
public enum JSONReport {
    /// Version of the JSON schema, written as `schema_version`.
    public static let schemaVersion = "1"

    /// The analysis as a JSON value (the audit embeds it per candidature).
    public static func value(_ r: CheckResult) -> JSONValue {
        var o = JSONObject()
        o["schema"] = .string("perimetre/check/\(schemaVersion)")
        o["id"] = .string(r.id)
        o["name"] = .string(r.name)
        resolution(r, into: &o)
        figures(r.figures, into: &o)
        o["contiguity"] = contiguity(r.contiguity)
        o["enclaves"] = .array(r.enclaves.map(enclave))
        o["slivers"] = .array(
            r.slivers.map { .object(["area_km2": km2($0.areaKm2), "width_m": round($0.widthMetres, 1)]) })
        o["departements"] = .array(r.span.departements.map(entry))
        o["regions"] = .array(r.span.regions.map(entry))
        o["interdepartemental"] = .bool(r.span.interdepartemental)
        o["interregional"] = .bool(r.span.interregional)
        o["border"] = border(r.border)
        o["findings"] = .array(r.findings.map(finding))
        o["overlaps"] = .array(r.overlaps.map(overlap))
        o["crte"] = .array(r.crte.map(crte))
        o["metric_crs"] = .string(r.metricCRS)
        o["layers"] = .array(r.layers.map(layer))
        o["remedies"] = .array(r.remedies.map(remedy))
        return .object(o)
    }

    /// One finding: its rule, severity, FAQ reference and French message (also the diff's).
    static func finding(_ f: Finding) -> JSONValue {
        .object([
            "rule": .string(f.rule.rawValue), "severity": .string(f.severity.rawValue),
            "faq": f.faq.map { .string($0) } ?? .null, "message": .string(f.message),
        ])
    }

    /// The members, the codes left unresolved, the duplicates and the EPCI cut.
    private static func resolution(_ r: CheckResult, into o: inout JSONObject) {
        o["members"] = .array(r.members.map(member))
        o["unresolved"] = .array(
            r.unresolved.map { u in
                .object([
                    "code": .string(u.code), "origin": .string(u.origin), "reason": .string(u.reason),
                    "suggestions": .array(
                        u.suggestions.map { .object(["code": .string($0.code), "name": .string($0.name)]) }),
                ])
            })
        o["duplicates"] = .array(
            r.duplicates.map {
                .object(["code": .string($0.code), "kind": .string($0.kind.rawValue), "members": strings($0.members)])
            })
        o["epci_cut"] = .array(
            r.cutEPCI.map {
                .object([
                    "code": .string($0.code), "name": .string($0.name), "communes_in": strings($0.communesIn),
                    "communes_out": strings($0.communesOut),
                ])
            })
    }

    /// Area, perimeter, population, counts, compactness and bounding box.
    private static func figures(_ f: Figures, into o: inout JSONObject) {
        o["area_km2"] = km2(f.areaKm2)
        o["perimeter_km"] = round(f.perimeterKm, 3)
        o["population"] = .int(f.population)
        o["commune_count"] = .int(f.communeCount)
        o["epci_count"] = .int(f.epciCount)
        o["polsby_popper"] = round(f.polsbyPopper, 4)
        let b = f.bbox
        o["bbox"] =
            b.isEmpty ? .null : .array([round(b.minX, 6), round(b.minY, 6), round(b.maxX, 6), round(b.maxY, 6)])
    }

    private static func contiguity(_ c: Contiguity) -> JSONValue {
        .object([
            "contiguous": .bool(c.contiguous),
            "tolerance_m": round(c.toleranceMetres, 1),
            "components": .array(c.components.map(strings)),
            "edges": .array(
                c.edges.map {
                    .object([
                        "a": .string($0.a), "b": .string($0.b), "kind": .string($0.kind.rawValue),
                        "metres": round($0.metres, 0),
                    ])
                }),
            "point_contacts": .array(c.pointContacts.map(strings)),
            "gaps": .array(
                c.gaps.map {
                    .object([
                        "component": .int($0.component), "member": .string($0.member),
                        "nearest_main_member": .string($0.nearestMainMember), "gap_m": round($0.gapMetres, 0),
                    ])
                }),
            "islands": .array(
                c.islands.map {
                    .object([
                        "member": .string($0.member),
                        "sea_gap_m": $0.seaGapMetres.isFinite ? round($0.seaGapMetres, 0) : .null,
                        "nearest": $0.nearest.map { .string($0) } ?? .null,
                    ])
                }),
            "detached_parts": .array(
                c.detachedParts.map {
                    .object([
                        "member": .string($0.member), "area_km2": km2($0.areaKm2),
                        "distance_m": round($0.distanceMetres, 0),
                    ])
                }),
        ])
    }

    private static func enclave(_ e: Enclave) -> JSONValue {
        .object([
            "area_km2": km2(e.areaKm2), "width_m": round(e.widthMetres, 0),
            "communes": .array(
                e.communes.map { .object(["code": .string($0.code), "name": .string($0.name)]) }),
            "epci": .array(
                e.epci.map {
                    .object(["code": .string($0.code), "name": .string($0.name), "whole": .bool($0.whole)])
                }),
        ])
    }

    private static func border(_ bd: BorderResult) -> JSONValue {
        .object([
            "frontalier": .bool(bd.frontalier),
            "border_distance_m": round(bd.distanceMetres, 0),
            "neighbours": strings(bd.neighbours.map(\.code)),
            "countries": .array(
                bd.nearby.map {
                    .object([
                        "code": .string($0.code), "name": .string($0.nameFR), "distance_m": round($0.distanceMetres, 0),
                    ])
                }),
            "abroad": .array(
                bd.abroad.map {
                    .object([
                        "code": .string($0.code), "name": .string($0.nameFR), "area_km2": km2($0.areaKm2),
                        "sliver_km2": km2($0.sliverKm2),
                    ])
                }),
            "french_part_km2": bd.frenchPartKm2.map(km2) ?? .null,
            "lake_km2": bd.lakeKm2.map(km2) ?? .null,
            "sea_km2": bd.seaKm2.map(km2) ?? .null,
            "polygon_km2": bd.polygonKm2.map(km2) ?? .null,
        ])
    }

    private static func overlap(_ v: Overlap) -> JSONValue {
        .object([
            "layer": .string(v.layer), "id": .string(v.id), "name": .string(v.name),
            "relation": .string(v.relation.rawValue),
            "area_km2": km2(v.areaKm2), "share_of_perimeter": round(v.shareOfPerimeter, 4),
            "share_of_other": round(v.shareOfOther, 4), "shared_members": strings(v.sharedMembers),
            "edge_contact": .bool(v.edgeContact),
        ])
    }

    private static func crte(_ a: CRTEAlignment) -> JSONValue {
        .object([
            "layer": .string(a.layer), "aligned": .bool(a.aligned), "whole": strings(a.whole),
            "cut": .array(
                a.cut.map {
                    .object([
                        "id": .string($0.id), "name": .string($0.name),
                        "perimeter_members": strings($0.perimeterMembers),
                        "missing_members": strings($0.missingMembers),
                    ])
                }),
            "outside_any_crte": strings(a.outsideAnyCRTE), "unknown_crte": strings(a.unknownCRTE),
            "split_members": .array(
                a.splitMembers.map { m in
                    .object([
                        "code": .string(m.code), "name": .string(m.name), "communes": .int(m.communes),
                        "crte": .array(
                            m.parts.map {
                                .object([
                                    "id": .string($0.id), "name": .string($0.name),
                                    "communes": .int($0.communes),
                                ])
                            }),
                    ])
                }),
        ])
    }

    /// One remedy: the change, its cost and its predicted result.
    static func remedy(_ m: Remedy) -> JSONValue {
        var o: JSONObject = [
            "goal": .string(m.goal.rawValue), "target": m.target.map { .string($0) } ?? .null,
            "feasible": .bool(m.feasible), "preferred": .bool(m.preferred),
            "add": strings(m.add), "remove": strings(m.remove), "alternatives": .array(m.alternatives.map(strings)),
            "exact": .bool(m.exact), "population_added": .int(m.populationAdded), "area_added_km2": km2(m.areaAddedKm2),
            "departements_added": strings(m.departementsAdded), "regions_added": strings(m.regionsAdded),
        ]
        o["result"] =
            m.result.map { x in
                .object([
                    "contiguous": .bool(x.contiguous), "enclaves": .int(x.enclaves),
                    "crte_aligned": x.crteAligned.map { .bool($0) } ?? .null,
                ])
            } ?? .null
        o["unreachable"] = strings(m.unreachable)
        o["candidatures"] = .array(
            m.candidatures.map {
                .object(["id": .string($0.id), "name": .string($0.name), "bordering": strings($0.bordering)])
            })
        o["places"] = .array(
            m.places.values.sorted { $0.code < $1.code }.map { p in
                .object([
                    "code": .string(p.code), "name": .string(p.name), "kind": .string(p.kind.rawValue),
                    "population": .int(p.population), "area_km2": km2(p.areaKm2),
                ])
            })
        o["message"] = .string(m.message)
        return .object(o)
    }

    /// The analysis as JSON text (`docs/check-json.md`).
    ///
    /// - Parameters:
    ///   - r: The analysis.
    ///   - pretty: Whether to indent.
    /// - Returns: The JSON text; same analysis, same bytes.
    /// - Throws: `GeometryError` when a number cannot be written (NaN).
    public static func render(_ r: CheckResult, pretty: Bool = true) throws -> String {
        try JSONWriter(pretty: pretty).string(value(r)) + "\n"
    }

    /// How the codes of an `--against` layer were understood (the `layers[]` of check and audit).
    public static func layer(_ l: LayerResolution) -> JSONValue {
        .object([
            "id": .string(l.id), "format": .string(l.format.rawValue), "territories": .int(l.territories),
            "members": .int(l.members), "resolved": .int(l.resolved), "traced": .int(l.traced),
            "unresolved": .array(
                l.unresolved.map { u in
                    .object([
                        "code": .string(u.code), "name": .string(u.name), "territory": .string(u.territory),
                        "row": u.row.map { .int($0) } ?? .null, "reason": .string(u.reason),
                    ])
                }),
            "repeated": .array(
                l.repeated.map {
                    .object([
                        "code": .string($0.code), "territory": .string($0.territory),
                        "rows": .array($0.rows.map { .int($0) }),
                    ])
                }),
            "shared": .array(
                l.shared.map {
                    .object([
                        "code": .string($0.code), "name": .string($0.name),
                        "territories": strings($0.territories),
                    ])
                }),
            "warning": l.warning.map { .string($0) } ?? .null,
        ])
    }

    static func member(_ m: ResolvedMember) -> JSONValue {
        .object([
            "code": .string(m.code), "input": .string(m.input), "kind": .string(m.kind.rawValue),
            "name": .string(m.name),
            "status": .string(m.status.rawValue), "detail": m.detail.map { .string($0) } ?? .null,
            "nature": m.nature.map { .string($0) } ?? .null, "population": .int(m.population),
            "commune_count": .int(m.communes.count), "communes": strings(m.communes),
        ])
    }

    static func entry(_ e: AdministrativeSpan.Entry) -> JSONValue {
        var o: JSONObject = [
            "code": .string(e.code), "name": .string(e.name), "area_share": round(e.areaShare, 4),
            "population_share": round(e.populationShare, 4), "area_km2": km2(e.areaKm2),
            "population": .int(e.population), "commune_count": .int(e.communeCount),
        ]
        if let p = e.prefecture { o["prefecture"] = .string(p) }
        return .object(o)
    }

    static func strings(_ xs: [String]) -> JSONValue { .array(xs.map { .string($0) }) }
    static func km2(_ v: Double) -> JSONValue { round(v, 3) }
    /// A number rounded to `d` decimals, so the JSON is stable across platforms.
    static func round(_ v: Double, _ d: Int) -> JSONValue {
        let p = Foundation.pow(10.0, Double(d))
        let r = (v * p).rounded() / p
        return r == r.rounded() && abs(r) < 1e15 ? .int(Int(r)) : .number(r)
    }
}
