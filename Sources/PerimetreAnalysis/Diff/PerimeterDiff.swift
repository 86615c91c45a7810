import Foundation
public import PerimetreData
public import PerimetreGeometry

/// `perimetre diff`: what an amendment of a labelled perimeter changes (FAQ 2.3: a perimeter may be
/// "amendé à la marge" with the favourable opinion of the conseil régional and of the State in the
/// région). Both perimeters get the full `check` analysis; the diff compares their communes,
/// figures, findings and the départements and régions they touch, and says whether the change is
/// marginal under a stated rule.
///
/// ```swift
/// let d = try PerimeterDiff.run(before: labelled, after: amended, data: data)
/// d.marginal            // true when within the thresholds and no rule is newly broken
/// d.communesAdded.count
/// ```
public struct PerimeterDiff: Sendable {
    /// The thresholds of "modification à la marge".
    public struct Thresholds: Sendable {
        /// Largest share of the labelled perimeter's population added plus removed (0.10 = 10 %).
        public var population: Double
        /// Largest share of the labelled perimeter's area added plus removed.
        public var area: Double
        /// Thresholds as shares (0.10 = 10 %).
        ///
        /// - Parameters:
        ///   - population: Largest share of the population added plus removed.
        ///   - area: Largest share of the area added plus removed.
        public init(population: Double = 0.10, area: Double = 0.10) {
            self.population = population
            self.area = area
        }
    }
    /// A commune added or removed.
    public struct CommuneChange: Sendable, Hashable {
        /// INSEE code.
        public var code: String
        /// Name.
        public var name: String
        /// SIREN of its EPCI (2026), if any.
        public var epci: String?
        /// INSEE code of its département.
        public var departement: String
        /// Population.
        public var population: Int
        /// Geodesic area (km²).
        public var areaKm2: Double
    }
    /// An EPCI (2026) some or all of whose communes were added or removed.
    public struct EPCIChange: Sendable, Hashable {
        /// SIREN.
        public var code: String
        /// Name.
        public var name: String
        /// Communes of this EPCI added (or removed).
        public var communes: Int
        /// Whether the whole EPCI entered (or left): all its communes, none before (after).
        public var whole: Bool
    }
    /// A département or région touched before or after.
    public struct Concerned: Sendable, Hashable {
        /// INSEE code.
        public var code: String
        /// Name.
        public var name: String
        /// Share of the area in it, before and after (0 when not touched).
        public var areaShareBefore: Double
        /// Share of the amended perimeter's area in it.
        public var areaShareAfter: Double
        /// Whether the labelled perimeter touched it.
        public var before: Bool { areaShareBefore > 0 }
        /// Whether the amended perimeter touches it.
        public var after: Bool { areaShareAfter > 0 }
    }
    /// Why the change is, or is not, marginal.
    public enum Verdict: String, Sendable {
        /// Nothing changed.
        case unchanged
        /// Within the thresholds and no rule newly broken.
        case marginal
        /// Over a threshold, or a rule newly broken.
        case notMarginal = "not_marginal"
    }

    /// The analysis of the labelled perimeter.
    public var before: CheckResult
    /// The analysis of the amended perimeter.
    public var after: CheckResult
    /// Member codes (as resolved) present on one side only.
    public var membersAdded: [String]
    /// Member codes present in the labelled perimeter only.
    public var membersRemoved: [String]
    /// EPCI some or all of whose communes were added.
    public var epciAdded: [EPCIChange]
    /// EPCI some or all of whose communes were removed.
    public var epciRemoved: [EPCIChange]
    /// Communes in the amended perimeter only.
    public var communesAdded: [CommuneChange]
    /// Communes in the labelled perimeter only.
    public var communesRemoved: [CommuneChange]
    /// Findings of the amended perimeter the labelled one did not have, and the reverse
    /// (compared by rule and message).
    public var findingsAppeared: [Finding]
    /// Findings of the labelled perimeter the amended one no longer has.
    public var findingsDisappeared: [Finding]
    /// Rules with more attention or bloquant findings after than before.
    public var rulesNewlyBroken: [Finding.Rule]
    /// Every département touched before or after.
    public var departements: [Concerned]
    /// Every région touched before or after: the conseils régionaux whose opinion is needed.
    public var regions: [Concerned]
    /// The thresholds the verdict applied.
    public var thresholds: Thresholds
    /// Whether the change is marginal.
    public var verdict: Verdict
    /// The reasons for the verdict, in French (each threshold crossed, each rule newly broken).
    public var reasons: [String]
    /// Lon/lat shapes of the communes added and removed (nil when none), for the maps.
    public var addedShape: Shape?
    /// Lon/lat shape of the communes removed (nil when none).
    public var removedShape: Shape?

