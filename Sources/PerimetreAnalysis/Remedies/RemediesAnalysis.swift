import Foundation
import PerimetreData
import PerimetreGeometry

/// Remedies: for each recommendation an option misses, the smallest concrete change that meets
/// it — EPCI to add to join its components (a node-weighted Steiner tree on the EPCI adjacency
/// graph), what fills each enclave, the two ways out of each CRTE cut and of each EPCI cut, the
/// neighbours of a single-EPCI option — with its cost and its predicted effect.
enum RemediesAnalysis {
    /// `workspace` gives the perimeter's geometry; it is called only when a predicted outcome
    /// needs the dissolved perimeter (members that are not whole EPCI, or where the reference
    /// topology cannot say the enclaves).
    static func run(
        _ workspace: @escaping () throws -> Workspace, data: GeoData, session: GeoDataSession, options: AnalysisOptions,
        resolution: Resolution, contiguity: Contiguity, enclaves: [Enclave],
        crte: [CRTEAlignment], against: [ResolvedLayer], span: AdministrativeSpan, drawn: Bool
    ) throws -> [Remedy] {
        let single = !drawn && resolution.members.count == 1 && resolution.members[0].kind == .epci
        let crteWork = crte.contains { !$0.aligned }
        // Nothing to remedy: the graph is not even loaded.
        guard !contiguity.contiguous || !enclaves.isEmpty || crteWork || single || !resolution.cutEPCI.isEmpty else {
            return []
        }
        let r = try Remedies(
            workspace, data: data, session: session, options: options, resolution: resolution,
            contiguity: contiguity, against: against, span: span)
        var out: [Remedy] = []
        var clock = Profile.start()
        if !contiguity.contiguous && !drawn {
            out += try r.connect()
            Profile.lap(&clock, "remedies: connect")
        }
        for (k, e) in enclaves.enumerated() { out.append(try r.fillEnclave(e, number: k + 1)) }
        if !enclaves.isEmpty { Profile.lap(&clock, "remedies: fill_enclave") }
        for a in crte where !a.aligned { out += try r.alignCRTE(a) }
        if crteWork { Profile.lap(&clock, "remedies: align_crte") }
        if single {
            out.append(try r.joinNeighbours())
            Profile.lap(&clock, "remedies: join_neighbours")
        }
        for c in resolution.cutEPCI { out += try r.epciCut(c) }
        if !resolution.cutEPCI.isEmpty { Profile.lap(&clock, "remedies: epci_cut") }
        return out
    }

    /// Lon/lat shapes of what the feasible remedies add (the first way of each), for the maps.
    static func shapes(_ remedies: [Remedy], _ w: Workspace) throws -> [String: Shape] {
        let codes = Set(remedies.filter { $0.feasible && $0.preferred }.flatMap(\.add))
        if codes.isEmpty { return [:] }
        var out: [String: Shape] = [:]
        for (c, wkb) in try w.session.epciGeometries(codes.filter { w.data.epci[$0] != nil }.sorted()) {
            out[c] = try w.ctx.readWKB(wkb).shape()
        }
        for (c, (_, wkb)) in try w.session.communes(codes: codes.filter { w.data.epci[$0] == nil }.sorted()) {
            if let wkb { out[c] = try w.ctx.readWKB(wkb).shape() }
        }
        return out
    }

    /// The candidatures bordering each one: its "join the neighbours" remedy names the
    /// candidatures already holding the EPCI it would add (JSON `candidatures`).
    struct CandidatureLinks {
        /// Each candidature's identifier, name and EPCI, in input order.
        let ids: [String]
        let names: [String]
        let epci: [[String]]
        /// The candidatures holding each EPCI: the neighbours' candidatures are looked up, not
        /// searched for among all (an audit of 1,000 options has hundreds of single EPCI).
        private var holders: [String: [Int]] = [:]

        init(ids: [String], names: [String], epci: [[String]]) {
            (self.ids, self.names, self.epci) = (ids, names, epci)
            for (i, codes) in epci.enumerated() { for code in codes { holders[code, default: []].append(i) } }
        }

