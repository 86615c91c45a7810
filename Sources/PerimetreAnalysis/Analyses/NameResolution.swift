import Foundation
import PerimetreData

/// Members given by name instead of code: `perimetre check "Grand Belfort"`, or a DS champ whose
/// code column is empty. A name is resolved only when exactly one EPCI (or commune) bears it,
/// after normalisation (case, accents, punctuation; for an EPCI also its legal form and leading
/// article: "Pays d'Héricourt" is "Communauté de communes du Pays d'Héricourt"). The member is
/// then reported as corrected; several or no matches leave it unresolved, with suggestions.
extension Resolution {
    enum NameLookup {
        case found(code: String, detail: String)
        case notFound(UnresolvedMember)
    }

    /// Legal forms an EPCI's name starts with, folded, longest first.
    static let legalForms = [
        "communaute d agglomeration", "communaute de communes", "communaute urbaine",
        "eurometropole", "metropole", "agglomeration", "ca", "cc", "cu",
    ]

    /// An EPCI name without its legal form nor leading article: `pays d hericourt`.
    static func coreName(_ s: String) -> String {
        var w = GeoData.fold(s)
        for f in legalForms where w.hasPrefix(f + " ") {
            w = String(w.dropFirst(f.count + 1))
            break
        }
        for a in ["de la ", "de l ", "du ", "des ", "de ", "d "] where w.hasPrefix(a) {
            w = String(w.dropFirst(a.count))
            break
        }
        return w
    }

    /// Whether a typed member is a name rather than a code (it has letters and is no Corsican INSEE code).
    static func isName(_ normalised: String) -> Bool {
        // ASCII text (every code) on its bytes: its only letters are A–Z and a–z.
        let letter =
            normalised.utf8.allSatisfy { $0 < 0x80 }
            ? normalised.utf8.contains { (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }
            : normalised.contains(where: \.isLetter)
        return letter && !isINSEE(normalised)
    }

    static func lookUp(
        name: String, kind: MemberInput.NameKind, origin: String, data: GeoData,
        communes: () throws -> [Commune]
    ) throws -> NameLookup {
        let key = GeoData.fold(name)
        var matches: [Suggestion]
        if kind == .commune {
            matches = try communes().filter { GeoData.fold($0.name) == key }.map {
                Suggestion(code: $0.code, name: $0.name)
            }
        } else {
            matches = data.epci.values.filter { GeoData.fold($0.name) == key }.map {
                Suggestion(code: $0.code, name: $0.name)
            }
            if matches.isEmpty {
                let core = coreName(name)
                matches = data.epci.values.filter { coreName($0.name) == core }.map {
                    Suggestion(code: $0.code, name: $0.name)
                }
            }
        }
        matches.sort { $0.code < $1.code }
        let what = kind == .commune ? "commune" : "EPCI"
        if matches.count == 1 {
            return .found(
                code: matches[0].code,
                detail: "donné par son nom « \(name) » sans code : seul \(what) de ce nom, \(matches[0].code)")
        }
        if matches.count > 1 {
            return .notFound(
                UnresolvedMember(
                    code: name, origin: origin,
                    reason: "\(matches.count) \(what) portent ce nom : donnez le code",
                    suggestions: Array(matches.prefix(5))))
        }
        return .notFound(
            UnresolvedMember(
                code: name, origin: origin,
                reason: "aucun \(what) ne porte exactement ce nom ; cherchez-le avec `perimetre epci search`",
                suggestions: kind == .epci ? suggestions(name, data) : []))
    }
}
