import Foundation

/// French number formatting (narrow no-break space between thousands, decimal comma),
/// independent of the machine's locale so outputs are the same everywhere.
public enum French {
    /// A number with `decimals` decimals, a decimal comma and narrow no-break spaces between thousands.
    public static func number(_ v: Double, _ decimals: Int) -> String {
        // printf's rounding (as `String(format:)`, which costs ten times more on Linux), into a
        // buffer on the stack; the thousands grouped and the decimal point turned on the bytes.
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 48) { buf in
            let n = withVaList([Int32(clamping: decimals), v]) { vsnprintf(buf.baseAddress!, 48, "%.*f", $0) }
            guard n > 0, n < 48 else { return grouped(Array(String(format: "%.\(decimals)f", v).utf8)) }
            return grouped(buf.prefix(Int(n)).map { UInt8(bitPattern: $0) })
        }
    }

    /// `-1234567.5` → `-1 234 567,5`: a narrow no-break space every three characters of the
    /// integer part from its end, a decimal comma.
    private static func grouped(_ s: [UInt8]) -> String {
        let neg = s.first == UInt8(ascii: "-")
        // The point printf wrote (a comma under a C locale set to French, which nothing here sets).
        let dot = s.firstIndex { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: ",") } ?? s.endIndex
        let int = s[(neg ? 1 : 0)..<dot]
        var out: [UInt8] = neg ? [UInt8(ascii: "-")] : []
        out.reserveCapacity(s.count + 3 * (int.count / 3))
        for (i, b) in int.enumerated() {
            if i > 0 && (int.count - i) % 3 == 0 { out += [0xE2, 0x80, 0xAF] }  // U+202F
            out.append(b)
        }
        if dot < s.endIndex {
            out.append(UInt8(ascii: ","))
            out += s[(dot + 1)...]
        }
        return String(decoding: out, as: UTF8.self)
    }
    /// An integer with narrow no-break spaces between thousands (`12 345`).
    public static func int(_ n: Int) -> String { grouped(Array(String(n).utf8)) }
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
