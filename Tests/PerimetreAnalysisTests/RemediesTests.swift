import Foundation
import PerimetreData
import PerimetreGeometry
import PerimetreTestSupport
import Testing

@testable import PerimetreAnalysis

// Remedies: every promise checked by a new analysis of the changed perimeter (PerimeterCheck.run),
// and the number of EPCI added by `connect` checked against an exhaustive search written here
// (all subsets of the EPCI within 3 steps of the perimeter on the adjacency graph), on the real
// non-contiguous Territoires d'industrie of 2023-2027 and 2019-2022 and on ≥ 500 generated cases.

/// The fewest nodes joining `groups` (each group already connected), then the least population
/// and area, by trying every subset of the nodes within 3 steps of a group, smallest first.
/// nil when no subset of at most `maxSize` nodes (or too many subsets to try) joins them.
func rtExhaustive(
    _ g: EPCIGraph, _ groups: [[Int]], maxSize: Int, cost: (Int) -> SteinerCost,
    budget: Int = 400_000
) -> (size: Int, cost: SteinerCost, sets: [[Int]])? {
    let inGroup = Dictionary(
        groups.enumerated().flatMap { k, ns in ns.map { ($0, k) } }, uniquingKeysWith: { a, _ in a })
    var dist: [Int: Int] = [:]
    var frontier = Array(inGroup.keys)
    for v in frontier { dist[v] = 0 }
    for d in 1...3 {
        var next: [Int] = []
        for v in frontier {
            for u in g.neighbours[v] where dist[u] == nil {
                dist[u] = d
                next.append(u)
            }
        }
        frontier = next
    }
    let candidates = dist.keys.filter { inGroup[$0] == nil }.sorted()
    func joins(_ subset: [Int]) -> Bool {
        // Union-find over groups (k) and subset nodes (groups.count + index).
        var parent = Array(0..<(groups.count + subset.count))
        func find(_ i: Int) -> Int {
            var i = i
            while parent[i] != i { i = parent[i] }
            return i
        }
        func union(_ a: Int, _ b: Int) { parent[find(a)] = find(b) }
        var id: [Int: Int] = inGroup
        for (i, v) in subset.enumerated() { id[v] = groups.count + i }
        for (v, a) in id { for u in g.neighbours[v] { if let b = id[u] { union(a, b) } } }
        return Set((0..<parent.count).map(find)).count == 1
    }
    func choose(_ n: Int, _ k: Int) -> Double {
        k == 0 ? 1 : (0..<k).reduce(1.0) { $0 * Double(n - $1) / Double($1 + 1) }
    }
    for size in 0...maxSize {
        if choose(candidates.count, size) > Double(budget) { return nil }
        var best: SteinerCost? = nil
        var sets: [[Int]] = []
        var idx = Array(0..<size)
        while true {
            let subset = idx.map { candidates[$0] }
            if joins(subset) {
                let c = subset.reduce(SteinerCost.zero) { $0 + cost($1) }
                if best == nil || c < best! { best = c }
                sets.append(subset)
            }
            // Next combination.
            var i = size - 1
            while i >= 0 && idx[i] == candidates.count - size + i { i -= 1 }
            if i < 0 { break }
            idx[i] += 1
            for j in (i + 1)..<size { idx[j] = idx[j - 1] + 1 }
        }
        if let best { return (size, best, sets) }
    }
    return nil
}

func rtCost(_ data: GeoData, _ g: EPCIGraph) -> (Int) -> SteinerCost {
    { i in
        let e = data.epci[g.codes[i]]
        return SteinerCost(count: 1, population: e?.population ?? 0, hectares: Int(((e?.areaKm2 ?? 0) * 100).rounded()))
    }
}

/// Connected components of the induced subgraph on `nodes`.
func rtComponents(_ g: EPCIGraph, _ nodes: [Int]) -> [[Int]] {
    let set = Set(nodes)
    var seen = Set<Int>()
    var out: [[Int]] = []
    for s in nodes.sorted() where !seen.contains(s) {
        var comp: [Int] = []
        var stack = [s]
        seen.insert(s)
        while let v = stack.popLast() {
            comp.append(v)
            for u in g.neighbours[v] where set.contains(u) && seen.insert(u).inserted { stack.append(u) }
        }
        out.append(comp.sorted())
    }
    return out
}

