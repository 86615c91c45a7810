import Foundation
public import PerimetreGeometry

/// What colours the territories of a poster.
public enum PosterColorBy: Sendable, Hashable {
    /// The territory's (first) région; neighbouring régions get different colours.
    case region
    /// The audit verdict (bloquant, attention, conforme, erreur).
    case verdict
    /// A feature property: classes for numbers, categories otherwise.
    case property(String)

    /// From an option's text: `region`, `verdict`, or a property's name.
    public init(_ text: String) {
        switch text {
        case "region": self = .region
        case "verdict": self = .verdict
        default: self = .property(text)
        }
    }

    /// The legend's title.
    public var label: String {
        switch self {
        case .region: "Région"
        case .verdict: "Verdict de l'audit"
        case .property(let p): p
        }
    }
}

/// Colour-blind-safe palettes and the colouring of a poster's territories.
public enum PosterPalette {
    /// Paul Tol's "muted" qualitative scheme (distinct for the common colour-vision deficiencies).
    public static let categorical = [
        "#CC6677", "#332288", "#DDCC77", "#117733", "#88CCEE", "#882255", "#44AA99", "#999933", "#AA4499",
    ]
    /// For "other" and missing values.
    public static let other = "#DDDDDD"
    /// Verdicts on Okabe-Ito's blue–orange axis (never red against green).
    public static let verdicts: [(verdict: String, label: String, color: String)] = [
        ("bloquant", "bloquant", "#D55E00"), ("attention", "attention", "#E69F00"),
        ("conforme", "conforme", "#0072B2"), ("erreur", "erreur d'analyse", "#999999"),
    ]
    /// Five sequential classes (viridis, light to dark), readable in grey too.
    public static let sequential = ["#FDE725", "#5EC962", "#21918C", "#3B528B", "#440154"]

    /// A legend entry.
    public struct Entry: Sendable, Hashable {
        /// The colour (`#RRGGBB`).
        public var color: String
        /// The label.
        public var label: String
    }

    /// Colours per item (same order) and the legend entries, for `by`.
    ///
    /// - Parameters:
    ///   - by: What colours the territories.
    ///   - properties: each item's properties (the GeoJSON feature's).
    ///   - verdicts: each item's verdict (nil when unknown).
    ///   - regionNames: région code → name.
    ///   - regionColors: région code → colour.
    /// - Returns: A colour per item and the legend's entries.
    /// - Throws: `PosterError` when no item has the property (the message lists those there are).
    public static func colors(
        by: PosterColorBy, properties: [JSONObject], verdicts: [String?],
        regionNames: [String: String], regionColors: [String: String]
    ) throws -> (colors: [String], legend: [Entry]) {
        switch by {
        case .region:
            let codes = properties.map {
                $0["regions"].flatMap { v -> String? in
                    if case .array(let a) = v { return a.first?.stringValue }
                    return v.stringValue
                }
            }
            let present = Set(codes.compactMap { $0 }).sorted()
            var legend = present.map {
                Entry(color: regionColors[$0] ?? other, label: "\($0) \(regionNames[$0] ?? "")")
            }
            if codes.contains(where: { $0 == nil }) { legend.append(Entry(color: other, label: "sans région")) }
            return (codes.map { $0.flatMap { regionColors[$0] } ?? other }, legend)
        case .verdict:
            let known = Dictionary(uniqueKeysWithValues: Self.verdicts.map { ($0.verdict, $0.color) })
            let present = Set(verdicts.compactMap { $0 })
            let legend = Self.verdicts.filter { present.contains($0.verdict) }.map {
                Entry(color: $0.color, label: $0.label)
            }
            return (verdicts.map { $0.flatMap { known[$0] } ?? other }, legend)
        case .property(let name):
            let values = properties.map { $0[name] }
            guard values.contains(where: { $0 != nil }) else {
                var keys: [String] = ["region", "verdict"]
                for p in properties { for k in p.keys where !keys.contains(k) { keys.append(k) } }
                throw PosterError(
                    "--color-by \(name) : propriété inconnue (disponibles : \(keys.joined(separator: ", ")))")
            }
            let numbers = values.map { v -> Double? in
                if case .bool = v { return nil }
                return v?.doubleValue
            }
            if numbers.allSatisfy({ $0 != nil }) { return numeric(numbers.map { $0! }) }
            return categorical(
                values.map { v -> String? in
                    switch v {
                    case nil, .null?: return nil
                    case .bool(let b)?: return b ? "oui" : "non"
                    case .array(let a)?: return a.compactMap(\.stringValue).joined(separator: "+")
                    case let x?: return x.stringValue
                    }
                })
        }
    }