        /// Names in `outcome`'s remedy the other candidatures bordering it (it is the `k`-th).
        func link(_ outcome: inout AuditResult.Outcome, at k: Int) {
            guard let rs = outcome.result?.remedies, let j = rs.firstIndex(where: { $0.goal == .joinNeighbours })
            else { return }
            let neighbours = Set(rs[j].add + rs[j].alternatives.joined())
            let own = Set(outcome.result?.figures.epciCodes ?? [])
            var found: [Remedy.Candidature] = []
            for i in Set(neighbours.flatMap { holders[$0] ?? [] }).sorted() where i != k {
                let bordering = epci[i].filter { neighbours.contains($0) && !own.contains($0) }
                if !bordering.isEmpty { found.append(.init(id: ids[i], name: names[i], bordering: bordering)) }
            }
            if found.isEmpty { return }
            var remedy = rs[j]
            remedy.candidatures = found
            remedy.message +=
                " Candidatures voisines : " + found.map { "\($0.name) (\($0.id))" }.joined(separator: ", ") + "."
            outcome.result?.remedies[j] = remedy
        }
    }
}

/// The state shared by the remedies of one perimeter.
private final class Remedies {
    private let makeWorkspace: () throws -> Workspace
    private var workspace: Workspace?
    let data: GeoData
    let session: GeoDataSession
    let options: AnalysisOptions
    let resolution: Resolution
    let contiguity: Contiguity
    let against: [ResolvedLayer]
    let span: AdministrativeSpan
    let graph: EPCIGraph
    /// The EPCI (graph nodes) each member lies in.
    let memberNodes: [String: [Int]]
    let islands: Set<String>
    /// The communes read beyond the perimeter's (which the resolution holds).
    private var communeCache: [String: Commune] = [:]
    /// The communes of EPCI already known whole (from a lookup or a CRTE's missing communes):
    /// a predicted CRTE alignment then needs no query.
    private var epciCommunes: [String: [String]] = [:]
    /// The perimeter's communes, as a set (the base of every predicted CRTE alignment).
    private lazy var communeSet = Set(resolution.communes.keys)
    /// Per CRTE layer (by position among them): how many of the perimeter's communes each CRTE
    /// holds, and the communes in none; a prediction then only counts what leaves and enters.
    private var crteBases: [Int: (count: [Int: Int], outside: Set<String>)] = [:]

    func crteBase(_ i: Int, _ l: ResolvedLayer) -> (count: [Int: Int], outside: Set<String>) {
        if let b = crteBases[i] { return b }
        var count: [Int: Int] = [:]
        var outside = Set<String>()
        for c in communeSet {
            guard let ks = l.byCommune[c] else {
                outside.insert(c)
                continue
            }
            for k in ks { count[k, default: 0] += 1 }
        }
        crteBases[i] = (count, outside)
        return (count, outside)
    }

    init(
        _ workspace: @escaping () throws -> Workspace, data: GeoData, session: GeoDataSession, options: AnalysisOptions,
        resolution: Resolution, contiguity: Contiguity, against: [ResolvedLayer], span: AdministrativeSpan
    ) throws {
        makeWorkspace = workspace
        self.data = data
        self.session = session
        self.options = options
        self.resolution = resolution
        self.contiguity = contiguity
        self.against = against
        self.span = span
        let graph = try EPCIGraph.of(data)
        self.graph = graph
        var nodes: [String: [Int]] = [:]
        for m in resolution.members {
            let epci =
                m.kind == .epci ? [m.code] : Set(m.communes.compactMap { resolution.communes[$0]?.epci }).sorted()
            nodes[m.code] = epci.compactMap { graph.index[$0] }
        }
        memberNodes = nodes
        islands = Set(contiguity.islands.map(\.member))
    }

    /// The perimeter's geometry, built on first need.
    func w() throws -> Workspace {
        if let w = workspace { return w }
        let w = try makeWorkspace()
        workspace = w
        return w
    }

    // MARK: - Costs, names, figures