/// A new analysis of `members` (resolved codes) with `add` and without `remove`.
func rtRecheck(
    _ members: [String], add: [String], remove: [String] = [], against: [ResolvedLayer] = []
) throws -> CheckResult {
    let codes = members.filter { !remove.contains($0) } + add
    return try PerimeterCheck.run(
        memberRequest(codes, options: AnalysisOptions(mapContext: false, remedies: false)),
        data: try geoData(), compositions: try compositionTables(), against: against)
}

@Suite("Remedies")
struct RemediesTests {
    static let audit2019: Result<AuditResult, any Error> = Result {
        try Audit.run(
            try TerritoryLayer.load(TestPaths.tiMembers2019), data: try geoData(), compositions: try compositionTables()
        )
    }

    /// Checks every connect remedy of an audit: optimal count (exhaustive), and the promised result.
    func checkConnect(_ a: AuditResult, label: String) throws -> (checked: Int, compared: Int) {
        let data = try geoData()
        let g = try EPCIGraph.of(data)
        var checked = 0
        var compared = 0
        for t in a.territories {
            guard let r = t.result, !r.contiguity.contiguous else { continue }
            let connect = try #require(r.remedies.first { $0.goal == .connect }, "\(label) \(t.id): no connect remedy")
            checked += 1
            guard connect.feasible else {
                #expect(!connect.unreachable.isEmpty, "\(t.id): infeasible without a reason")
                continue
            }
            // Optimality where the remedy claims it (a perimeter of whole EPCI, up to 8 components):
            // the groups are the land components' EPCI.
            if connect.exact, connect.unreachable.isEmpty, connect.add.count <= 3 {
                let islands = Set(r.contiguity.islands.map(\.member))
                let groups = r.contiguity.components.map {
                    $0.filter { !islands.contains($0) }.compactMap { g.index[$0] }
                }.filter { !$0.isEmpty }
                if let ex = rtExhaustive(g, groups, maxSize: connect.add.count, cost: rtCost(data, g)) {
                    compared += 1
                    #expect(ex.size == connect.add.count, "\(label) \(t.id): \(connect.add) vs exhaustive \(ex.size)")
                    let mine = connect.add.reduce(SteinerCost.zero) { $0 + rtCost(data, g)(g.index[$1]!) }
                    #expect(mine == ex.cost, "\(label) \(t.id): ties not broken by population then area")
                    for alt in connect.alternatives {
                        #expect(alt.count == connect.add.count)
                        #expect(
                            ex.sets.contains(alt.map { g.index[$0]! }.sorted()),
                            "\(t.id): alternative \(alt) does not join")
                    }
                }
            }
            // The promise, checked by a new analysis of the changed perimeter.
            let after = try rtRecheck(r.members.map(\.code), add: connect.add)
            let promised = try #require(connect.result)
            #expect(after.contiguity.contiguous == promised.contiguous, "\(label) \(t.id): +\(connect.add)")
            if connect.unreachable.isEmpty { #expect(after.contiguity.contiguous, "\(label) \(t.id)") }
            #expect(after.enclaves.count == promised.enclaves, "\(label) \(t.id): enclaves after +\(connect.add)")
        }
        return (checked, compared)
    }

    @Test(
        "connect on the non-contiguous TI of 2023-2027: fewest EPCI (exhaustive), contiguous after",
        .enabled(if: atHasSharedData, "\(TestPaths.noSharedData)"))
    func connect2023() throws {
        let n = try checkConnect(try AuditTests.real.get(), label: "2023")
        #expect(n.checked > 0 && n.compared > 0, "\(n)")
        print(
            "remedies 2023: \(n.checked) non-contiguous TI checked, \(n.compared) compared with the exhaustive search")
    }