    /// Whether nothing changed.
    public var identical: Bool { verdict == .unchanged }
    /// Whether the change is marginal (or nothing changed).
    public var marginal: Bool { verdict != .notMarginal }
    /// Area of the communes added (km²).
    public var areaAddedKm2: Double { communesAdded.reduce(0) { $0 + $1.areaKm2 } }
    /// Area of the communes removed (km²).
    public var areaRemovedKm2: Double { communesRemoved.reduce(0) { $0 + $1.areaKm2 } }
    /// Population of the communes added.
    public var populationAdded: Int { communesAdded.reduce(0) { $0 + $1.population } }
    /// Population of the communes removed.
    public var populationRemoved: Int { communesRemoved.reduce(0) { $0 + $1.population } }
    /// Added plus removed, as a share of the labelled perimeter's (the verdict's measure).
    public var populationChangeShare: Double {
        before.figures.population > 0
            ? Double(populationAdded + populationRemoved) / Double(before.figures.population) : 0
    }
    /// Area added plus removed, as a share of the labelled perimeter's (the verdict's measure).
    public var areaChangeShare: Double {
        before.figures.areaKm2 > 0 ? (areaAddedKm2 + areaRemovedKm2) / before.figures.areaKm2 : 0
    }

    /// The rule of the verdict, in French.
    public var rule: String {
        "modification à la marge si la population et la surface ajoutées et retirées représentent chacune au plus "
            + "\(French.number(thresholds.population * 100, 1)) % (population) et \(French.number(thresholds.area * 100, 1)) % (surface) "
            + "de celles du périmètre labellisé, et si aucune règle n'est nouvellement enfreinte (plus de constats « attention » "
            + "ou « bloquant » d'une même règle qu'avant)"
    }

    /// Analyses both perimeters (in parallel) and compares them.
    public static func run(
        before: PerimeterRequest, after: PerimeterRequest, data: GeoData,
        compositions: CompositionTables = .init(), against: [ResolvedLayer] = [],
        thresholds: Thresholds = .init(), shapes: Bool = true
    ) throws -> PerimeterDiff {
        // Each side in a session of its own, both at once; the labelled side's session then
        // serves the comparison (opening one parses the GeoPackage's schema again).
        let sessions = Locked<[GeoDataSession?]>([nil, nil])
        let results = try parallelMap([0, 1], workers: 2, makeState: {}) { (_: inout Void, side: Int) in
            let session = try data.session()
            let result = try PerimeterCheck.run(
                side == 0 ? before : after, data: data, compositions: compositions, against: against, session: session)
            sessions.withLock { $0[side] = session }
            return result
        }
        return try compare(
            results[0], results[1], data: data, thresholds: thresholds, shapes: shapes,
            session: sessions.withLock { $0[0] })
    }

    /// Compares two analyses already made.
    ///
    /// - Parameters:
    ///   - b: The analysis of the labelled perimeter.
    ///   - a: The analysis of the amended perimeter.
    ///   - data: The reference data.
    ///   - thresholds: The thresholds of "modification à la marge".
    ///   - shapes: Whether to build the shapes of the communes added and removed (for the maps).
    ///   - session: A read session on `data` to reuse; nil opens one.
    /// - Returns: The diff.
    /// - Throws: `GeoPackageError` or `GeometryError` on an internal failure.
    public static func compare(
        _ b: CheckResult, _ a: CheckResult, data: GeoData, thresholds: Thresholds = .init(),
        shapes: Bool = true, session: GeoDataSession? = nil
    ) throws -> PerimeterDiff {
        let cb = Set(b.members.flatMap(\.communes))
        let ca = Set(a.members.flatMap(\.communes))
        let added = ca.subtracting(cb).sorted()
        let removed = cb.subtracting(ca).sorted()
        let session = try session ?? data.session()
        let found = try session.communes(codes: added + removed, geometry: shapes)
        let communesAdded = added.map { change($0, found) }
        let communesRemoved = removed.map { change($0, found) }
        let mb = Set(b.members.map(\.code))
        let ma = Set(a.members.map(\.code))
        let findings = FindingChanges(b, a)
        var d = PerimeterDiff(
            before: b, after: a, membersAdded: ma.subtracting(mb).sorted(), membersRemoved: mb.subtracting(ma).sorted(),
            epciAdded: epciChanges(communesAdded, stays: Set(b.figures.epciCodes), data: data),
            epciRemoved: epciChanges(communesRemoved, stays: Set(a.figures.epciCodes), data: data),
            communesAdded: communesAdded, communesRemoved: communesRemoved,
            findingsAppeared: findings.appeared, findingsDisappeared: findings.disappeared,
            rulesNewlyBroken: findings.newlyBroken,
            departements: concerned(b.span.departements, a.span.departements),
            regions: concerned(b.span.regions, a.span.regions),
            thresholds: thresholds, verdict: .unchanged, reasons: [], addedShape: nil, removedShape: nil)
        if added.isEmpty && removed.isEmpty && mb == ma {
            d.verdict = .unchanged
            d.reasons = ["les deux périmètres ont les mêmes membres et les mêmes communes"]
        } else {
            d.judge(findings)
        }
        if shapes {
            let ctx = GeosContext()
            d.addedShape = try union(added, found, ctx)
            d.removedShape = try union(removed, found, ctx)
        }
        return d
    }

