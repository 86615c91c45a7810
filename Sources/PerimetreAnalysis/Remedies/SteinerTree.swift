/// The cost of EPCI added to a perimeter, compared lexicographically: fewer EPCI first, then
/// fewer inhabitants, then less area (hectares, integers so that sums are exact).
struct SteinerCost: Comparable, Hashable, Sendable {
    var count: Int
    var population: Int
    var hectares: Int

    static let zero = SteinerCost(count: 0, population: 0, hectares: 0)
    static let infinity = SteinerCost(count: .max / 4, population: 0, hectares: 0)
    var isInfinite: Bool { count >= Self.infinity.count }

    static func + (a: Self, b: Self) -> Self {
        if a.isInfinite || b.isInfinite { return .infinity }
        return .init(
            count: a.count + b.count, population: a.population + b.population, hectares: a.hectares + b.hectares)
    }
    static func - (a: Self, b: Self) -> Self {
        if a.isInfinite { return .infinity }
        return .init(
            count: a.count - b.count, population: a.population - b.population, hectares: a.hectares - b.hectares)
    }
    static func < (a: Self, b: Self) -> Bool {
        (a.count, a.population, a.hectares) < (b.count, b.population, b.hectares)
    }
}

/// Node-weighted Steiner trees on a graph whose terminals are groups of nodes (the components of
/// a perimeter, contracted): the cheapest set of other nodes joining every group.
///
/// Exact by Dreyfus–Wagner (O(3^k·n + 2^k·n log n) for k groups: a shortest path for 2, the best
/// hub for 3) up to ``exactLimit`` groups, on the nodes that can be in an optimal tree (bounded by
/// a heuristic solution); beyond, Mehlhorn's 2-approximation.
struct SteinerSolver {
    static let exactLimit = 8

    struct Solution: Equatable {
        /// Nodes to add, ascending.
        var nodes: [Int]
        var cost: SteinerCost
        var exact: Bool
    }

    let neighbours: [[Int]]
    /// The cost of each node (indexed like `neighbours`: no lookup in the searches' inner loops).
    let weights: [SteinerCost]

    /// The whole graph contracted for the last groups solved, and the nodes on their short paths:
    /// the alternatives to a solution search the same groups (a remedy solves, then asks for them).
    private final class Memo {
        var groups: [[Int]] = []
        var full: Local?
        var keep: (added: Int, nodes: [Bool])?
    }
    private let memo = Memo()

    init(neighbours: [[Int]], weights: [SteinerCost]) {
        self.neighbours = neighbours
        self.weights = weights
    }

    init(neighbours: [[Int]], weight: (Int) -> SteinerCost) {
        self.init(neighbours: neighbours, weights: neighbours.indices.map(weight))
    }

    /// The whole graph with `groups` contracted and no node forbidden, made once per groups.
    private func contracted(_ groups: [[Int]]) -> Local {
        if let full = memo.full, memo.groups == groups { return full }
        let full = Local(neighbours: neighbours, weights: weights, groups: groups, forbidden: [], keep: nil)
        (memo.groups, memo.full, memo.keep) = (groups, full, nil)
        return full
    }

    /// The nodes that may be in a tree joining `groups` with at most `added` nodes.
    private func onShortPaths(_ groups: [[Int]], added: Int) -> [Bool] {
        let full = contracted(groups)
        if let keep = memo.keep, keep.added == added { return keep.nodes }
        let nodes = full.onShortPaths(added: added)
        memo.keep = (added, nodes)
        return nodes
    }

    /// The cheapest set of nodes joining all `groups`, avoiding `forbidden`; nil when some groups
    /// cannot be joined at all. `bounded: false` runs Dreyfus–Wagner on the whole graph (the
    /// reference the bound is tested against).
    func solve(_ groups: [[Int]], forbidden: Set<Int> = [], bounded: Bool = true) -> Solution? {
        guard groups.count > 1 else { return Solution(nodes: [], cost: .zero, exact: true) }
        let full =
            forbidden.isEmpty
            ? contracted(groups)
            : Local(neighbours: neighbours, weights: weights, groups: groups, forbidden: forbidden, keep: nil)
        guard let heuristic = full.mehlhorn() else { return nil }
        if groups.count > Self.exactLimit { return heuristic }
        if heuristic.cost.count == 0 { return Solution(nodes: [], cost: .zero, exact: true) }
        guard bounded else { return full.dreyfusWagner() ?? heuristic }
        let keep =
            forbidden.isEmpty
            ? onShortPaths(groups, added: heuristic.cost.count) : full.onShortPaths(added: heuristic.cost.count)
        let local = Local(neighbours: neighbours, weights: weights, groups: groups, forbidden: forbidden, keep: keep)
        return local.dreyfusWagner() ?? heuristic
    }

