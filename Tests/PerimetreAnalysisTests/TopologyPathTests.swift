import Foundation
import PerimetreData
import PerimetreGeometry
import PerimetreTestSupport
import Testing

@testable import PerimetreAnalysis

/// The analyses answered from the reference topology give the same answers as the geometric
/// analyses (the reference): on every Territoire d'industrie of 2023-2027 and of 2019-2022, and on
/// 1,000 seeded random groupings of neighbouring EPCI.
@Suite("Topology path")
struct TopologyPathTests {
    /// 1,000 seeded groups of 1–8 neighbouring EPCI (``RandomGroupings``).
    static func randomGroups(_ data: GeoData, count: Int = 1000, seed: UInt64 = 12) throws -> [[String]] {
        try RandomGroupings.make(data, count: count, seed: seed)
    }

    static func options(topology: Bool) -> AnalysisOptions {
        AnalysisOptions(mapContext: false, shapes: false, topology: topology)
    }

    /// Both paths on each perimeter, in parallel; the pairs of results.
    static func bothPaths(
        _ requests: [PerimeterRequest], tables: CompositionTables
    ) throws -> [(CheckResult, CheckResult)] {
        let data = try geoData()
        return try parallelMap(requests, makeState: { try data.session() }) { session, req in
            var g = req
            var t = req
            g.options = options(topology: false)
            t.options = options(topology: true)
            return (
                try PerimeterCheck.run(t, data: data, compositions: tables, session: session),
                try PerimeterCheck.run(g, data: data, compositions: tables, session: session)
            )
        }
    }

    static func close(_ a: Double, _ b: Double, rel: Double = 1e-6, abs tol: Double = 1e-6) -> Bool {
        a == b || Swift.abs(a - b) <= max(rel * max(Swift.abs(a), Swift.abs(b)), tol)
    }

    /// The differences between the topology answer `t` and the geometric one `g`, in words.
    static func differences(_ t: CheckResult, _ g: CheckResult) -> [String] {
        var d: [String] = []
        func expect(_ ok: Bool, _ what: @autoclosure () -> String) { if !ok { d.append(what()) } }
        let (ct, cg) = (t.contiguity, g.contiguity)
        expect(ct.contiguous == cg.contiguous, "contiguous \(ct.contiguous) vs \(cg.contiguous)")
        expect(ct.components == cg.components, "components \(ct.components) vs \(cg.components)")
        expect(
            ct.edges.map { [$0.a, $0.b, $0.kind.rawValue] } == cg.edges.map { [$0.a, $0.b, $0.kind.rawValue] },
            "edges \(ct.edges) vs \(cg.edges)")
        expect(
            zip(ct.edges, cg.edges).allSatisfy { close($0.metres, $1.metres, abs: 1e-3) },
            "edge lengths \(ct.edges.map(\.metres)) vs \(cg.edges.map(\.metres))")
        expect(ct.pointContacts == cg.pointContacts, "point contacts \(ct.pointContacts) vs \(cg.pointContacts)")
        expect(
            ct.gaps.map { [$0.member, $0.nearestMainMember] } == cg.gaps.map { [$0.member, $0.nearestMainMember] }
                && zip(ct.gaps, cg.gaps).allSatisfy {
                    close($0.gapMetres, $1.gapMetres) && $0.component == $1.component
                }, "gaps \(ct.gaps) vs \(cg.gaps)")
        expect(
            ct.islands.map(\.member) == cg.islands.map(\.member)
                && ct.islands.map(\.nearest) == cg.islands.map(\.nearest)
                && zip(ct.islands, cg.islands).allSatisfy { close($0.seaGapMetres, $1.seaGapMetres) },
            "islands \(ct.islands) vs \(cg.islands)")
        expect(
            ct.detachedParts.map(\.member) == cg.detachedParts.map(\.member)
                && zip(ct.detachedParts, cg.detachedParts).allSatisfy {
                    close($0.areaKm2, $1.areaKm2) && close($0.distanceMetres, $1.distanceMetres)
                },
            "detached parts \(ct.detachedParts) vs \(cg.detachedParts)")
        expect(t.enclaves.count == g.enclaves.count, "enclaves \(t.enclaves.count) vs \(g.enclaves.count)")
        for (a, b) in zip(t.enclaves, g.enclaves) {
            expect(
                a.communes == b.communes && a.epci == b.epci,
                "enclave members \(a.epci.map(\.code)) vs \(b.epci.map(\.code))")
            expect(close(a.areaKm2, b.areaKm2), "enclave area \(a.areaKm2) vs \(b.areaKm2)")
            expect(close(a.widthMetres, b.widthMetres, rel: 1e-3), "enclave width \(a.widthMetres) vs \(b.widthMetres)")
        }
        expect(t.slivers.count == g.slivers.count, "slivers \(t.slivers.count) vs \(g.slivers.count)")
        expect(t.span.departements == g.span.departements && t.span.regions == g.span.regions, "spans")
        let (bt, bg) = (t.border, g.border)
        expect(
            bt.frontalier == bg.frontalier && bt.neighbours.map(\.code) == bg.neighbours.map(\.code)
                && bt.nearby.map(\.code) == bg.nearby.map(\.code)
                && zip(bt.nearby, bg.nearby).allSatisfy { close($0.distanceMetres, $1.distanceMetres) },
            "border \(bt.nearby) vs \(bg.nearby)")
        let (ft, fg) = (t.figures, g.figures)
        expect(close(ft.areaKm2, fg.areaKm2), "area \(ft.areaKm2) vs \(fg.areaKm2)")
        expect(close(ft.perimeterKm, fg.perimeterKm), "perimeter \(ft.perimeterKm) vs \(fg.perimeterKm)")
        expect(
            ft.population == fg.population && ft.communeCount == fg.communeCount && ft.epciCodes == fg.epciCodes,
            "counts")
        expect(ft.bbox == fg.bbox, "bbox \(ft.bbox) vs \(fg.bbox)")
        expect(t.metricCRS == g.metricCRS, "crs")
        expect(t.findings == g.findings, "findings \(t.findings.map(\.rule)) vs \(g.findings.map(\.rule))")
        return d
    }