    func cost(_ epci: String) -> SteinerCost { EPCIGraph.cost(data.epci[epci]) }

    func communes(_ codes: [String]) throws -> [String: Commune] {
        let missing = codes.filter { resolution.communes[$0] == nil && communeCache[$0] == nil }
        if !missing.isEmpty {
            for (c, _) in try session.communes(codes: missing, geometry: false).values { communeCache[c.code] = c }
        }
        var out: [String: Commune] = [:]
        for c in codes { if let x = resolution.communes[c] ?? communeCache[c] { out[c] = x } }
        return out
    }

    func place(_ code: String) throws -> Remedy.Place {
        if let e = data.epci[code] {
            return .init(code: code, name: e.name, kind: .epci, population: e.population, areaKm2: e.areaKm2)
        }
        if let m = resolution.members.first(where: { $0.code == code }) {
            return .init(code: code, name: m.name, kind: .member, population: m.population, areaKm2: m.areaKm2)
        }
        let c = try communes([code])[code]
        return .init(
            code: code, name: c?.name ?? code, kind: .commune, population: c?.population ?? 0, areaKm2: c?.areaKm2 ?? 0)
    }

    func label(_ p: Remedy.Place) -> String { "\(p.name) (\(French.int(p.population)) hab.)" }

    /// "A (1 200 hab.)", "A (…) et B (…)", "A (…), B (…) et C (…)".
    func list(_ codes: [String]) throws -> String {
        let ls = try codes.map { label(try place($0)) }
        return ls.count <= 1 ? ls.joined() : ls.dropLast().joined(separator: ", ") + " et " + ls.last!
    }

    /// A remedy with its figures, places and predicted outcome filled in.
    func remedy(
        _ goal: Remedy.Goal, target: String?, add: [String], remove: [String] = [], alternatives: [[String]] = [],
        exact: Bool = true, message: String
    ) throws -> Remedy {
        var places: [String: Remedy.Place] = [:]
        for c in add + remove + alternatives.joined() { places[c] = try place(c) }
        let added = add.compactMap { places[$0] }
        let removed = remove.compactMap { places[$0] }
        var deps = Set<String>()
        var regs = Set<String>()
        let addedCommunes = try communes(add.filter { data.epci[$0] == nil })
        for p in added {
            if let e = data.epci[p.code] {
                deps.formUnion(e.departements)
                regs.formUnion(e.regions)
            } else if let c = addedCommunes[p.code] {
                deps.insert(c.departement)
                regs.insert(c.region)
            }
        }
        deps.subtract(span.departements.map(\.code))
        regs.subtract(span.regions.map(\.code))
        let outcome = try predict(add: add, remove: Set(remove))
        return Remedy(
            goal: goal, target: target, add: add, remove: remove, alternatives: alternatives, exact: exact,
            feasible: true, preferred: true,
            populationAdded: added.reduce(0) { $0 + $1.population } - removed.reduce(0) { $0 + $1.population },
            areaAddedKm2: added.reduce(0) { $0 + $1.areaKm2 } - removed.reduce(0) { $0 + $1.areaKm2 },
            departementsAdded: deps.sorted(), regionsAdded: regs.sorted(), result: outcome, unreachable: [],
            candidatures: [], places: places, message: message)
    }

    func infeasible(_ goal: Remedy.Goal, target: String?, unreachable: [String] = [], message: String) -> Remedy {
        Remedy(
            goal: goal, target: target, add: [], remove: [], alternatives: [], exact: true, feasible: false,
            preferred: true,
            populationAdded: 0, areaAddedKm2: 0, departementsAdded: [], regionsAdded: [], result: nil,
            unreachable: unreachable, candidatures: [], places: [:], message: message)
    }

    /// Of two ways to the same goal, the one moving fewer inhabitants is preferred (the addition on a tie).
    func pair(_ a: Remedy, _ b: Remedy) -> [Remedy] {
        var (a, b) = (a, b)
        let bFirst = abs(b.populationAdded) < abs(a.populationAdded)
        a.preferred = !bFirst
        b.preferred = bFirst
        return bFirst ? [b, a] : [a, b]
    }

