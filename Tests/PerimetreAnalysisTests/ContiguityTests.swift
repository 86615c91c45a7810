import Foundation
import PerimetreData
import PerimetreGeometry
import PerimetreTestSupport
import Testing

@testable import PerimetreAnalysis

/// The 5 EPCI of the TI "Nord Franche-Comté" (ti_2023_2027_membres.csv).
let nordFrancheComte = ["200065647", "200069052", "200069060", "247000722", "249000241"]
/// Aurillac Agglomération and Saint-Flour Communauté (Cantal): not adjacent.
let aurillac = "241500230"
let saintFlour = "200066660"

@Suite("check: contiguity")
struct ContiguityTests {
    @Test(
        "Nord Franche-Comté is contiguous; its shared borders are those of the Etalab contours",
        .enabled(if: TestPaths.hasSharedData, "\(TestPaths.noSharedData)"))
    func nordFrancheComteContiguous() throws {
        let r = try check(nordFrancheComte)
        #expect(r.contiguity.contiguous)
        #expect(r.contiguity.components.count == 1)
        #expect(Set(r.contiguity.components.first ?? []) == Set(nordFrancheComte))
        #expect(r.contiguity.gaps.isEmpty && r.contiguity.islands.isEmpty)
        #expect(!r.findings.contains { $0.rule == .nonContiguous })

        // The expectation: pairs sharing ≥ 200 m of border on the independent Etalab contours.
        let l = try Lambert93()
        var expected: [String: Double] = [:]
        for (i, a) in nordFrancheComte.enumerated() {
            for b in nordFrancheComte[(i + 1)...] {
                let len = try l.sharedBorder(try l.metric(code: a), try l.metric(code: b))
                if len >= 200 { expected[[a, b].sorted().joined(separator: "-")] = len }
            }
        }
        #expect(expected.count >= 4, "a connected graph of 5 members has at least 4 edges")
        let shared = r.contiguity.edges.filter { $0.kind == .sharedBorder }
        #expect(Set(shared.map { [$0.a, $0.b].sorted().joined(separator: "-") }) == Set(expected.keys))
        for e in shared {
            let etalab = expected[[e.a, e.b].sorted().joined(separator: "-")] ?? 0
            // Both sources derive from IGN ADMIN EXPRESS, simplified differently (Etalab at 100 m):
            // shared-border lengths agree within 10 %.
            #expect(within(e.metres, etalab, rel: 0.10), "\(e.a)–\(e.b): \(e.metres) m vs Etalab \(etalab) m")
        }
    }

    @Test(
        "two EPCI apart in the Cantal: 2 components, the gap as measured on the Etalab contours",
        .enabled(if: TestPaths.hasSharedData, "\(TestPaths.noSharedData)"))
    func cantalNotContiguous() throws {
        let r = try check([aurillac, saintFlour])
        let expectedGap = try Lambert93().distance(aurillac, saintFlour)
        #expect(expectedGap > 1000, "the two EPCI are apart on the Etalab contours")
        #expect(!r.contiguity.contiguous)
        #expect(r.contiguity.components.count == 2)
        let gap = try #require(r.contiguity.gaps.first)
        #expect(r.contiguity.gaps.count == 1)
        // Lambert-93 distance between two 100 m-simplified outlines: within 300 m.
        #expect(abs(gap.gapMetres - expectedGap) < 300, "gap \(gap.gapMetres) m vs Etalab \(expectedGap) m")
        #expect(Set([gap.member, gap.nearestMainMember]) == Set([aurillac, saintFlour]))
        #expect(r.contiguity.islands.isEmpty)
    }