    /// A commune entering or leaving, from its record (`found`).
    private static func change(_ code: String, _ found: [String: (Commune, WKBGeometry?)]) -> CommuneChange {
        let c = found[code]?.0
        return CommuneChange(
            code: code, name: c?.name ?? code, epci: c?.epci, departement: c?.departement ?? "",
            population: c?.population ?? 0, areaKm2: c?.areaKm2 ?? 0)
    }

    /// EPCI entering or leaving, whole or in part: grouped by the communes' EPCI of 2026.
    /// Whole: all its communes moved and none stays on the other side.
    private static func epciChanges(_ cs: [CommuneChange], stays: Set<String>, data: GeoData) -> [EPCIChange] {
        Dictionary(grouping: cs.filter { $0.epci != nil }, by: { $0.epci! }).map { code, list in
            let e = data.epci[code]
            return EPCIChange(
                code: code, name: e?.name ?? code, communes: list.count,
                whole: list.count == (e?.communeCount ?? -1) && !stays.contains(code))
        }.sorted { $0.code < $1.code }
    }

    /// Findings compared by rule and message; a rule is newly broken when it has more attention
    /// or bloquant findings after than before.
    struct FindingChanges {
        var appeared: [Finding]
        var disappeared: [Finding]
        var newlyBroken: [Finding.Rule]
        /// Attention or bloquant findings per rule, before and after.
        var seriousBefore: [Finding.Rule: Int]
        var seriousAfter: [Finding.Rule: Int]

        private struct Key: Hashable {
            var rule: Finding.Rule
            var message: String
        }

        init(_ b: CheckResult, _ a: CheckResult) {
            let kb = Set(b.findings.map { Key(rule: $0.rule, message: $0.message) })
            let ka = Set(a.findings.map { Key(rule: $0.rule, message: $0.message) })
            appeared = a.findings.filter { !kb.contains(Key(rule: $0.rule, message: $0.message)) }
            disappeared = b.findings.filter { !ka.contains(Key(rule: $0.rule, message: $0.message)) }
            func serious(_ r: CheckResult) -> [Finding.Rule: Int] {
                r.findings.filter { $0.severity >= .attention }.reduce(into: [:]) { $0[$1.rule, default: 0] += 1 }
            }
            seriousBefore = serious(b)
            seriousAfter = serious(a)
            let (sb, sa) = (seriousBefore, seriousAfter)
            newlyBroken = sa.keys.filter { sa[$0]! > (sb[$0] ?? 0) }.sorted()
        }
    }

    /// The départements or régions concerned before or after, with their area shares.
    private static func concerned(_ xb: [AdministrativeSpan.Entry], _ xa: [AdministrativeSpan.Entry]) -> [Concerned] {
        var out: [String: Concerned] = [:]
        for e in xb {
            out[e.code] = Concerned(
                code: e.code, name: e.name, areaShareBefore: max(e.areaShare, 1e-9), areaShareAfter: 0)
        }
        for e in xa {
            out[e.code, default: Concerned(code: e.code, name: e.name, areaShareBefore: 0, areaShareAfter: 0)]
                .areaShareAfter = max(e.areaShare, 1e-9)
        }
        return out.values.sorted { $0.code < $1.code }
    }

    /// The union of the communes `codes` (their geometries in `found`), for the maps.
    private static func union(
        _ codes: [String], _ found: [String: (Commune, WKBGeometry?)], _ ctx: GeosContext
    ) throws -> Shape? {
        let parts = try codes.compactMap { found[$0]?.1 }.map { try ctx.readWKB($0) }
        return parts.isEmpty ? nil : try ctx.coverageUnion(parts).geometry.shape()
    }

    /// The verdict of a change: marginal within the thresholds and with no rule newly broken.
    private mutating func judge(_ findings: FindingChanges) {
        var why: [String] = []
        if populationChangeShare > thresholds.population {
            why.append(
                "population ajoutée et retirée : \(French.percent(populationChangeShare)) de celle du périmètre labellisé "
                    + "(seuil \(French.percent(thresholds.population)))")
        }
        if areaChangeShare > thresholds.area {
            why.append(
                "surface ajoutée et retirée : \(French.percent(areaChangeShare)) de celle du périmètre labellisé "
                    + "(seuil \(French.percent(thresholds.area)))")
        }
        for r in findings.newlyBroken {
            why.append(
                "règle nouvellement enfreinte : \(r.label) (\(findings.seriousBefore[r] ?? 0) constat(s) avant, \(findings.seriousAfter[r]!) après)"
            )
        }
        verdict = why.isEmpty ? .marginal : .notMarginal
        reasons =
            why.isEmpty
            ? [
                "population et surface changées de \(French.percent(populationChangeShare)) et \(French.percent(areaChangeShare)), "
                    + "dans les seuils, et aucune règle nouvellement enfreinte"
            ]
            : why
    }
}
