public import PerimetreAnalysis

extension AuditReport {
    /// The findings that are not informative, as short French labels with their count, in order
    /// of first appearance: `["Non contigu", "2 CRTE coupés"]` (the model's wording, capitalised).
    static func findingLabels(_ r: CheckResult) -> [String] {
        var order: [Finding.Rule] = []
        var count: [Finding.Rule: Int] = [:]
        for f in r.findings where f.severity != .info {
            if count[f.rule] == nil { order.append(f.rule) }
            count[f.rule, default: 0] += 1
        }
        return order.map { capitalised($0.counted(count[$0]!)) }
    }

    static func capitalised(_ s: String) -> String { s.prefix(1).uppercased() + s.dropFirst() }

    static let verdictOrder = ["bloquant", "attention", "conforme", "erreur"]

    /// One région of the national report.
    public struct RegionSummary: Sendable {
        /// The région's INSEE code.
        public var code: String
        /// Its name.
        public var name: String
        /// Candidatures whose main région (largest area share) it is, in input order.
        public var candidatures: [String]
        /// Of those, how many by verdict.
        public var verdicts: [String: Int]
        /// Of those, how many reach another région.
        public var interregional: Int
        /// EPCI with a commune in the région that no candidature covers.
        public var uncoveredEPCI: Int
        /// CRTE whose main région it is, by status (with a CRTE layer).
        public var crte: [AuditResult.CRTECoverage.Status: Int]
    }

    /// The régions of the audit (those with a candidature, a layer territory or asked), each with
    /// its candidatures by main région, their verdicts, its uncovered EPCI and its CRTE.
    public static func regionSummaries(_ a: AuditResult) -> [RegionSummary] {
        regionSummaries(a, gists: a.territories.map(TerritoryGist.init))
    }

    /// The région summaries of an audit whose territories were streamed (`a.territories` empty):
    /// from what was kept of each, in input order.
    static func regionSummaries(_ a: AuditResult, gists: [TerritoryGist]) -> [RegionSummary] {
        var byRegion: [String: [TerritoryGist]] = [:]
        for t in gists { if let m = t.mainRegion { byRegion[m, default: []].append(t) } }
        return a.regions.map { r in
            let ts = byRegion[r.code] ?? []
            var crte: [AuditResult.CRTECoverage.Status: Int] = [:]
            for c in a.crte where c.region == r.code { crte[c.status, default: 0] += 1 }
            return RegionSummary(
                code: r.code, name: r.name, candidatures: ts.map(\.id),
                verdicts: Dictionary(grouping: ts, by: \.verdict.rawValue).mapValues(\.count),
                interregional: ts.filter(\.interregional).count,
                uncoveredEPCI: a.uncoveredEPCI.filter { $0.regions.contains(r.code) }.count, crte: crte)
        }
    }

    /// What the national summaries read of a candidature: kept when its outcome is streamed.
    public struct TerritoryGist: Sendable {
        /// The candidature's identifier.
        public var id: String
        /// Its main région (largest area share); nil when it could not be analysed.
        public var mainRegion: String?
        /// Its verdict.
        public var verdict: Verdict
        /// Whether it reaches another région.
        public var interregional: Bool

        /// The gist of `t`.
        public init(_ t: AuditResult.Outcome) {
            id = t.id
            mainRegion = t.result?.span.regions.first?.code
            verdict = t.verdict
            interregional = t.result?.span.interregional ?? false
        }
    }
}