    // MARK: - Predicted outcome

    /// The perimeter after adding `add` (EPCI SIREN or commune INSEE codes) and removing the
    /// members `remove`: contiguity from the members' edges and the EPCI adjacency graph,
    /// enclaves from the dissolved geometry, CRTE alignment from the commune sets.
    func predict(add: [String], remove: Set<String>) throws -> Remedy.Outcome {
        let kept = resolution.members.map(\.code).filter { !remove.contains($0) }
        let addedCommunes = try communes(add.filter { data.epci[$0] == nil })
        let contiguous = isContiguous(
            kept: kept, add: add, addedCommunes: addedCommunes, addedIslands: try islands(among: add, addedCommunes))
        let enclaves = try enclaveCount(kept: kept, add: add, remove: remove, addedCommunes: addedCommunes)
        let crteAligned = try isCRTEAligned(add: add, remove: remove, addedCommunes: addedCommunes)
        return .init(contiguous: contiguous, enclaves: enclaves, crteAligned: crteAligned)
    }

    /// Whether the perimeter after the change is contiguous (islands aside): from the members'
    /// edges and the EPCI adjacency graph.
    private func isContiguous(
        kept: [String], add: [String], addedCommunes: [String: Commune], addedIslands: Set<String>
    ) -> Bool {
        // Union-find over kept members then added codes.
        let items = kept + add
        var index: [String: Int] = [:]
        for (i, c) in items.enumerated() { index[c] = i }
        var sets = UnionFind(count: items.count)
        for e in contiguity.edges { if let a = index[e.a], let b = index[e.b] { sets.link(a, b) } }
        // The EPCI node(s) of each item: a commune is placed at its EPCI's node.
        let nodes: [[Int]] = items.map { c in
            if let m = memberNodes[c] { return m }
            if let i = graph.index[c] { return [i] }
            return addedCommunes[c]?.epci.flatMap { graph.index[$0] }.map { [$0] } ?? []
        }
        let itemIsEPCI = items.map { data.epci[$0] != nil }
        // The items at each node: an added item meets those at its nodes and their neighbours.
        var atNode: [Int: [Int]] = [:]
        for (j, ns) in nodes.enumerated() { for n in ns { atNode[n, default: []].append(j) } }
        for i in kept.count..<items.count where !nodes[i].isEmpty {
            let near = Set(nodes[i].flatMap { graph.neighbours[$0] + [$0] })
            for n in near {
                for j in atNode[n] ?? [] where j != i {
                    // An added commune is joined through its own EPCI; two EPCI only through a shared border.
                    if itemIsEPCI[i] && itemIsEPCI[j] && !graph.neighbours[nodes[i][0]].contains(n) { continue }
                    sets.link(i, j)
                }
            }
        }
        let land = items.indices.filter { !islands.contains(items[$0]) && !addedIslands.contains(items[$0]) }
        return Set(land.map { sets.find($0) }).count <= 1
    }

    /// The codes of `add` that are islands, which the analysis puts aside as it does the
    /// perimeter's: an EPCI with no land neighbour, a commune in no EPCI (the single-commune
    /// islands, Île-de-Sein…). A commune of an EPCI is placed at its EPCI's node.
    private func islands(among add: [String], _ addedCommunes: [String: Commune]) throws -> Set<String> {
        let topology = try data.epciTopology()
        var out = Set(add.filter { data.epci[$0] != nil && topology.facts[$0]?.island == true })
        let noEPCI = add.filter { addedCommunes[$0] != nil && addedCommunes[$0]?.epci == nil }
        if !noEPCI.isEmpty { out.formUnion(Set(noEPCI).intersection(try session.islandCommunesWithoutEPCI())) }
        return out
    }

