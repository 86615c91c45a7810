/// Disjoint sets of `0..<count` (union-find with path halving): the components of a graph
/// given edge by edge. The root of a set is its smallest element, so that components come out
/// in the same order whatever the order of the edges.
struct UnionFind {
    private var parent: [Int]

    init(count: Int) { parent = Array(0..<count) }

    /// The root of the set holding `i`.
    mutating func find(_ i: Int) -> Int {
        var i = i
        while parent[i] != i {
            parent[i] = parent[parent[i]]
            i = parent[i]
        }
        return i
    }

    /// Joins the sets of `a` and `b`; false when they were one already.
    @discardableResult
    mutating func link(_ a: Int, _ b: Int) -> Bool {
        let (x, y) = (find(a), find(b))
        if x == y { return false }
        parent[max(x, y)] = min(x, y)
        return true
    }
}