    @Test(
        "the Île d'Oléron is an island: sea gap of the Maumusson strait, contiguity not broken",
        .enabled(if: TestPaths.hasSharedData, "\(TestPaths.noSharedData)"))
    func oleronIsland() throws {
        let oleron = "241700624"
        let marennes = "241700699"
        let l = try Lambert93()
        // Independent expectation: Oléron shares no border with any Etalab EPCI, and the nearest
        // land is the La Tremblade coast across the Pertuis de Maumusson, 1–2 km away (the
        // viaduct to Bourcefranc-le-Chapus crosses some 3 km of sea).
        #expect(try l.neighbours(of: oleron).isEmpty)
        #expect(try l.adjacent(oleron, marennes) == false)
        let oleronBox = try etalabShape(oleron).envelope.expanded(by: 0.3)
        var nearest: (String, Double)? = nil
        for (code, s) in try etalab() where code != oleron && s.envelope.intersects(oleronBox) {
            let d = try l.metric(code: oleron).distance(try l.metric(s))
            if d < (nearest?.1 ?? .infinity) { nearest = (code, d) }
        }
        let (nearestCode, nearestGap) = try #require(nearest)

        let r = try check([oleron, marennes])
        let island = try #require(r.contiguity.islands.first)
        #expect(r.contiguity.islands.count == 1)
        #expect(island.member == oleron)
        #expect((500...3000).contains(island.seaGapMetres), "sea gap \(island.seaGapMetres) m")
        #expect(
            abs(island.seaGapMetres - nearestGap) < 500, "sea gap \(island.seaGapMetres) m vs Etalab \(nearestGap) m")
        #expect(island.nearest == nearestCode)
        let f = try #require(r.findings.first { $0.rule == .island })
        #expect(f.severity == .info && f.faq == "2.1")
        // An island never makes a perimeter non-contiguous by itself (ContiguityAnalysis' contract).
        #expect(r.contiguity.contiguous)
        #expect(!r.findings.contains { $0.rule == .nonContiguous })
        // The mainland neighbour is no island.
        #expect(!r.contiguity.islands.contains { $0.member == marennes })
    }

    @Test(
        "the islets of the Golfe du Morbihan are detached parts and do not break contiguity",
        .enabled(if: TestPaths.hasSharedData, "\(TestPaths.noSharedData)"))
    func detachedIslets() throws {
        let golfe = "200067932"  // CA Golfe du Morbihan - Vannes Agglomération (Île-aux-Moines, Île-d'Arz…)
        let shape = try etalabShape(golfe)
        #expect(shape.polygons.count > 1, "the Etalab contour has islands")
        let etalabDetached = shape.polygons.map { GeodesicMeasure.area(of: .polygon($0)) / 1e6 }.sorted(by: >)
            .dropFirst()
        let l = try Lambert93()
        let neighbour = try #require(try l.neighbours(of: golfe).first)

        let r = try check([golfe, neighbour])
        #expect(r.contiguity.contiguous)
        #expect(r.contiguity.components.count == 1)
        #expect(r.contiguity.islands.isEmpty)
        let parts = r.contiguity.detachedParts.filter { $0.member == golfe }
        #expect(!parts.isEmpty)
        // The largest islet (Île-aux-Moines, some 3 km²) is found in both sources within 25 %
        // (coastlines are simplified differently).
        let largest = parts.map(\.areaKm2).max() ?? 0
        #expect(
            within(largest, etalabDetached.first ?? 0, rel: 0.25),
            "largest islet \(largest) km² vs Etalab \(etalabDetached.first ?? 0) km²")
        #expect(parts.allSatisfy { $0.distanceMetres > 0 })
    }

    /// Point contact, contact within tolerance and a shared border, on hand-made squares in the
    /// Berry (well inside France), through the analysis' own workspace.
    @Test("hand-made point contact, shared border and contact within tolerance")
    func handMadeContacts() throws {
        let data = try geoData()
        let ctx = GeosContext()
        let kx = 111_320 * cos(46.0 * .pi / 180)  // metres per degree of longitude at 46° N
        let gapDeg = 60 / kx  // a 60 m gap
        let a = lonLatRect(2.0, 46.0, 2.1, 46.1)
        let b = lonLatRect(2.1, 46.1, 2.2, 46.2)  // meets A at the corner (2.1, 46.1) only
        let c = lonLatRect(2.0, 45.9, 2.1, 46.0)  // shares A's southern edge
        let d = lonLatRect(1.9, 46.0, 2.0 - gapDeg, 46.05)  // 60 m west of A
        let members = try [("A", a), ("B", b), ("C", c), ("D", d)].map {
            ($0.0, try ctx.multiPolygon([try ctx.geometry($0.1)]))
        }
        let w = try Workspace(
            ctx: ctx, data: data, session: try data.session(), options: AnalysisOptions(), members: members)
        let (result, _, _) = try ContiguityAnalysis.run(w)

        #expect(result.pointContacts == [["A", "B"]])
        let ac = try #require(result.edges.first { $0.a == "A" && $0.b == "C" })
        #expect(ac.kind == .sharedBorder)
        // The shared edge: 0.1° of longitude along the 46th parallel, ≈ 7.73 km (Lambert-93 scale
        // error near 46° N is under 0.1 %).
        let geodesic = GeodesicMeasure.distance(Coordinate(2.0, 46.0), Coordinate(2.1, 46.0))
        #expect(within(ac.metres, geodesic, rel: 0.005), "\(ac.metres) m vs \(geodesic) m")
        let ad = try #require(result.edges.first { $0.a == "A" && $0.b == "D" })
        #expect(ad.kind == .withinTolerance)
        #expect(abs(ad.metres - 60) < 2, "gap \(ad.metres) m")
        #expect(!result.edges.contains { Set([$0.a, $0.b]) == Set(["A", "B"]) }, "a point contact is not an edge")
        // B touches the others at a point only: a separate component, 0 m away.
        #expect(!result.contiguous)
        #expect(result.components.count == 2)
        #expect(result.components.contains(["B"]))
        #expect(result.gaps.first?.gapMetres == 0)
    }
}