    @Test(
        "connect on the non-contiguous TI of 2019-2022: fewest EPCI (exhaustive), contiguous after",
        .enabled(if: atHasSharedData, "\(TestPaths.noSharedData)"))
    func connect2019() throws {
        let n = try checkConnect(try Self.audit2019.get(), label: "2019")
        #expect(n.checked > 0 && n.compared > 0, "\(n)")
        print(
            "remedies 2019: \(n.checked) non-contiguous TI checked, \(n.compared) compared with the exhaustive search")
    }

    @Test(
        "≥ 500 generated cases (a contiguous TI less 1–2 articulation EPCI): Steiner = exhaustive",
        .enabled(if: atHasSharedData, "\(TestPaths.noSharedData)"))
    func generated() throws {
        let data = try geoData()
        let g = try EPCIGraph.of(data)
        let cost = rtCost(data, g)
        // Contiguous TI of both lists made of whole 2026 EPCI, less one articulation EPCI, or an
        // articulation EPCI and any other whose removal leaves them in pieces.
        var seen = Set<[Int]>()
        var cases: [[Int]] = []
        for t in try AuditTests.real.get().territories + Self.audit2019.get().territories {
            guard let r = t.result, r.contiguity.contiguous, r.members.allSatisfy({ $0.kind == .epci }) else {
                continue
            }
            let nodes = r.members.compactMap { g.index[$0.code] }.sorted()
            guard nodes.count >= 3, rtComponents(g, nodes).count == 1 else { continue }
            let cuts = nodes.filter { a in rtComponents(g, nodes.filter { $0 != a }).count > 1 }
            for a in cuts {
                let one = nodes.filter { $0 != a }
                if seen.insert(one).inserted { cases.append(one) }
                for b in nodes where b != a {
                    let two = one.filter { $0 != b }
                    if two.count >= 2, rtComponents(g, two).count > 1, seen.insert(two).inserted { cases.append(two) }
                }
            }
        }
        var rng = SplitMix64(state: 2026)
        cases.shuffle(using: &rng)
        let solver = SteinerSolver(neighbours: g.neighbours, weight: cost)
        var compared = 0
        for nodes in cases where compared < 520 {
            let groups = rtComponents(g, nodes)
            guard groups.count > 1, let s = solver.solve(groups) else { continue }
            guard let ex = rtExhaustive(g, groups, maxSize: 2, cost: cost) else { continue }
            compared += 1
            #expect(s.exact)
            #expect(s.cost.count == ex.size, "\(nodes.map { g.codes[$0] }): \(s.nodes.count) vs \(ex.size)")
            #expect(s.cost == ex.cost, "\(nodes.map { g.codes[$0] })")
            #expect(ex.sets.contains(s.nodes))
            for alt in solver.alternatives(groups, best: s, order: { g.codes[$0] }) {
                #expect(ex.sets.contains(alt) && alt != s.nodes)
            }
        }
        #expect(compared >= 500, "only \(compared) generated cases")
        print("remedies: \(compared) generated cases compared with the exhaustive search (of \(cases.count))")
        // A few generated cases through the whole analysis: the remedy's promise holds.
        for nodes in cases.prefix(12) {
            let codes = nodes.map { g.codes[$0] }
            let r = try rtRecheck(codes, add: [])
            guard !r.contiguity.contiguous else { continue }
            let c = try PerimeterCheck.run(
                memberRequest(codes, options: AnalysisOptions(mapContext: false)), data: data)
            let connect = try #require(c.remedies.first { $0.goal == .connect })
            let after = try rtRecheck(codes, add: connect.add)
            #expect(after.contiguity.contiguous && connect.result?.contiguous == true, "\(codes) + \(connect.add)")
            #expect(after.enclaves.count == connect.result?.enclaves)
        }
    }

