import PerimetreGeometry
import Foundation

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
    public var members: [String]
    public var against: [String]
    public var id: String
    public var name: String
    public var toleranceMetres: Double

    /// A refused body: the HTTP status (400 malformed, 422 empty or too large) and the message.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var status: Int
        public var message: String
        public init(_ status: Int, _ message: String) { self.status = status; self.message = message }
        public var description: String { "\(status): \(message)" }
    }

    public static let defaultMaxMembers = 2000

    /// Parses and validates a body; 400 for malformed JSON or wrong types, 422 when empty.
    /// `knownLayers` are the ids `against` may name.
    public static func parse(_ bytes: [UInt8], knownLayers: Set<String>, maxMembers: Int = defaultMaxMembers) throws -> CheckRequestBody {
        let v: JSONValue
        do { v = try JSONValue.parse(Data(bytes)) } catch {
            throw Failure(400, "malformed JSON body: expected {\"members\": [codes…], \"against\": [layer ids…]}")
        }
        guard case .object(let o) = v else {
            throw Failure(400, "the body must be a JSON object {\"members\": [codes…]}")
        }
        guard let membersValue = o["members"] else { throw Failure(400, "missing \"members\" (a list of codes)") }
        guard case .array(let list) = membersValue else { throw Failure(400, "\"members\" must be a list of codes") }
        var members: [String] = []
        for (i, e) in list.enumerated() {
            guard case .string(let s) = e else { throw Failure(400, "members[\(i)] is not a string (codes are strings: \"200065647\")") }
            let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !t.isEmpty else { continue }
            guard t.count <= 40 else { throw Failure(400, "members[\(i)] is too long to be a code") }
            members.append(t)
        }
        if members.isEmpty { throw Failure(422, "the perimeter has no member: give at least one EPCI SIREN or commune code") }
        if members.count > maxMembers { throw Failure(422, "too many members (\(members.count), at most \(maxMembers))") }
        var against: [String] = []
        if let a = o["against"], a != .null {
            guard case .array(let ids) = a else { throw Failure(400, "\"against\" must be a list of layer ids") }
            for (i, e) in ids.enumerated() {
                guard case .string(let id) = e else { throw Failure(400, "against[\(i)] is not a string") }
                guard knownLayers.contains(id) else {
                    let known = knownLayers.sorted()
                    throw Failure(400, "unknown layer \"\(id)\" in \"against\" (loaded layers: \(known.isEmpty ? "none" : known.joined(separator: ", ")))")
                }
                against.append(id)
            }
        }
        func text(_ key: String) throws -> String {
            guard let x = o[key], x != .null else { return "" }
            guard case .string(let s) = x else { throw Failure(400, "\"\(key)\" must be a string") }
            guard s.count <= 200 else { throw Failure(400, "\"\(key)\" is longer than 200 characters") }
            return s
        }
        var tolerance = 100.0
        if let t = o["tolerance_m"], t != .null {
            guard let d = t.doubleValue, d.isFinite, d >= 0, d <= 10_000 else {
                throw Failure(400, "\"tolerance_m\" must be a number of metres between 0 and 10000")
            }
            tolerance = d
        }
        return CheckRequestBody(members: members, against: against, id: try text("id"), name: try text("name"), toleranceMetres: tolerance)
    }
}
