import Foundation
public import PerimetreAnalysis
public import PerimetreGeometry

/// The national map of a territory file: one feature per territory (or per member), their
/// borders shared exactly between neighbours, simplified on the shared arcs when asked, rounded
/// to the output precision and valid once rounded.
///
/// ```swift
/// let audit = try Audit.run(layer, data: data, compositions: tables, options: AnalysisOptions(mapContext: false))
/// let map = try NationalMap.build(audit, options: MapOptions(simplifyMetres: 100))
/// let text = try MapWriter.geojson(map)
/// ```
public struct NationalMap: Sendable {
    /// A territory that could not be analysed: listed in the report, absent from the map.
    public struct Failure: Sendable, Hashable {
        /// The territory's identifier.
        public var id: String
        /// Its name.
        public var name: String
        /// Why it could not be analysed (French).
        public var error: String
    }
    /// A member left out of a territory drawn on the map (unresolved, or without geometry).
    public struct MissingMember: Sendable, Hashable {
        /// The territory's identifier.
        public var territory: String
        /// The member's code.
        public var code: String
        /// Why it was left out (French).
        public var reason: String
    }
    /// A feature whose rebuilt geometry needed a repair after rounding.
    public struct Repair: Sendable, Hashable {
        /// The feature's id.
        public var id: String
        /// GEOS's reason for the invalidity.
        public var reason: String
        /// Whether the repaired geometry is valid.
        public var valid: Bool
    }
    /// Figures of the map's build.
    public struct Stats: Sendable {
        /// All zero.
        public init() {}
        /// Territories of the file.
        public var territories = 0
        /// Territories drawn.
        public var mapped = 0
        /// Features written.
        public var features = 0
        /// Arcs of the topology.
        public var arcs = 0
        /// Distinct vertices of the arcs (a shared border counted once), before and after.
        public var arcVerticesBefore = 0
        /// Distinct vertices of the arcs after.
        public var arcVerticesAfter = 0
        /// Vertices written in the features (a shared border counted on each side), before and after.
        public var featureVerticesBefore = 0
        /// Vertices written in the features after.
        public var featureVerticesAfter = 0
        /// Figures of the simplification, when asked.
        public var simplification: ArcSimplificationStats?
        /// Figures of the rounding, when features are rounded.
        public var rounding: ArcRoundingStats?
        /// Islands dropped under `minAreaKm2`.
        public var islandsDropped = 0
        /// Their area (km²).
        public var islandsDroppedKm2 = 0.0
        /// Seconds per phase, in order.
        public var timings: [(phase: String, seconds: Double)] = []
    }

    /// The options the map was built with.
    public var options: MapOptions
    /// Features sorted by id.
    public var features: [Feature]
    /// Territories not drawn, and why.
    public var failures: [Failure]
    /// Members left out of drawn territories, and why.
    public var missingMembers: [MissingMember]
    /// Features repaired after rounding.
    public var repairs: [Repair]
    /// Figures of the build.
    public var stats: Stats
    /// The arc topology of the features (islands dropped, simplified, not rounded), in feature
    /// order: what the TopoJSON writer quantizes.
    public var topology: ArcTopology?

    /// A map of the given features and reports.
    public init(
        options: MapOptions, features: [Feature], failures: [Failure] = [], missingMembers: [MissingMember] = [],
        repairs: [Repair] = [], stats: Stats = Stats()
    ) {
        self.options = options
        self.features = features
        self.failures = failures
        self.missingMembers = missingMembers
        self.repairs = repairs
        self.stats = stats
    }

    /// Builds the national map of an audit's territories.
    ///
    /// - Parameters:
    ///   - audit: The audit of the territory file (no map context needed).
    ///   - options: Level, simplification, precision, islands to drop.
    /// - Returns: The features, with what could not be drawn and the build's figures.
    /// - Throws: `GeometryError` on a failure of GEOS or PROJ.
    public static func build(_ audit: AuditResult, options: MapOptions) throws -> NationalMap {
        var stats = Stats()
        var watch = Stopwatch()
        func lap(_ phase: String) { stats.timings.append((phase, watch.lap())) }
        stats.territories = audit.territories.count
        var failures: [Failure] = []
        var missing: [MissingMember] = []
        // Territories in id order (input order among equal ids).
        let outcomes = audit.territories.enumerated().sorted { ($0.element.id, $0.offset) < ($1.element.id, $1.offset) }
            .map(\.element)
        var items: [(id: String, properties: JSONObject, shape: Shape)] = []
        for o in outcomes {
            guard let r = o.result else {
                failures.append(Failure(id: o.id, name: o.name, error: o.error ?? "not analysed"))
                continue
            }
            stats.mapped += 1
            for u in r.unresolved { missing.append(MissingMember(territory: o.id, code: u.code, reason: u.reason)) }
            switch options.level {
            case .territory:
                items.append((o.id, territoryProperties(r), r.shapes.perimeter))
                for m in r.members where r.shapes.members[m.code] == nil {
                    missing.append(
                        MissingMember(territory: o.id, code: m.code, reason: "no geometry in the reference data"))
                }
            case .member:
                for m in r.members.sorted(by: { $0.code < $1.code }) {
                    guard let s = r.shapes.members[m.code] else {
                        missing.append(
                            MissingMember(territory: o.id, code: m.code, reason: "no geometry in the reference data"))
                        continue
                    }
                    items.append(("\(o.id)/\(m.code)", memberProperties(m, territory: r, shape: s), s))
                }
            }
        }
        lap("properties")

        var topology: ArcTopology?
        let drawn = try draw(items.map(\.shape), options: options, stats: &stats, watch: &watch, topology: &topology)
        var repairs: [Repair] = []
        var features: [Feature] = []
        for (i, item) in items.enumerated() {
            let c = drawn?[i]
            if let c, let reason = c.reason { repairs.append(Repair(id: item.id, reason: reason, valid: c.valid)) }
            features.append(Feature(id: .string(item.id), properties: item.properties, geometry: c?.shape))
        }
        stats.features = features.count
        var map = NationalMap(
            options: options, features: features, failures: failures, missingMembers: missing,
            repairs: repairs, stats: stats)
        map.topology = topology
        return map
    }

