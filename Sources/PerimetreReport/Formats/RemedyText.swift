public import PerimetreAnalysis

/// The remedies in French, as the text, HTML and audit reports write them ("PISTES").
public enum RemedyText {
    /// What the remedy is for, in a word or two.
    public static func goal(_ g: Remedy.Goal) -> String {
        switch g {
        case .connect: "Contiguïté"
        case .fillEnclave: "Enclave"
        case .alignCRTE: "CRTE"
        case .joinNeighbours: "EPCI unique"
        case .epciCut: "EPCI coupé"
        }
    }

    /// The predicted result: "périmètre contigu, aucune enclave, réunion de CRTE entiers".
    public static func outcome(_ r: Remedy) -> String? {
        guard let o = r.result else { return nil }
        var parts = [
            o.contiguous ? "périmètre contigu" : "périmètre non contigu",
            o.enclaves == 0 ? "aucune enclave" : "\(o.enclaves) enclave\(o.enclaves > 1 ? "s" : "")",
        ]
        if let a = o.crteAligned { parts.append(a ? "réunion de CRTE entiers" : "CRTE encore coupés") }
        return parts.joined(separator: ", ")
    }

    /// One line per remedy: "[Contiguïté] Ajouter … relie les deux ensembles. → périmètre contigu, aucune enclave".
    public static func line(_ r: Remedy) -> String {
        var s = "[\(goal(r.goal))] \(r.message)"
        if r.goal == .alignCRTE || r.goal == .epciCut, r.feasible, r.preferred { s += " (voie la moins coûteuse)" }
        if let o = outcome(r) { s += " → \(o)" }
        var extra: [String] = []
        if !r.departementsAdded.isEmpty {
            extra.append("départements ajoutés : " + r.departementsAdded.joined(separator: ", "))
        }
        if !r.regionsAdded.isEmpty { extra.append("régions ajoutées : " + r.regionsAdded.joined(separator: ", ")) }
        if !extra.isEmpty { s += " (" + extra.joined(separator: " ; ") + ")" }
        return s
    }
}