    static func requests(_ path: String) throws -> [PerimeterRequest] {
        try TerritoryLayer.load(path).territories.map {
            PerimeterRequest(id: $0.id, name: $0.name, members: $0.members)
        }
    }

    static func compare(
        _ label: String, _ requests: [PerimeterRequest], tables: CompositionTables, minimumFromTopology: Int,
        minimumWithoutDissolve: Int
    ) throws {
        let pairs = try bothPaths(requests, tables: tables)
        var fromTopology = 0
        var withoutDissolve = 0
        for (req, (t, g)) in zip(requests, pairs) {
            #expect(!g.fromTopology)
            if t.fromTopology { fromTopology += 1 }
            if t.fromTopology && !t.dissolved { withoutDissolve += 1 }
            let d = differences(t, g)
            #expect(d.isEmpty, "\(label) \(req.id) \(req.members.map(\.code)): \(d.joined(separator: "; "))")
        }
        #expect(
            fromTopology >= minimumFromTopology,
            "\(label): only \(fromTopology) of \(requests.count) answered from the topology")
        #expect(
            withoutDissolve >= minimumWithoutDissolve,
            "\(label): only \(withoutDissolve) of \(requests.count) answered from the topology without a dissolve")
        print(
            "\(label): \(fromTopology) of \(requests.count) answered from the topology, \(withoutDissolve) without any dissolve"
        )
    }

    @Test(
        "The 183 TI of 2023-2027: same answers from the topology and from geometry",
        .enabled(if: TestPaths.hasSharedData, "\(TestPaths.noSharedData)"))
    func ti2023() throws {
        let reqs = try Self.requests(TestPaths.tiMembers2023)
        #expect(reqs.count == 183)
        // 177 of them are made of whole EPCI only, the others list EPT or commune SIREN (their
        // EPCI are then split into communes). A neighbouring EPCI's exclave is placed by splitting
        // that EPCI into communes, a commune's own exclave by its own geometry; 3 still dissolve
        // (a commune's part that meets non-members too, a unit on a hole of the coverage).
        try Self.compare(
            "TI 2023", reqs, tables: try compositionTables(), minimumFromTopology: 183, minimumWithoutDissolve: 180)
    }

    @Test(
        "The 149 TI of 2019-2022: same answers from the topology and from geometry",
        .enabled(
            if: TestPaths.allExist([TestPaths.tiMembers2019] + TestPaths.compositionPaths), "\(TestPaths.noSharedData)")
    )
    func ti2019() throws {
        let reqs = try Self.requests(TestPaths.tiMembers2019)
        #expect(reqs.count == 149)
        // Their EPCI of 2019 merged since are traced through the DGCL table to communes: the
        // EPCI of 2026 they cut are split into communes.
        try Self.compare(
            "TI 2019", reqs, tables: try compositionTables(), minimumFromTopology: 149, minimumWithoutDissolve: 145)
    }

    @Test("A commune's own exclave amid the members is an enclave found without a dissolve")
    func communeExclave() throws {
        // Iffendic (35133, Montfort Communauté) has a part of 2 km² amid the communes of the CC de
        // Saint-Méen Montauban: that EPCI alone has a hole. The part's own geometry and its
        // neighbours' say it is enclosed; the dissolve of the whole perimeter is not needed.
        let req = PerimeterRequest(
            id: "smm", name: "Saint-Méen Montauban", members: [MemberInput(code: "200038990", origin: "test")])
        let (t, g) = try #require(try Self.bothPaths([req], tables: .init()).first)
        #expect(t.fromTopology && !t.dissolved)
        #expect(Self.differences(t, g).isEmpty, "\(Self.differences(t, g))")
        #expect(t.enclaves.count == 1 && g.enclaves.count == 1)
        // The commune's interior point lies in its main part: neither path lists it in the hole.
        #expect(t.enclaves.first?.communes.isEmpty == true)
        let facts = try geoData().session().communeTopology(ofEPCI: ["243500550"]).facts["35133"]
        let part = try #require(facts?.detachedParts.max { $0.areaKm2 < $1.areaKm2 })
        #expect(Self.close(t.enclaves[0].areaKm2, part.areaKm2))
    }

    @Test("1,000 seeded random groupings of neighbouring EPCI: same answers")
    func randomGroupings() throws {
        let data = try geoData()
        let groups = try Self.randomGroups(data)
        #expect(groups.count == 1000)
        let reqs = groups.enumerated().map { k, g in
            PerimeterRequest(id: "g\(k)", name: "g\(k)", members: g.map { MemberInput(code: $0, origin: "g\(k)") })
        }
        try Self.compare("random", reqs, tables: .init(), minimumFromTopology: 990, minimumWithoutDissolve: 960)
    }

    /// Perimeters mixing whole EPCI, single communes and communes of a cut EPCI: from 300 of the
    /// seeded groupings, one EPCI listed through a seeded part of its communes, and a commune of
    /// a neighbouring EPCI added.
    static func mixedRequests(_ data: GeoData, count: Int = 300) throws -> [PerimeterRequest] {
        let session = try data.session()
        let topo = try data.epciTopology()
        var rng = SplitMix64(state: 2026)
        return try randomGroups(data, count: count, seed: 31).enumerated().map { k, group in
            var members = group
            let cut = members.remove(at: Int.random(in: 0..<members.count, using: &rng))
            let communes = try session.communes(ofEPCI: [cut], geometry: false).map(\.0.code)
            let kept = communes.filter { _ in Bool.random(using: &rng) }
            members += kept.isEmpty ? [communes[0]] : kept
            let outside = topo.pairs(of: group[0]).map(\.other).filter { !group.contains($0) }.sorted()
            if let n = outside.randomElement(using: &rng),
                let c = try session.communes(ofEPCI: [n], geometry: false).map(\.0.code).randomElement(using: &rng)
            {
                members.append(c)
            }
            return PerimeterRequest(
                id: "m\(k)", name: "m\(k)", members: members.map { MemberInput(code: $0, origin: "m\(k)") })
        }
    }

    @Test("300 seeded perimeters mixing whole EPCI, communes and a cut EPCI: same answers")
    func mixedPerimeters() throws {
        let reqs = try Self.mixedRequests(try geoData())
        #expect(reqs.count == 300)
        try Self.compare("mixed", reqs, tables: .init(), minimumFromTopology: 290, minimumWithoutDissolve: 275)
    }
}

@Suite("Topology path: older reference data")
struct OlderGeoDataTests {
    @Test("check on a GeoPackage without the topology tables: exit 2, told to run perimetre data build, no output")
    func olderGeoPackageExit2() throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let old = dir.appendingPathComponent("old.gpkg").path
        let w = try GeoPackageWriter(path: old)
        try w.setMetadata("schema", "1")
        try w.commit()
        let out = dir.appendingPathComponent("r.json").path
        let run = try runCLI(["check", "200065647", "--geodata", old, "--format", "json", "-o", out])
        #expect(run.status == 2, "exit \(run.status): \(run.stderr)")
        #expect(run.stderr.contains("perimetre data build"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
