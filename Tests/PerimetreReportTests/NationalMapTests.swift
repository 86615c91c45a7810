import Foundation
import PerimetreAnalysis
import PerimetreGeometry
import PerimetreReport
import Testing

/// The national map of the 183 Territoires d'industrie of 2023-2027 (skipped without ../shared/data).
@Suite("perimetre map on the 183 TI of 2023-2027", .serialized)
struct NationalMapTests {
    func audit() throws -> AuditResult { try realAudit.get() }

    @Test(
        "one feature per territory, sorted by id, with the facts; members at --level member",
        .enabled(if: MapEnv.hasRealData, Comment(rawValue: MapEnv.noRealData)))
    func counts() throws {
        let audit = try audit()
        #expect(audit.territories.count == 183)
        let map = try NationalMap.build(audit, options: MapOptions())
        let resolved = audit.territories.filter { $0.result != nil }
        #expect(map.features.count + map.failures.count == 183)
        #expect(map.features.count == resolved.count)
        let ids = map.features.map { $0.id?.stringValue ?? "" }
        #expect(ids == ids.sorted())
        #expect(Set(ids).count == ids.count)
        let keys = [
            "id", "name", "members", "epci_count", "commune_count", "population", "area_km2", "departements",
            "regions", "contiguous", "components", "frontalier", "neighbours", "findings",
        ]
        for f in map.features { #expect(f.properties.keys == keys) }
        // Area is the geodesic area of the unsimplified outline.
        for (f, o) in zip(map.features, resolved.sorted { $0.id < $1.id }) {
            let r = try #require(o.result)
            #expect(
                f.properties["area_km2"]?.doubleValue.map {
                    abs($0 - GeodesicMeasure.area(of: r.shapes.perimeter) / 1e6) < 0.001
                } == true)
        }
        let members = try NationalMap.build(audit, options: MapOptions(level: .member))
        var expected = 0
        for o in resolved {
            let r = o.result!
            expected += r.members.filter { r.shapes.members[$0.code] != nil }.count
        }
        #expect(members.features.count == expected)
        #expect(
            members.features.count == resolved.reduce(0) { $0 + $1.result!.members.count }
                - members.missingMembers.filter { $0.reason.hasPrefix("no geometry") }.count)
        #expect(members.features.allSatisfy { $0.properties["territory"]?.stringValue != nil })
    }

    @Test(
        "valid after rounding, no overlap between neighbours, no new gap",
        .enabled(if: MapEnv.hasRealData, Comment(rawValue: MapEnv.noRealData)),
        arguments: [(6, nil), (5, nil), (6, 100.0), (5, 100.0), (6, 500.0)] as [(Int, Double?)])
    func validity(decimals: Int, simplify: Double?) throws {
        let audit = try audit()
        let original = audit.territories.compactMap { $0.result }.sorted { $0.id < $1.id }.map(\.shapes.perimeter)
        let before = try coverageFigures(original)
        let map = try NationalMap.build(audit, options: MapOptions(simplifyMetres: simplify, precision: decimals))
        let drawn = map.features.compactMap(\.geometry)
        #expect(try invalidShapes(drawn).isEmpty)
        #expect(map.repairs.allSatisfy { $0.valid })
        #expect(drawn.allSatisfy { onGrid($0, decimals: decimals) })
        // Overlaps above a sliver of 1e-9 deg² (≈ 10 m²) between distinct territories: only those
        // already in the input (territories claiming the same commune).
        let inputOverlaps = Set(try overlaps(original, sliver: 1e-9).map { [$0.0, $0.1] })
        let outputOverlaps = try overlaps(drawn, sliver: 1e-9).filter { !inputOverlaps.contains([$0.0, $0.1]) }
        #expect(outputOverlaps.isEmpty, "new overlaps: \(outputOverlaps)")
        // No new gap: the union keeps its holes (none opened between neighbours) and its parts.
        // A known limit, counted apart: where two territories' EPCI overlap in the source (the
        // overlapping communes, a few hundred m²), cutting the overlap apart may leave a sliver
        // of about 10 m² at its end; such holes must lie at an input overlap.
        let after = try coverageFigures(drawn)
        let ctx = GeosContext()
        let opened = try newHoles(original, drawn, ctx)
        let overlapZones = opened.isEmpty ? [] : try overlapAreas(original, ctx)
        let atOverlaps = try opened.filter { h in try overlapZones.contains { try $0.intersects(h) } }
        #expect(
            opened.count == atOverlaps.count,
            "\(opened.count - atOverlaps.count) gaps opened away from any input overlap")
        #expect(after.unionHoles <= before.unionHoles + atOverlaps.count)
        #expect(atOverlaps.count <= 3, "\(atOverlaps.count) slivers opened at input overlaps")
        #expect(after.unionComponents == before.unionComponents)
        // Every pair of neighbours still shares its border (same length unsimplified, of the same order simplified).
        let b0 = try sharedBorders(original)
        let b1 = try sharedBorders(drawn)
        // (Pairs that already overlap in the input, by a sliver, have no well-defined shared border.)
        let anyInputOverlap = Set(try overlaps(original, sliver: 0).map { [$0.0, $0.1] })
        for (pair, l0) in b0 where l0 > 1e-4 && !anyInputOverlap.contains(pair) {
            let l1 = b1[pair] ?? 0
            if simplify == nil {
                #expect(
                    abs(l1 - l0) <= 1e-3 * l0 + 1e-5,
                    "border \(map.features[pair[0]].id!) \(map.features[pair[1]].id!): \(l0) → \(l1); repairs \(map.repairs)"
                )
            } else {
                #expect(l1 > 0.5 * l0 && l1 <= l0 * 1.01, "border \(pair): \(l0) → \(l1)")
            }
        }
        if simplify == nil {
            #expect(abs(after.unionHoleArea - before.unionHoleArea) <= 1e-6 * max(before.unionHoleArea, 1e-6))
        }
        let text = try MapWriter.geojson(map)
        #expect(try windingErrors(geojson: text) == 0)
        if simplify == 100 && decimals == 6 {
            #expect(text.utf8.count < 5_000_000, "100 m map is \(text.utf8.count) bytes")
        }
    }

    @Test("same input, same bytes", .enabled(if: MapEnv.hasRealData, Comment(rawValue: MapEnv.noRealData)))
    func determinism() throws {
        let audit = try audit()
        let a = try MapWriter.geojson(NationalMap.build(audit, options: MapOptions(simplifyMetres: 100)), bbox: true)
        let b = try MapWriter.geojson(NationalMap.build(audit, options: MapOptions(simplifyMetres: 100)), bbox: true)
        #expect(a == b)
    }
}