    /// Enclaves after the change: from the reference topology for whole EPCI, else the dissolved
    /// perimeter after the change.
    private func enclaveCount(
        kept: [String], add: [String], remove: Set<String>, addedCommunes: [String: Commune]
    ) throws -> Int {
        if kept.isEmpty && add.isEmpty { return 0 }  // nothing left: no hole
        if let n = try TopologyPath.enclaveCount(
            resolution.members.filter { !remove.contains($0.code) },
            epciOf: { resolution.communes[$0]?.epci ?? addedCommunes[$0]?.epci }, adding: add,
            data: data, session: session, options: options)
        {
            return n
        }
        return try geometricEnclaveCount(add: add, remove: remove)
    }

    /// CRTE alignment after the change (nil without a CRTE layer): the commune set after the
    /// change, as what leaves and what enters the perimeter.
    private func isCRTEAligned(add: [String], remove: Set<String>, addedCommunes: [String: Commune]) throws -> Bool? {
        let epciAdd = add.filter { data.epci[$0] != nil }
        var crteAligned: Bool? = nil
        let layers = against.filter(\.layer.isCRTE)
        if !layers.isEmpty {
            var entering = Set(addedCommunes.keys)
            let unknown = epciAdd.filter { epciCommunes[$0] == nil }
            if !unknown.isEmpty {
                for (e, cs) in try session.communesByEPCI(unknown) { epciCommunes[e] = cs.map(\.code) }
            }
            for e in epciAdd { entering.formUnion(epciCommunes[e] ?? []) }
            var leaving = Set<String>()
            for m in resolution.members where remove.contains(m.code) { leaving.formUnion(m.communes) }
            leaving.subtract(entering)
            entering.subtract(communeSet)
            crteAligned = layers.indices.allSatisfy { i in
                let l = layers[i]
                let base = crteBase(i, l)
                // A commune of the perimeter after the change in no CRTE of the layer: not aligned.
                if !base.outside.isSubset(of: leaving) { return false }
                var count = base.count
                for c in leaving { for k in l.byCommune[c] ?? [] { count[k, default: 0] -= 1 } }
                for c in entering {
                    guard let ks = l.byCommune[c] else { return false }
                    for k in ks { count[k, default: 0] += 1 }
                }
                // Aligned: every CRTE touched lies wholly in the perimeter.
                return count.allSatisfy { k, n in n == 0 || n == l.territories[k].communes.count }
            }
        }
        return crteAligned
    }

    /// Enclaves of the dissolved perimeter after the change (the geometric way).
    func geometricEnclaveCount(add: [String], remove: Set<String>) throws -> Int {
        let w = try w()
        var parts: [Geometry] = []
        if remove.isEmpty {
            parts = [w.perimeterLonLat]
        } else {
            for (i, c) in w.codes.enumerated() where !remove.contains(c) { parts.append(w.lonlat[i]) }
        }
        for (_, wkb) in try session.epciGeometries(add.filter { data.epci[$0] != nil }).sorted(by: { $0.key < $1.key })
        {
            parts.append(try w.ctx.readWKB(wkb))
        }
        for (_, (_, wkb)) in try session.communes(codes: add.filter { data.epci[$0] == nil }).sorted(by: {
            $0.key < $1.key
        }) {
            if let wkb { parts.append(try w.ctx.readWKB(wkb)) }
        }
        let dissolved =
            parts.isEmpty
            ? try w.ctx.emptyPolygon()
            : parts.count == 1 ? parts[0] : try w.ctx.multiPolygon([try w.ctx.coverageUnion(parts).geometry])
        return try EnclaveAnalysis.count(dissolved, w)
    }

    // MARK: - The remedies