    @Test("The search's bound changes no answer: Dreyfus–Wagner on the nodes near the groups = on the whole graph")
    func boundedEqualsWhole() throws {
        let data = try geoData()
        let g = try EPCIGraph.of(data)
        let solver = SteinerSolver(neighbours: g.neighbours, weights: g.weights)
        // Seeded: 3 to 5 mainland EPCI a few hops apart (a random walk of 2 to 5 steps from one to the next).
        let mainland = g.mass[g.index["200000172"]!]
        let land = g.codes.indices.filter { g.mass[$0] == mainland }
        var rng = SplitMix64(state: 1315)
        var compared = 0
        var withAdded = 0
        var alternatives = 0
        for _ in 0..<120 {
            var picks = [land[Int(rng.next() % UInt64(land.count))]]
            let k = 3 + Int(rng.next() % 3)
            while picks.count < k {
                var v = picks.last!
                for _ in 0..<(2 + Int(rng.next() % 4)) {
                    v = g.neighbours[v][Int(rng.next() % UInt64(g.neighbours[v].count))]
                }
                if !picks.contains(v) { picks.append(v) }
            }
            let groups = rtComponents(g, picks)
            guard groups.count > 1, groups.count <= SteinerSolver.exactLimit else { continue }
            let bounded = try #require(solver.solve(groups))
            let whole = try #require(solver.solve(groups, bounded: false))
            compared += 1
            #expect(bounded == whole, "\(picks.map { g.codes[$0] }): \(bounded.nodes) vs \(whole.nodes)")
            #expect(bounded.exact)
            #expect(rtComponents(g, picks + bounded.nodes).count == 1)
            if !bounded.nodes.isEmpty { withAdded += 1 }
            // The alternatives too (each a dozen whole-graph searches: the first 40 cases).
            guard compared <= 40 else { continue }
            let alt = solver.alternatives(groups, best: bounded, order: { g.codes[$0] })
            #expect(
                alt == solver.alternatives(groups, best: whole, bounded: false, order: { g.codes[$0] }),
                "\(picks.map { g.codes[$0] })")
            alternatives += alt.count
        }
        #expect(compared >= 100 && withAdded >= 50, "\(compared) cases, \(withAdded) with EPCI to add")
        print(
            "remedies: bounded search = whole-graph search on \(compared) cases (\(withAdded) with EPCI to add, \(alternatives) alternatives)"
        )
    }

    @Test("Beyond 8 components: Mehlhorn's approximation joins them and says it is not exact")
    func approximation() throws {
        let data = try geoData()
        let g = try EPCIGraph.of(data)
        // Ten mainland EPCI far apart (every 60th code of a connected land mass).
        let mainland = g.mass[g.index["200000172"]!]
        let picks = g.codes.indices.filter { g.mass[$0] == mainland }.enumerated().filter { $0.offset % 60 == 0 }.map(
            \.element
        ).prefix(10)
        let groups = rtComponents(g, Array(picks))
        #expect(groups.count > 8)
        let s = try #require(SteinerSolver(neighbours: g.neighbours, weight: rtCost(data, g)).solve(groups))
        #expect(!s.exact)
        #expect(rtComponents(g, Array(picks) + s.nodes).count == 1)
    }

    @Test("fill_enclave: an EPCI ringed by all its neighbours is enclaved; adding it leaves no enclave")
    func fillEnclave() throws {
        let data = try geoData()
        let g = try EPCIGraph.of(data)
        // CC du Pays de Gex's neighbour ring is cut by Switzerland: take an inland EPCI instead.
        let inland = try #require(data.searchEPCI("Vierzon").first).code
        let ring = g.neighbours[g.index[inland]!].map { g.codes[$0] }
        let r = try PerimeterCheck.run(memberRequest(ring, options: AnalysisOptions(mapContext: false)), data: data)
        let fill = try #require(r.remedies.first { $0.goal == .fillEnclave && $0.add.contains(inland) })
        let after = try rtRecheck(ring, add: fill.add)
        #expect(after.enclaves.count == fill.result?.enclaves)
        #expect(after.enclaves.count < r.enclaves.count)
        #expect(!after.enclaves.contains { $0.epci.contains { $0.code == inland } })
        #expect(
            fill.populationAdded == data.epci[inland]!.population
                + fill.add.filter { $0 != inland }.reduce(0) { $0 + (fill.places[$1]?.population ?? 0) })
    }

    @Test("fill_enclave on the real TI: each enclave's filling removes it")
    func fillEnclaveReal() throws {
        let a = try AuditTests.real.get()
        var checked = 0
        for t in a.territories {
            guard let r = t.result else { continue }
            for f in r.remedies where f.goal == .fillEnclave && f.feasible {
                let after = try rtRecheck(r.members.map(\.code), add: f.add)
                #expect(after.enclaves.count == f.result?.enclaves, "\(t.id) + \(f.add)")
                #expect(after.enclaves.count < r.enclaves.count, "\(t.id) + \(f.add)")
                checked += 1
            }
        }
        #expect(checked > 0)
    }

    @Test("join_neighbours: a single EPCI gets its land neighbours; joining one is contiguous")
    func joinNeighbours() throws {
        let data = try geoData()
        let code = "200000172"
        let r = try check([code])
        let j = try #require(r.remedies.first { $0.goal == .joinNeighbours })
        let all = j.add + j.alternatives.flatMap { $0 }
        // Every neighbour shares a border: the pair is contiguous; the first is the least populated.
        for n in all.prefix(3) {
            let pair = try rtRecheck([code], add: [n])
            #expect(pair.contiguity.contiguous && pair.contiguity.edges.contains { $0.kind == .sharedBorder }, "\(n)")
        }
        #expect(all.map { data.epci[$0]!.population } == all.map { data.epci[$0]!.population }.sorted())
        #expect(j.result?.contiguous == true)
    }

    @Test("join_neighbours in an audit: the bordering candidatures are named")
    func joinCandidatures() throws {
        let data = try geoData()
        let g = try EPCIGraph.of(data)
        let a = "200000172"
        let b = g.codes[g.neighbours[g.index[a]!][0]]
        let csv = "territory_id,territory_name,member\nT1,Seul,\(a)\nT2,Voisin,\(b)\n"
        let layer = try TerritoryLayer.parse(Array(csv.utf8), source: "cands.csv", id: "cands")
        let audit = try Audit.run(layer, data: data)
        let j = try #require(audit.territories[0].result?.remedies.first { $0.goal == .joinNeighbours })
        #expect(j.candidatures.map(\.id) == ["T2"])
        #expect(j.candidatures.first?.bordering == [b])
        #expect(j.message.contains("Voisin (T2)"))
    }

    @Test("epci_cut: adding the other communes or removing the listed ones leaves no cut")
    func epciCut() throws {
        let data = try geoData()
        let s = try data.session()
        let g = try EPCIGraph.of(data)
        let a = "200000172"
        let b = g.codes[g.neighbours[g.index[a]!][0]]
        let communes = try s.communes(ofEPCI: [b], geometry: false).map(\.0.code).prefix(2)
        let members = [a] + communes
        let r = try check(members)
        let cut = r.remedies.filter { $0.goal == .epciCut }
        #expect(cut.count == 2)
        #expect(cut.filter(\.preferred).count == 1)
        for c in cut {
            let after = try rtRecheck(members, add: c.add, remove: c.remove)
            #expect(after.cutEPCI.isEmpty, "\(c.add) \(c.remove)")
            #expect(after.contiguity.contiguous == c.result?.contiguous)
            #expect(after.enclaves.count == c.result?.enclaves)
        }
    }

    @Test(
        "align_crte: both ways out of each CRTE cut, checked against a new analysis",
        .enabled(if: atHasSharedData, "\(TestPaths.noSharedData)"))
    func alignCRTE() throws {
        let data = try geoData()
        let crte = try ResolvedLayer.resolve(
            try TerritoryLayer.load(TestPaths.sharedData + "/crte-2022/liste_crte_groupements_2022.csv"),
            data: data, compositions: try compositionTables())
        var checked = 0
        // The first 40, and ti-5304 (Finistère), whose CRTE holds Île-de-Sein, a commune in no EPCI.
        var sein = false
        for (i, t) in try AuditTests.real.get().territories.enumerated() where i < 40 || t.id == "ti-5304" {
            guard let members = t.result?.members.map(\.code) else { continue }
            let r = try PerimeterCheck.run(
                memberRequest(members, options: AnalysisOptions(mapContext: false)), data: data,
                compositions: try compositionTables(), against: [crte])
            let ways = r.remedies.filter { $0.goal == .alignCRTE && $0.feasible }
            for w in t.id == "ti-5304" ? ways : Array(ways.prefix(2)) {
                let after = try rtRecheck(members, add: w.add, remove: w.remove, against: [crte])
                #expect(!after.crte[0].cut.contains { $0.id == w.target }, "\(t.id) \(w.target ?? "")")
                #expect(after.crte[0].aligned == w.result?.crteAligned, "\(t.id) \(w.target ?? "")")
                #expect(after.contiguity.contiguous == w.result?.contiguous, "\(t.id) \(w.target ?? "")")
                #expect(after.enclaves.count == w.result?.enclaves, "\(t.id) \(w.target ?? "")")
                sein = sein || w.add.contains("29083")
                checked += 1
            }
        }
        #expect(checked > 0)
        #expect(sein, "a way adds Île-de-Sein (29083)")
    }

    @Test("Bad input: Corsica with the mainland, an empty CRTE layer — a remedy that says why")
    func badInput() throws {
        let data = try geoData()
        let ajaccio = try #require(data.searchEPCI("Pays Ajaccien").first).code
        let r = try check(["200000172", ajaccio])
        #expect(!r.contiguity.contiguous)
        let c = try #require(r.remedies.first { $0.goal == .connect })
        #expect(!c.feasible && !c.unreachable.isEmpty && c.add.isEmpty)
        #expect(c.message.contains("par la terre"))

        let empty = try TerritoryLayer.parse(
            Array("id_crte,lib_crte,siren_groupement\n".utf8), source: "vide.csv", id: "vide")
        let layer = try ResolvedLayer.resolve(empty, data: data, compositions: .init())
        let e = try PerimeterCheck.run(
            memberRequest(["200000172"], options: AnalysisOptions(mapContext: false)), data: data, against: [layer])
        let align = try #require(e.remedies.first { $0.goal == .alignCRTE })
        #expect(!align.feasible && align.add.isEmpty && align.remove.isEmpty)
    }

    @Test("The adjacency graph equals the GEOS shared-border test (positive length, as contiguity decides)")
    func graphMatchesGEOS() throws {
        let data = try geoData()
        let all = try data.session().epci(intersecting: Envelope(minX: -180, minY: -90, maxX: 180, maxY: 90))
        let codes = all.map(\.code)
        let wkbs = all.map(\.geometry)
        final class State {
            let ctx = GeosContext()
            var geoms: [Geometry] = []
            var tree: STRtree?
        }
        let chunks = stride(from: 0, to: codes.count, by: 64).map { $0..<min($0 + 64, codes.count) }
        let found = try parallelMap(chunks, makeState: { State() }) {
            (s: inout State, range: Range<Int>) -> [EPCIEdge] in
            if s.tree == nil {
                s.geoms = try wkbs.map { try s.ctx.readWKB($0) }
                s.tree = try STRtree(s.ctx, s.geoms)
            }
            var out: [EPCIEdge] = []
            for i in range {
                for j in s.tree!.query(s.geoms[i]) where j > i {
                    let shared = try s.geoms[i].boundary().intersection(try s.geoms[j].boundary())
                    if GeodesicMeasure.length(of: try shared.shape()) > 0 {
                        out.append(EPCIEdge(a: min(codes[i], codes[j]), b: max(codes[i], codes[j])))
                    }
                }
            }
            return out
        }
        let geos = Set(found.joined())
        let graph = Set(try EPCIGraphSource.edges(data))
        #expect(graph.subtracting(geos).isEmpty, "\(graph.subtracting(geos).sorted { $0.a < $1.a }.prefix(10))")
        #expect(geos.subtracting(graph).isEmpty, "\(geos.subtracting(graph).sorted { $0.a < $1.a }.prefix(10))")
        #expect(graph.count > 2500)
    }

    @Test("--no-remedies: none computed")
    func off() throws {
        let r = try PerimeterCheck.run(
            memberRequest(["200000172"], options: AnalysisOptions(mapContext: false, remedies: false)),
            data: try geoData())
        #expect(r.remedies.isEmpty)
    }
}
