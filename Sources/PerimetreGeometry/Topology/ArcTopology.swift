/// The shared-border topology of a set of polygonal features (a coverage: neighbours share
/// identical border vertices), as arcs between nodes.
///
/// A node is a vertex where three or more features meet (the outside counting as one), or
/// where the neighbour changes; an arc is the chain of vertices between two nodes, stored once
/// however many rings use it. Every ring is a list of arc references, so a change to an arc
/// (simplification, rounding) applies identically to both sides of a shared border.
///
/// ```swift
/// let topo = ArcTopology(shapes: [a, b, c])        // lon/lat polygons of one coverage
/// let (simple, _) = try topo.simplified(toleranceMetres: 100)
/// let (rounded, _) = simple.rounded(decimals: 6)
/// let shapes = rounded.shapes()                   // neighbours share the same border
/// ```
public struct ArcTopology: Sendable {
    /// A chain of vertices between two nodes (first == last for a closed arc: a ring with one node).
    public struct Arc: Sendable, Hashable {
        /// The vertices, lon/lat.
        public var coordinates: [Coordinate]
        /// Features on its left when walked forward (empty: the outside).
        public var left: [Int]
        /// Features on its right when walked forward (empty: the outside).
        public var right: [Int]

        /// An arc of the given vertices and sides.
        public init(coordinates: [Coordinate], left: [Int], right: [Int]) {
            self.coordinates = coordinates
            self.left = left
            self.right = right
        }

        /// Whether it is a ring (first vertex repeated last).
        public var isClosed: Bool { coordinates.count > 1 && coordinates.first == coordinates.last }
        /// Whether one side is the outside of every feature.
        public var isOuter: Bool { left.isEmpty || right.isEmpty }
    }

    /// An arc used by a ring, forward or reversed.
    public struct ArcRef: Sendable, Hashable {
        /// Index of the arc in ``ArcTopology/arcs``.
        public var arc: Int
        /// Whether the ring walks it backwards.
        public var reversed: Bool
        /// A reference to an arc.
        public init(arc: Int, reversed: Bool) {
            self.arc = arc
            self.reversed = reversed
        }
    }

    /// A ring as arc references, walked with the feature on its left (exterior counter-clockwise).
    public typealias Ring = [ArcRef]
    /// A polygon: its exterior ring first, then its holes.
    public typealias Polygon = [Ring]

    /// The arcs, each stored once.
    public var arcs: [Arc]
    /// The polygons of each feature, in input order.
    public var features: [[Polygon]]

    /// A topology of the given arcs and features.
    public init(arcs: [Arc], features: [[Polygon]]) {
        self.arcs = arcs
        self.features = features
    }

    /// Whether each arc is used by a ring of some feature.
    public var usedArcs: [Bool] {
        var used = [Bool](repeating: false, count: arcs.count)
        for f in features { for p in f { for r in p { for ref in r { used[ref.arc] = true } } } }
        return used
    }

    /// Distinct vertices of the used arcs (a shared border counted once).
    public var arcVertexCount: Int {
        let used = usedArcs
        // Each arc contributes its interior vertices; nodes are counted once each.
        var nodes = Set<Coordinate>()
        var n = 0
        for (i, a) in arcs.enumerated() where used[i] && !a.coordinates.isEmpty {
            n += max(a.coordinates.count - 2, 0)
            nodes.insert(a.coordinates[0])
            nodes.insert(a.coordinates[a.coordinates.count - 1])
        }
        return n + nodes.count
    }

    /// The closed coordinates of a ring (consecutive repeated points removed).
    public func coordinates(of ring: Ring) -> [Coordinate] {
        var out: [Coordinate] = []
        for ref in ring {
            let cs = arcs[ref.arc].coordinates
            if ref.reversed {
                for c in cs.reversed() where out.last != c { out.append(c) }
            } else {
                for c in cs where out.last != c { out.append(c) }
            }
        }
        if let f = out.first, out.last != f { out.append(f) }
        return out
    }

    /// A feature rebuilt from its arcs: a MultiPolygon (rings of fewer than 4 points dropped,
    /// and a polygon whose exterior collapsed dropped with its holes).
    public func shape(feature f: Int) -> Shape {
        var polys: [[[Coordinate]]] = []
        for p in features[f] {
            var rings: [[Coordinate]] = []
            for (k, r) in p.enumerated() {
                let cs = coordinates(of: r)
                if cs.count < 4 {
                    if k == 0 { break } else { continue }
                }
                rings.append(cs)
            }
            if !rings.isEmpty { polys.append(rings) }
        }
        return .multiPolygon(polys)
    }

    /// Every feature rebuilt from its arcs.
    public func shapes() -> [Shape] { features.indices.map { shape(feature: $0) } }

    /// Whether a polygon of a feature touches no other feature along its exterior (an island).
    public func isIsland(feature f: Int, polygon p: Int) -> Bool {
        guard let shell = features[f][p].first else { return false }
        return shell.allSatisfy { arcs[$0.arc].isOuter }
    }
}