    /// Up to `limit` other sets of the same size as `best`, found by forbidding nodes of the
    /// optimal sets found so far, ordered by cost then codes (`order` ranks the nodes).
    /// `bounded: false` solves each case on the whole graph (the reference for the tests).
    func alternatives(
        _ groups: [[Int]], best: Solution, limit: Int = 3, bounded: Bool = true, order: (Int) -> String
    ) -> [[Int]] {
        guard best.exact, !best.nodes.isEmpty else { return [] }
        // A set of best's size avoiding some nodes is also made of nodes on paths between two
        // groups through at most that many added nodes (in the whole graph): Dreyfus–Wagner on
        // those alone finds it, and finds a larger optimum (rejected) when there is none.
        let keep = onShortPaths(groups, added: best.cost.count)
        var found: [[Int]: SteinerCost] = [:]
        var queue: [Set<Int>] = best.nodes.map { [$0] }
        var tried = Set<Set<Int>>()
        var solves = 0
        while !queue.isEmpty, solves < 4 * limit + best.nodes.count {
            let f = queue.removeFirst()
            guard tried.insert(f).inserted else { continue }
            solves += 1
            let s =
                bounded
                ? Local(neighbours: neighbours, weights: weights, groups: groups, forbidden: f, keep: keep)
                    .dreyfusWagner()
                : solve(groups, forbidden: f, bounded: false)
            guard let s, s.exact, s.cost.count == best.cost.count, s.nodes != best.nodes else { continue }
            if found[s.nodes] == nil {
                found[s.nodes] = s.cost
                queue += s.nodes.map { f.union([$0]) }
            }
        }
        return found.sorted { a, b in
            a.value != b.value ? a.value < b.value : a.key.map(order).lexicographicallyPrecedes(b.key.map(order))
        }.prefix(limit).map(\.key)
    }
}

/// The graph with each group contracted to one node (local nodes 0..<k), the other usable nodes
/// after in ascending original order; plain arrays throughout (this runs once per remedy search
/// and per alternative, on the whole graph of France for the heuristic).
private struct Local {
    let k: Int
    /// Nodes of the whole graph.
    let total: Int
    /// Local node → original node (-1 for a group).
    var original: [Int] = []
    /// Neighbours of local node `x`, ascending: `adjTo[adjStart[x]..<adjStart[x + 1]]` (one
    /// flat array, not an array per node: the whole graph of France is contracted per search).
    var adjStart: [Int] = []
    var adjTo: [Int] = []
    /// Weight of each local node (zero for a group).
    var w: [SteinerCost] = []

    /// `keep`: the original nodes that may be used besides the groups (all when nil).
    init(neighbours: [[Int]], weights: [SteinerCost], groups: [[Int]], forbidden: Set<Int>, keep: [Bool]?) {
        k = groups.count
        total = neighbours.count
        let count = total
        var local = [Int](repeating: -1, count: count)
        for (g, nodes) in groups.enumerated() { for v in nodes where local[v] == -1 { local[v] = g } }
        original = Array(repeating: -1, count: k)
        for v in 0..<count where local[v] == -1 && (keep?[v] ?? true) && !forbidden.contains(v) {
            local[v] = original.count
            original.append(v)
        }
        let n = original.count
        var mark = [Int](repeating: -1, count: n)
        // Built in locals, not through `self`, and each node's short list sorted in place.
        var start = [Int]()
        var to = [Int]()
        start.reserveCapacity(n + 1)
        to.reserveCapacity(neighbours.reduce(0) { $0 + $1.count })
        start.append(0)
        for x in 0..<n {
            let from = to.count
            if x < k {
                for v in groups[x] where local[v] == x {
                    Self.link(x, neighbours[v], local: local, mark: &mark, into: &to, from: from)
                }
            } else {
                Self.link(x, neighbours[original[x]], local: local, mark: &mark, into: &to, from: from)
            }
            start.append(to.count)
        }
        adjStart = start
        adjTo = to
        w = (0..<n).map { $0 < k ? .zero : weights[original[$0]] }
    }