    /// The geometry pipeline on lon/lat shapes of one coverage: arcs, islands (--min-area),
    /// simplification on the arcs, rounding of the arcs, rebuild and validation. One outcome per
    /// shape, in order.
    public static func draw(
        _ shapes: [Shape], options: MapOptions
    ) throws -> (shapes: [TopologyRepair.Outcome], stats: Stats) {
        var stats = Stats()
        var watch = Stopwatch()
        var options = options
        options.roundFeatures = true
        var topology: ArcTopology?
        let out = try draw(shapes, options: options, stats: &stats, watch: &watch, topology: &topology)
        return (out ?? [], stats)
    }

    /// Nil when `options.roundFeatures` is false (the pipeline stops at `topology`).
    static func draw(
        _ shapes: [Shape], options: MapOptions, stats: inout Stats,
        watch: inout Stopwatch, topology kept: inout ArcTopology?
    ) throws -> [TopologyRepair.Outcome]? {
        func lap(_ phase: String) { stats.timings.append((phase, watch.lap())) }
        var topology = ArcTopology(shapes: shapes)
        stats.arcs = topology.arcs.count
        lap("arcs")
        if let minArea = options.minAreaKm2, minArea > 0 {
            for f in topology.features.indices {
                let polys = topology.features[f]
                guard polys.count > 1 else { continue }
                let areas = polys.indices.map { p in
                    GeodesicMeasure.area(of: .polygon(polys[p].map { topology.coordinates(of: $0) })) / 1e6
                }
                let largest = areas.indices.max { (areas[$0], $1) < (areas[$1], $0) }!
                var kept: [ArcTopology.Polygon] = []
                for p in polys.indices {
                    if p != largest && areas[p] < minArea && topology.isIsland(feature: f, polygon: p) {
                        stats.islandsDropped += 1
                        stats.islandsDroppedKm2 += areas[p]
                    } else {
                        kept.append(polys[p])
                    }
                }
                topology.features[f] = kept
            }
            lap("islands")
        }
        stats.arcVerticesBefore = topology.arcVertexCount
        stats.featureVerticesBefore = topology.shapes().reduce(0) { $0 + $1.coordinateCount }
        if let tol = options.simplifyMetres, tol > 0 {
            let (s, st) = try topology.simplified(toleranceMetres: tol)
            topology = s
            stats.simplification = st
            lap("simplification")
        }
        kept = topology
        if !options.roundFeatures { return nil }
        let (rounded, rst) = topology.rounded(decimals: options.precision)
        stats.rounding = rst
        stats.arcVerticesAfter = rounded.arcVertexCount
        lap("rounding")
        let rebuilt = rounded.shapes()
        let decimals = options.precision
        let checked = try parallelMap(rebuilt) { ctx, shape in
            try TopologyRepair.validate(shape, decimals: decimals, context: ctx)
        }
        stats.featureVerticesAfter = checked.reduce(0) { $0 + $1.shape.coordinateCount }
        lap("validation")
        return checked
    }

    static func km2(_ v: Double) -> JSONValue { .number((v * 1000).rounded() / 1000) }

    static func territoryProperties(_ r: CheckResult) -> JSONObject {
        var rules: [String] = []
        for f in r.findings where !rules.contains(f.rule.rawValue) { rules.append(f.rule.rawValue) }
        return [
            "id": .string(r.id),
            "name": .string(r.name),
            "members": .array(r.members.map { .string($0.code) }),
            "epci_count": .int(r.figures.epciCount),
            "commune_count": .int(r.figures.communeCount),
            "population": .int(r.figures.population),
            "area_km2": km2(GeodesicMeasure.area(of: r.shapes.perimeter) / 1e6),
            "departements": .array(r.span.departements.map { .string($0.code) }),
            "regions": .array(r.span.regions.map { .string($0.code) }),
            "contiguous": .bool(r.contiguity.contiguous),
            "components": .int(r.contiguity.components.count),
            "frontalier": .bool(r.border.frontalier),
            "neighbours": .array(r.border.neighbours.map { .string($0.code) }),
            "findings": .array(rules.map { .string($0) }),
        ]
    }

    static func memberProperties(_ m: ResolvedMember, territory r: CheckResult, shape: Shape) -> JSONObject {
        [
            "territory": .string(r.id),
            "territory_name": .string(r.name),
            "code": .string(m.code),
            "name": .string(m.name),
            "kind": .string(m.kind.rawValue),
            "commune_count": .int(m.communes.count),
            "population": .int(m.population),
            "area_km2": km2(GeodesicMeasure.area(of: shape) / 1e6),
        ]
    }
}
