import Foundation
public import PerimetreGeometry

/// One side of `perimetre diff`: a member file, `FILE#ID` (one territory of a multi-territory
/// file such as `ti_2023_2027_membres.csv#ti-2708`), or member codes separated by commas or spaces.
public enum DiffOperand {
    /// A side that names no perimeter (French message).
    public struct Failure: CodedError, Sendable {
        /// Why, in French.
        public var message: String
        /// The French message.
        public var description: String { message }
        /// Stable English code: `invalid_operand`.
        public var code: String { "invalid_operand" }
    }

    /// How messages name a side: `AVANT`, `APRÈS` (`label` stays the English id of the JSON).
    static func shown(_ label: String) -> String { ["BEFORE": "AVANT", "AFTER": "APRÈS"][label] ?? label }

    /// The request for one side; `label` (`BEFORE`, `AFTER`) names it in messages (in French) and is its id.
    public static func request(_ arg: String, label: String, options: AnalysisOptions) throws -> PerimeterRequest {
        let fm = FileManager.default
        if let hash = arg.lastIndex(of: "#"), !fm.fileExists(atPath: arg) {
            return try territory(
                String(arg[arg.index(after: hash)...]), of: String(arg[..<hash]), arg: arg, label: label,
                options: options)
        }
        if fm.fileExists(atPath: arg) { return try memberFile(arg, label: label, options: options) }
        let tokens = arg.split(whereSeparator: { $0 == "," || $0 == ";" || $0.isWhitespace }).map(String.init)
        guard !tokens.isEmpty else {
            throw Failure(message: "\(shown(label)) : vide (donnez FICHIER, FICHIER#ID ou des codes de membres)")
        }
        if let bad = tokens.first(where: { !Resolution.looksLikeCode($0) }) {
            throw Failure(
                message:
                    "\(shown(label)) : « \(bad) » n'est ni un fichier ni un code de membre (SIREN à 9 chiffres, code INSEE à 5 caractères)"
            )
        }
        return PerimeterRequest(
            id: label.lowercased(), name: "",
            members: tokens.enumerated().map {
                MemberInput(code: $1, origin: "\(label) code \($0 + 1)")
            }, options: options)
    }

    /// `FILE#ID`: territory `id` of the layer at `path`.
    private static func territory(
        _ id: String, of path: String, arg: String, label: String, options: AnalysisOptions
    ) throws -> PerimeterRequest {
        guard FileManager.default.fileExists(atPath: path) else {
            throw Failure(
                message:
                    "\(shown(label)) : \(path) : fichier introuvable (\(shown(label)) est FICHIER, FICHIER#ID ou des codes de membres)"
            )
        }
        if id.isEmpty {
            throw Failure(message: "\(shown(label)) : \(arg) : pas d'identifiant de territoire après #")
        }
        let layer = try TerritoryLayer.load(path)
        guard let t = layer.territories.first(where: { $0.id == id }) else {
            let ids = layer.territories.map(\.id)
            throw Failure(
                message:
                    "\(shown(label)) : \(path) : pas de territoire « \(id) » dans le fichier (\(ids.count) territoires) ; "
                    + "identifiants proches : \(nearest(id, in: ids).joined(separator: ", "))")
        }
        if t.members.isEmpty {
            throw Failure(
                message:
                    "\(shown(label)) : \(arg) : territoire donné par un polygone ; diff compare des listes de membres"
            )
        }
        return PerimeterRequest(id: t.id, name: t.name, members: t.members, options: options)
    }

    /// A member file of one perimeter (a file of several territories needs `FILE#ID`).
    private static func memberFile(_ arg: String, label: String, options: AnalysisOptions) throws -> PerimeterRequest {
        // A file of several territories needs FILE#ID (MemberFile would ask for --id).
        if let layer = try? TerritoryLayer.load(arg), [.tiMembers, .tiCommunes, .crte].contains(layer.format),
            layer.territories.count > 1
        {
            let ids = layer.territories.map(\.id)
            throw Failure(
                message:
                    "\(shown(label)) : \(arg) contient \(ids.count) territoires : désignez-en un par \(arg)#ID "
                    + "(par exemple \(arg)#\(ids[0]) ; identifiants : \(ids.prefix(6).joined(separator: ", "))…)")
        }
        let f = try MemberFile.read(arg)
        if f.members.isEmpty {
            throw Failure(message: "\(shown(label)) : \(arg) : le fichier ne liste aucun membre")
        }
        let base = URL(fileURLWithPath: arg).deletingPathExtension().lastPathComponent
        let name =
            f.name
            ?? f.comments.first.map { c in
                String(c.prefix { $0 != ":" && $0 != "(" }).trimmingCharacters(in: .whitespaces)
            }
        return PerimeterRequest(id: f.id ?? base, name: name ?? "", members: f.members, options: options)
    }

    /// The ids closest to `id` (edit distance, then order), at most 5.
    static func nearest(_ id: String, in ids: [String]) -> [String] {
        let w = Array(id.lowercased())
        func distance(_ s: String) -> Int {
            let v = Array(s.lowercased())
            var prev = Array(0...v.count)
            for i in 1...max(w.count, 1) where !w.isEmpty {
                var cur = [i] + Array(repeating: 0, count: v.count)
                for j in stride(from: 1, through: v.count, by: 1) {
                    cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (w[i - 1] == v[j - 1] ? 0 : 1))
                }
                prev = cur
            }
            return w.isEmpty ? v.count : prev[v.count]
        }
        return ids.enumerated().map { ($0.element, distance($0.element), $0.offset) }
            .sorted { ($0.1, $0.2) < ($1.1, $1.2) }.prefix(5).map(\.0)
    }
}
