import Foundation

/// French number formatting (narrow no-break space between thousands, decimal comma),
/// independent of the machine's locale so outputs are the same everywhere.
public enum French {
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
    public static func int(_ n: Int) -> String { number(Double(n), 0) }
    public static func km2(_ v: Double) -> String { number(v, v < 10 ? 2 : 1) + " km²" }
    public static func percent(_ share: Double) -> String { number(share * 100, 1) + " %" }
    public static func distance(_ m: Double) -> String {
        if !m.isFinite { return "—" }
        return m >= 1000 ? number(m / 1000, 1) + " km" : number(m, 0) + " m"
    }
    public static func severity(_ s: String) -> String {
        switch s {
        case "bloquant": "BLOQUANT"
        case "attention": "Attention"
        default: "Info"
        }
    }
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
