import Foundation

/// French number formatting (narrow no-break space between thousands, decimal comma),
/// independent of the machine's locale so outputs are the same everywhere.
public enum French {
    /// A number with `decimals` decimals, a decimal comma and narrow no-break spaces between thousands.
    public static func number(_ v: Double, _ decimals: Int) -> String {
        let s = String(format: "%.\(decimals)f", v)
        let parts = s.split(separator: ".")
        var int = String(parts[0])
        let neg = int.hasPrefix("-")
        if neg { int.removeFirst() }
        var grouped = ""
        for (i, ch) in int.reversed().enumerated() {
            if i > 0 && i % 3 == 0 { grouped.append("\u{202F}") }
            grouped.append(ch)
        }
        let out = (neg ? "-" : "") + String(grouped.reversed())
        return parts.count > 1 ? out + "," + parts[1] : out
    }
    /// An integer with narrow no-break spaces between thousands (`12 345`).
    public static func int(_ n: Int) -> String { number(Double(n), 0) }
    /// An area in km², two decimals below 10 km², one above.
    public static func km2(_ v: Double) -> String { number(v, v < 10 ? 2 : 1) + " km²" }
    /// A share (0…1) as a percentage with one decimal (`12,5 %`).
    public static func percent(_ share: Double) -> String { number(share * 100, 1) + " %" }
    /// A distance in metres below 1 km, in km with one decimal above; `—` when infinite.
    public static func distance(_ m: Double) -> String {
        if !m.isFinite { return "—" }
        return m >= 1000 ? number(m / 1000, 1) + " km" : number(m, 0) + " m"
    }
    /// The label of a severity's raw value (`BLOQUANT`, `Attention`, `Info`).
    public static func severity(_ s: String) -> String {
        switch s {
        case "bloquant": "BLOQUANT"
        case "attention": "Attention"
        default: "Info"
        }
    }
    /// The French label of a member kind's raw value (`EPCI`, `ancien EPCI`…).
    public static func kind(_ k: String) -> String {
        switch k {
        case "epci": "EPCI"
        case "commune": "commune"
        case "commune_siren": "commune (SIREN)"
        case "former_epci": "ancien EPCI"
        case "ept": "EPT"
        case "polygon": "polygone"
        default: k
        }
    }
}