    /// The fewest EPCI joining the components (islands aside), up to 3 alternatives. Components
    /// holding communes of the same EPCI are joined by completing that EPCI (its other communes).
    func connect() throws -> [Remedy] {
        let land = landGroups()
        let groups = land.nodes
        let sharedEPCI = land.sharedEPCI
        var completion: [String] = []
        if !sharedEPCI.isEmpty {
            completion = try session.communes(ofEPCI: sharedEPCI, geometry: false).map(\.0.code)
                .filter { resolution.communes[$0] == nil }.sorted()
        }
        guard groups.count > 1 || !completion.isEmpty else {
            return [
                infeasible(
                    .connect, target: nil,
                    message:
                        "Les ensembles du périmètre n'ont aucun EPCI à relier par la terre : aucun ajout d'EPCI ne les relie."
                )
            ]
        }
        // Components in another land mass than most of them (Corsica, overseas) cannot be joined.
        var byMass: [Int: [Int]] = [:]
        for (g, nodes) in groups.enumerated() { byMass[graph.mass[nodes[0]], default: []].append(g) }
        let main = byMass.max { a, b in
            a.value.count != b.value.count ? a.value.count < b.value.count : a.value[0] > b.value[0]
        }!.key
        let reachable = byMass[main]!
        let unreachable = groups.indices.filter { graph.mass[groups[$0][0]] != main }.flatMap { land.members[$0] }
        let islandNote =
            islands.isEmpty
            ? ""
            : " Les îles du périmètre (\(resolution.members.filter { islands.contains($0.code) }.map(\.name).joined(separator: ", "))) n'ont pas de voisin terrestre : elles ne sont pas comptées."
        let unreachableNote =
            unreachable.isEmpty
            ? ""
            : " \(try list(unreachable)) ne peu\(unreachable.count > 1 ? "vent" : "t") pas être relié\(unreachable.count > 1 ? "s" : "") au reste par la terre (autre île ou territoire) : aucun ajout d'EPCI ne le permet."
        let completionNote =
            completion.isEmpty
            ? ""
            : " Compléter \(sharedEPCI.map { data.epci[$0]?.name ?? $0 }.joined(separator: ", ")) (ses \(completion.count) autres communes, \(French.int(try communes(completion).values.reduce(0) { $0 + $1.population })) hab.) relie les ensembles faits de ses communes."
        guard reachable.count > 1 || !completion.isEmpty else {
            return [
                infeasible(
                    .connect, target: nil, unreachable: unreachable,
                    message: "Aucun ajout d'EPCI ne rend le périmètre contigu." + unreachableNote + islandNote)
            ]
        }
        let solver = SteinerSolver(neighbours: graph.neighbours, weights: graph.weights)
        let terminals = reachable.map { groups[$0] }
        guard let best = solver.solve(terminals) else {
            return [
                infeasible(
                    .connect, target: nil, unreachable: unreachable,
                    message: "Aucun ajout d'EPCI ne relie les ensembles." + islandNote)
            ]
        }
        return [
            try connection(
                best, solver: solver, terminals: terminals, completion: completion, componentCount: land.componentCount,
                notes: completionNote + unreachableNote + islandNote, unreachable: unreachable)
        ]
    }

    /// The land components of the perimeter (islands aside) as EPCI nodes of the graph, those
    /// sharing an EPCI (a perimeter of communes) merged: completing the EPCI joins them.
    private struct LandGroups {
        /// Each group's EPCI nodes, sorted.
        var nodes: [[Int]]
        /// Each group's members.
        var members: [[String]]
        /// The EPCI whose communes lie in several components.
        var sharedEPCI: [String]
        /// The components before merging.
        var componentCount: Int
    }

    private func landGroups() -> LandGroups {
        var sets: [[Int]] = []
        var setMembers: [[String]] = []
        for comp in contiguity.components {
            let land = comp.filter { !islands.contains($0) }
            let nodes = Array(Set(land.flatMap { memberNodes[$0] ?? [] })).sorted()
            if nodes.isEmpty { continue }
            sets.append(nodes)
            setMembers.append(land)
        }
        // Merge the components that share an EPCI (a perimeter of communes): completing the EPCI joins them.
        var parent = Array(sets.indices)
        func find(_ i: Int) -> Int {
            var i = i
            while parent[i] != i { i = parent[i] }
            return i
        }
        var owner: [Int: Int] = [:]
        var shared = Set<Int>()
        for (k, nodes) in sets.enumerated() {
            for v in nodes {
                if let o = owner[v] {
                    shared.insert(v)
                    let (a, b) = (find(o), find(k))
                    if a != b { parent[max(a, b)] = min(a, b) }
                } else {
                    owner[v] = k
                }
            }
        }
        var merged: [Int: (nodes: Set<Int>, members: [String])] = [:]
        for k in sets.indices {
            merged[find(k), default: ([], [])].nodes.formUnion(sets[k])
            merged[find(k)]!.members += setMembers[k]
        }
        let roots = merged.keys.sorted()
        return LandGroups(
            nodes: roots.map { merged[$0]!.nodes.sorted() }, members: roots.map { merged[$0]!.members },
            sharedEPCI: shared.map { graph.codes[$0] }.sorted(), componentCount: sets.count)
    }