    /// Quantile classes (at most five), bounds in the legend.
    static func numeric(_ xs: [Double]) -> (colors: [String], legend: [Entry]) {
        let sorted = xs.sorted()
        var bounds: [Double] = []
        for k in 1..<5 {
            let b = sorted[min(sorted.count - 1, sorted.count * k / 5)]
            if bounds.last != b && b > sorted[0] { bounds.append(b) }
        }
        func cls(_ x: Double) -> Int { bounds.firstIndex { x < $0 } ?? bounds.count }
        let n = bounds.count + 1
        let palette = n == 1 ? [sequential[2]] : (0..<n).map { sequential[$0 * 4 / (n - 1)] }
        var legend: [Entry] = []
        for c in 0..<n {
            let lo = c == 0 ? sorted[0] : bounds[c - 1]
            let label = c == n - 1 ? "\(num(lo)) à \(num(sorted.last!))" : "\(num(lo)) à moins de \(num(bounds[c]))"
            legend.append(Entry(color: palette[c], label: label))
        }
        return (xs.map { palette[cls($0)] }, legend)
    }

    /// The eight most frequent values get a colour (ties by value), the rest "autres".
    static func categorical(_ vs: [String?]) -> (colors: [String], legend: [Entry]) {
        var counts: [String: Int] = [:]
        for v in vs { if let v { counts[v, default: 0] += 1 } }
        let ranked = counts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map(\.key)
        let cap = ranked.count <= categorical.count ? ranked.count : categorical.count - 1
        let top = Array(ranked.prefix(cap)).sorted()
        let color = Dictionary(uniqueKeysWithValues: top.enumerated().map { ($1, categorical[$0]) })
        var legend = top.map { Entry(color: color[$0]!, label: $0) }
        if ranked.count > cap || vs.contains(where: { $0 == nil }) {
            legend.append(
                Entry(
                    color: other, label: ranked.count > cap ? "autres (\(ranked.count - cap) valeurs)" : "sans valeur"))
        }
        return (vs.map { $0.flatMap { color[$0] } ?? other }, legend)
    }

    static func num(_ d: Double) -> String {
        d == d.rounded() && abs(d) < 1e15
            ? MapReport.group(Int(d)).replacingOccurrences(of: "\u{202F}", with: " ")
            : String(format: "%.2f", d).replacingOccurrences(of: ".", with: ",")
    }

    /// Colours régions so that neighbours differ and the palette is used evenly: régions in
    /// code order, each gets the least used colour its coloured neighbours do not have (ties:
    /// palette order).
    public static func regionColors(codes: [String], neighbours: [String: Set<String>]) -> [String: String] {
        var out: [String: String] = [:]
        var uses = [Int](repeating: 0, count: categorical.count)
        for c in codes.sorted() {
            let taken = Set((neighbours[c] ?? []).compactMap { out[$0] })
            let free = categorical.indices.filter { !taken.contains(categorical[$0]) }
            guard let pick = free.min(by: { (uses[$0], $0) < (uses[$1], $1) }) else {
                out[c] = other
                continue
            }
            uses[pick] += 1
            out[c] = categorical[pick]
        }
        return out
    }
}