    /// Appends to `to[from...]` (kept ascending) the local nodes among `around` not yet linked to `x`.
    @inline(__always)
    private static func link(
        _ x: Int, _ around: [Int], local: [Int], mark: inout [Int], into to: inout [Int], from: Int
    ) {
        for u in around {
            let lu = local[u]
            guard lu >= 0 && lu != x && mark[lu] != x else { continue }
            mark[lu] = x
            var i = to.count
            to.append(lu)
            while i > from && to[i - 1] > lu {
                to[i] = to[i - 1]
                i -= 1
            }
            to[i] = lu
        }
    }

    var n: Int { original.count }

    func adj(_ x: Int) -> ArraySlice<Int> { adjTo[adjStart[x]..<adjStart[x + 1]] }

    /// The original nodes that may be in a tree adding at most `added` nodes: those on a path
    /// between two groups through at most `added` other nodes. An optimal tree has only groups
    /// as leaves, so each of its nodes lies on such a path within the tree.
    func onShortPaths(added: Int) -> [Bool] {
        // Two smallest hop counts from distinct groups (the node included), through non-group nodes.
        var first = [Int](repeating: .max, count: n)
        var second = [Int](repeating: .max, count: n)
        var depth = [Int](repeating: -1, count: n)
        for g in 0..<k {
            for i in k..<n { depth[i] = -1 }
            var frontier = [g]
            var d = 0
            while !frontier.isEmpty && d < added {
                d += 1
                var next: [Int] = []
                for v in frontier {
                    for u in adj(v) where u >= k && depth[u] == -1 {
                        depth[u] = d
                        next.append(u)
                        if d < first[u] {
                            second[u] = first[u]
                            first[u] = d
                        } else if d < second[u] {
                            second[u] = d
                        }
                    }
                }
                frontier = next
            }
        }
        var keep = [Bool](repeating: false, count: total)
        for v in k..<n where second[v] != .max && first[v] + second[v] - 1 <= added { keep[original[v]] = true }
        return keep
    }

    /// Multi-source Dijkstra: each label is the cost of the nodes from a source to the node, both
    /// ends included (sources' own label given).
    func dijkstra(_ start: [SteinerCost]) -> (cost: [SteinerCost], pred: [Int]) {
        let (cost, pred, _) = dijkstra(start, sources: false)
        return (cost, pred)
    }

    /// With `sources`, also the group each node's path starts from (-1 unreached): the end of its
    /// chain of predecessors, set as each node is relaxed rather than walked back afterwards.
    func dijkstra(_ start: [SteinerCost], sources: Bool) -> (cost: [SteinerCost], pred: [Int], source: [Int]) {
        var cost = start
        var pred = [Int](repeating: -1, count: n)
        var source = sources ? (0..<n).map { $0 < k && !start[$0].isInfinite ? $0 : -1 } : []
        var heap = MinHeap()
        for v in 0..<n where !cost[v].isInfinite { heap.push(cost[v], v) }
        var done = [Bool](repeating: false, count: n)
        while let (c, v) = heap.pop() {
            if done[v] || c != cost[v] { continue }
            done[v] = true
            for i in adjStart[v]..<adjStart[v + 1] {
                let u = adjTo[i]
                if done[u] { continue }
                let cu = c + w[u]
                if cu < cost[u] {
                    cost[u] = cu
                    pred[u] = v
                    if sources { source[u] = source[v] }
                    heap.push(cu, u)
                }
            }
        }
        return (cost, pred, source)
    }