    /// The connecting remedy: the Steiner tree's EPCI (with alternatives) and the completion.
    private func connection(
        _ best: SteinerSolver.Solution, solver: SteinerSolver, terminals: [[Int]], completion: [String],
        componentCount n: Int, notes: String, unreachable: [String]
    ) throws -> Remedy {
        let code = { (i: Int) in self.graph.codes[i] }
        let alternatives =
            completion.isEmpty ? solver.alternatives(terminals, best: best, order: code).map { $0.map(code) } : []
        let steiner = best.nodes.map(code)
        // Exact when the perimeter is a union of whole EPCI: the graph is then its own adjacency.
        var inPerimeter: [String: Int] = [:]
        for c in resolution.communes.values { if let e = c.epci { inPerimeter[e, default: 0] += 1 } }
        let wholeEPCI = inPerimeter.allSatisfy { data.epci[$0.key]?.communeCount == $0.value }
        let joined = n == 2 ? "les deux ensembles" : "les \(n) ensembles"
        var message =
            steiner.isEmpty
            ? "" : "Ajouter \(try list(steiner)) relie \(completion.isEmpty ? joined : "les ensembles")."
        if !alternatives.isEmpty {
            message +=
                " Autre\(alternatives.count > 1 ? "s" : "") choix d'autant d'EPCI : "
                + (try alternatives.map { try list($0) }.joined(separator: " ; ")) + "."
        }
        if !best.exact { message += " (Approximation : au plus deux fois le nombre minimal d'EPCI.)" }
        message += notes
        var r = try remedy(
            .connect, target: nil, add: steiner + completion, alternatives: alternatives,
            exact: best.exact && wholeEPCI && completion.isEmpty, message: message.trimmingCharacters(in: .whitespaces))
        r.unreachable = unreachable
        return r
    }

    func fillEnclave(_ e: Enclave, number: Int) throws -> Remedy {
        var add: [String] = []
        let records = try communes(e.communes.map(\.code))
        let whole = Set(e.epci.filter(\.whole).map(\.code))
        add += whole.sorted()
        add += e.communes.map(\.code).filter { c in records[c]?.epci.map { !whole.contains($0) } ?? true }
        guard !add.isEmpty else {
            return infeasible(
                .fillEnclave, target: String(number),
                message:
                    "L'enclave n° \(number) (\(French.km2(e.areaKm2))) ne contient aucune commune : rien à ajouter.")
        }
        return try remedy(
            .fillEnclave, target: String(number), add: add,
            message: "Ajouter \(try list(add)) comble l'enclave n° \(number) (\(French.km2(e.areaKm2))).")
    }

