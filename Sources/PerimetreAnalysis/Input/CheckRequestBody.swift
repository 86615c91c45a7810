import Foundation
public import PerimetreGeometry

/// The body of the workbench's `POST /api/check` (and `/api/analyse`, `/api/export`), parsed
/// and validated: `{"members": [codes…], "against": [layer ids…], "id", "name", "tolerance_m"}`.
///
/// Public (rather than inside PerimetreServer) so that the fuzz target of Fuzz/ reaches the
/// exact parsing the server runs without linking the HTTP stack.
///
/// ```swift
/// let b = try CheckRequestBody.parse(Array(#"{"members":["200065647"]}"#.utf8), knownLayers: [])
/// b.members   // ["200065647"]
/// ```
public struct CheckRequestBody: Sendable, Equatable {
    /// Member codes (`members`), as typed.
    public var members: [String]
    /// Ids of the server's layers to compare with (`against`).
    public var against: [String]
    /// The perimeter's id (`id`), defaulted when absent.
    public var id: String
    /// The perimeter's name (`name`), defaulted when absent.
    public var name: String
    /// The contiguity tolerance (`tolerance_m`, metres).
    public var toleranceMetres: Double

    /// A refused body: why (the server maps it to an HTTP status), a stable code and the French message.
    public struct Failure: CodedError, Sendable, Equatable {
        /// What kind of refusal it is, for the server's status code.
        public enum Reason: Sendable, Equatable {
            /// Not JSON, or not the expected shape or types.
            case malformed
            /// Well formed but not analysable: no member, too many members.
            case unprocessable
        }
        /// What kind of refusal it is.
        public var reason: Reason
        /// Stable English code (`invalid_json`, `too_many_members`…).
        public var code: String
        /// The French message.
        public var message: String
        /// A refusal of the given kind, code and French message.
        public init(_ reason: Reason, _ code: String, _ message: String) {
            self.reason = reason
            self.code = code
            self.message = message
        }
        /// The French message.
        public var description: String { message }
    }

    /// The most members a body may list, unless the server is told otherwise.
    public static let defaultMaxMembers = 2000

    /// Parses and validates a body; `.malformed` for bad JSON or wrong types, `.unprocessable` when empty or too large.
    /// `knownLayers` are the ids `against` may name.
    public static func parse(
        _ bytes: [UInt8], knownLayers: Set<String>, maxMembers: Int = defaultMaxMembers
    ) throws -> CheckRequestBody {
        let v: JSONValue
        do { v = try JSONValue.parse(Data(bytes)) } catch {
            throw Failure(
                .malformed, "malformed_json",
                "corps JSON mal formé : attendu {\"members\": [codes…], \"against\": [identifiants de couches…]}")
        }
        guard case .object(let o) = v else {
            throw Failure(.malformed, "not_an_object", "le corps doit être un objet JSON {\"members\": [codes…]}")
        }
        let members = try self.members(o, maxMembers: maxMembers)
        let against = try self.against(o, knownLayers: knownLayers)
        var tolerance = defaultToleranceMetres
        if let t = o["tolerance_m"], t != .null {
            guard let d = t.doubleValue, d.isFinite, d >= 0, d <= maxToleranceMetres else {
                throw Failure(
                    .malformed, "invalid_tolerance", "« tolerance_m » doit être un nombre de mètres entre 0 et 10000")
            }
            tolerance = d
        }
        return CheckRequestBody(
            members: members, against: against, id: try text(o, "id"), name: try text(o, "name"),
            toleranceMetres: tolerance)
    }

    /// The contiguity tolerance when the body gives none (m).
    static let defaultToleranceMetres = 100.0
    /// The largest tolerance a body may ask for (m).
    static let maxToleranceMetres = 10_000.0
    /// The longest member code accepted (characters); longer is no code.
    static let maxCodeLength = 40
    /// The longest `id` or `name` accepted (characters).
    static let maxTextLength = 200

    /// `members`: the codes, trimmed, blanks skipped; at least one, at most `maxMembers`.
    private static func members(_ o: JSONObject, maxMembers: Int) throws -> [String] {
        guard let membersValue = o["members"] else {
            throw Failure(.malformed, "missing_members", "« members » manquant (une liste de codes)")
        }
        guard case .array(let list) = membersValue else {
            throw Failure(.malformed, "invalid_members", "« members » doit être une liste de codes")
        }
        var members: [String] = []
        for (i, e) in list.enumerated() {
            guard case .string(let s) = e else {
                throw Failure(
                    .malformed, "invalid_member",
                    "members[\(i)] n'est pas une chaîne (les codes sont des chaînes : \"200065647\")")
            }
            let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !t.isEmpty else { continue }
            guard t.count <= maxCodeLength else {
                throw Failure(.malformed, "invalid_member", "members[\(i)] est trop long pour être un code")
            }
            members.append(t)
        }
        if members.isEmpty {
            throw Failure(
                .unprocessable, "no_member",
                "le périmètre n'a aucun membre : donnez au moins un SIREN d'EPCI ou un code de commune")
        }
        if members.count > maxMembers {
            throw Failure(
                .unprocessable, "too_many_members", "trop de membres (\(members.count), au plus \(maxMembers))")
        }
        return members
    }

    /// `against`: ids of loaded layers (none when absent or null).
    private static func against(_ o: JSONObject, knownLayers: Set<String>) throws -> [String] {
        guard let a = o["against"], a != .null else { return [] }
        guard case .array(let ids) = a else {
            throw Failure(.malformed, "invalid_against", "« against » doit être une liste d'identifiants de couches")
        }
        var against: [String] = []
        for (i, e) in ids.enumerated() {
            guard case .string(let id) = e else {
                throw Failure(.malformed, "invalid_against", "against[\(i)] n'est pas une chaîne")
            }
            guard knownLayers.contains(id) else {
                let known = knownLayers.sorted()
                throw Failure(
                    .malformed, "unknown_layer",
                    "couche « \(id) » inconnue dans « against » (couches chargées : \(known.isEmpty ? "aucune" : known.joined(separator: ", ")))"
                )
            }
            against.append(id)
        }
        return against
    }

    /// An optional text field (`id`, `name`): "" when absent or null.
    private static func text(_ o: JSONObject, _ key: String) throws -> String {
        guard let x = o[key], x != .null else { return "" }
        guard case .string(let s) = x else {
            throw Failure(.malformed, "invalid_field", "« \(key) » doit être une chaîne")
        }
        guard s.count <= maxTextLength else {
            throw Failure(.malformed, "invalid_field", "« \(key) » dépasse 200 caractères")
        }
        return s
    }
}