    /// Dreyfus–Wagner with the last group as root; nil when the groups are not all connected.
    func dreyfusWagner() -> SteinerSolver.Solution? {
        let m = k - 1
        let full = (1 << m) - 1
        enum Back {
            case none, base
            case via(Int)
            case merge(Int)
        }
        var dp = [[SteinerCost]](repeating: [], count: 1 << m)
        var back = [[Back]](repeating: [], count: 1 << m)
        for s in 1...full {
            var start = [SteinerCost](repeating: .infinity, count: n)
            var b = [Back](repeating: .none, count: n)
            if s & (s - 1) == 0 {
                let g = s.trailingZeroBitCount
                start[g] = .zero
                b[g] = .base
            } else {
                let low = s & -s
                for v in 0..<n {
                    let wv = w[v]
                    // Proper subsets holding the lowest bit: each split once.
                    var a = (s - 1) & s
                    while a > 0 {
                        if a & low != 0 {
                            let c = dp[a][v] + dp[s ^ a][v] - wv
                            if c < start[v] {
                                start[v] = c
                                b[v] = .merge(a)
                            }
                        }
                        a = (a - 1) & s
                    }
                }
            }
            let (cost, pred) = dijkstra(start)
            for v in 0..<n where pred[v] >= 0 && cost[v] < start[v] { b[v] = .via(pred[v]) }
            dp[s] = cost
            back[s] = b
        }
        let root = k - 1
        guard !dp[full][root].isInfinite else { return nil }
        var picked = Set<Int>()
        var stack = [(full, root)]
        while let (s, v) = stack.popLast() {
            if v >= k { picked.insert(original[v]) }
            switch back[s][v] {
            case .none, .base: break
            case .via(let p): stack.append((s, p))
            case .merge(let a):
                stack.append((a, v))
                stack.append((s ^ a, v))
            }
        }
        return .init(nodes: picked.sorted(), cost: dp[full][root], exact: true)
    }

    /// Mehlhorn's 2-approximation: the minimum spanning tree of the groups under the distances of
    /// their Voronoi regions, expanded to paths, non-group leaves pruned.
    func mehlhorn() -> SteinerSolver.Solution? {
        var start = [SteinerCost](repeating: .infinity, count: n)
        for g in 0..<k { start[g] = .zero }
        let (dist, pred, source) = dijkstra(start, sources: true)
        func src(_ v: Int) -> Int { source[v] }
        var candidates: [(SteinerCost, Int, Int)] = []
        for v in 0..<n where !dist[v].isInfinite {
            for u in adj(v) where u > v && !dist[u].isInfinite {
                let (a, b) = (src(v), src(u))
                if a >= 0, b >= 0, a != b { candidates.append((dist[v] + dist[u], v, u)) }
            }
        }
        candidates.sort { ($0.0, $0.1, $0.2) < ($1.0, $1.1, $1.2) }
        var sets = UnionFind(count: k)
        var chosen = Set<Int>()
        var joined = 0
        for (_, v, u) in candidates {
            if !sets.link(src(v), src(u)) { continue }
            joined += 1
            for var x in [v, u] {
                while x >= k {
                    chosen.insert(x)
                    x = pred[x]
                }
            }
            if joined == k - 1 { break }
        }
        guard joined == k - 1 else { return nil }
        // Prune: drop chosen nodes that are leaves of the chosen subgraph (one neighbour or none).
        var changed = true
        while changed {
            changed = false
            for v in chosen.sorted() {
                let deg = adj(v).filter { $0 < k || chosen.contains($0) }.count
                if deg <= 1 {
                    chosen.remove(v)
                    changed = true
                }
            }
        }
        let nodes = chosen.map { original[$0] }.sorted()
        let cost = chosen.reduce(SteinerCost.zero) { $0 + w[$1] }
        return .init(nodes: nodes, cost: cost, exact: false)
    }
}

/// A binary min-heap of (cost, node), ties by node.
private struct MinHeap {
    private var items: [(SteinerCost, Int)] = []
    private static func less(_ a: (SteinerCost, Int), _ b: (SteinerCost, Int)) -> Bool {
        a.0 != b.0 ? a.0 < b.0 : a.1 < b.1
    }
    mutating func push(_ c: SteinerCost, _ v: Int) {
        items.append((c, v))
        var i = items.count - 1
        while i > 0 {
            let p = (i - 1) / 2
            guard Self.less(items[i], items[p]) else { break }
            items.swapAt(i, p)
            i = p
        }
    }
    mutating func pop() -> (SteinerCost, Int)? {
        guard let top = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1
                let r = l + 1
                var m = i
                if l < items.count && Self.less(items[l], items[m]) { m = l }
                if r < items.count && Self.less(items[r], items[m]) { m = r }
                if m == i { break }
                items.swapAt(i, m)
                i = m
            }
        }
        return top
    }
}