    func alignCRTE(_ a: CRTEAlignment) throws -> [Remedy] {
        guard let layer = against.first(where: { $0.id == a.layer }) else { return [] }
        if a.cut.isEmpty && a.whole.isEmpty {
            let unknown = layer.territories.allSatisfy(\.communes.isEmpty)
            return [
                infeasible(
                    .alignCRTE, target: nil,
                    message: unknown
                        ? "La couche CRTE \(a.layer) ne désigne aucune commune connue (couche vide ou membres inconnus) : aucun changement ne peut aligner le périmètre sur des CRTE."
                        : "Aucune commune du périmètre n'est dans un CRTE de la couche \(a.layer) : aucun ajout ne peut l'aligner sur des CRTE entiers."
                )
            ]
        }
        var out: [Remedy] = []
        for c in a.cut {
            guard let t = layer.territories.first(where: { $0.id == c.id }) else { continue }
            let missing = t.communes.keys.filter { resolution.communes[$0] == nil }.sorted()
            // A commune the layer reached through an EPCI of 2026 is in that EPCI: only the others
            // are looked up.
            var epciOf: [String: String] = [:]
            for c in missing { if let m = t.communes[c], data.epci[m] != nil { epciOf[c] = m } }
            let add = try wholeEPCIFirst(missing, epciOf: epciOf)
            let addWay = try remedy(
                .alignCRTE, target: c.id, add: add,
                message: "Ajouter \(try list(add)) inclut le CRTE \(c.name) entier.")
            // Removing every member is no way out: not predicted, as it would not be offered.
            if allMembers(c.perimeterMembers) {
                out.append(addWay)
                continue
            }
            let removeWay = try remedy(
                .alignCRTE, target: c.id, add: [], remove: c.perimeterMembers,
                message: "Retirer \(try list(c.perimeterMembers)) sort le périmètre du CRTE \(c.name).")
            out += pair(addWay, removeWay)
        }
        return out
    }

    /// Communes grouped into their EPCI where the EPCI is whole among them; `epciOf` gives the
    /// EPCI of those already known, the others' are read.
    func wholeEPCIFirst(_ codes: [String], epciOf known: [String: String] = [:]) throws -> [String] {
        let records = try communes(codes.filter { known[$0] == nil })
        var byEPCI: [String: [String]] = [:]
        var loose: [String] = []
        for c in codes {
            if let e = known[c] ?? records[c]?.epci { byEPCI[e, default: []].append(c) } else { loose.append(c) }
        }
        var epci: [String] = []
        for (e, cs) in byEPCI.sorted(by: { $0.key < $1.key }) {
            if let x = data.epci[e], x.communeCount == cs.count {
                epci.append(e)
                epciCommunes[e] = cs
            } else {
                loose += cs
            }
        }
        // Their records in one query: each is then named and counted in the remedy.
        _ = try communes(loose)
        return epci + loose.sorted()
    }

    func joinNeighbours() throws -> Remedy {
        let m = resolution.members[0]
        let own = Set(memberNodes[m.code] ?? [])
        let neighbours = Set(own.flatMap { graph.neighbours[$0] }).subtracting(own).map { graph.codes[$0] }
            .sorted { (cost($0), $0) < (cost($1), $1) }
        guard let first = neighbours.first else {
            return infeasible(
                .joinNeighbours, target: m.code,
                message:
                    "\(m.name) n'a aucun EPCI voisin par la terre : l'exception d'un EPCI unique (FAQ 2.2) est à justifier."
            )
        }
        return try remedy(
            .joinNeighbours, target: m.code, add: [first], alternatives: neighbours.dropFirst().map { [$0] },
            message:
                "Candidature d'un seul EPCI : l'associer à un EPCI voisin, par exemple \(try list(Array(neighbours.prefix(4))))\(neighbours.count > 4 ? " (\(neighbours.count) voisins en tout)" : "")."
        )
    }

    func epciCut(_ c: CutEPCI) throws -> [Remedy] {
        let listed = Set(c.communesIn)
        let members = resolution.members.filter { $0.kind != .epci && $0.communes.contains(where: listed.contains) }
            .map(\.code)
        let addWay = try remedy(
            .epciCut, target: c.code, add: c.communesOut,
            message:
                "Ajouter les \(c.communesOut.count) autres communes de \(c.name) (\(French.int(try communes(c.communesOut).values.reduce(0) { $0 + $1.population })) hab.) le rend entier."
        )
        if allMembers(members) { return [addWay] }
        let removeWay = try remedy(
            .epciCut, target: c.code, add: [], remove: members,
            message: "Retirer \(try list(members)), communes de \(c.name) listées seules.")
        return pair(addWay, removeWay)
    }

    /// Whether removing `codes` would leave no member: not a way out.
    func allMembers(_ codes: [String]) -> Bool { Set(resolution.members.map(\.code)).isSubset(of: codes) }
}
