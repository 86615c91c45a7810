import Foundation
import PerimetreData
import PerimetreGeometry

/// Reads a perimeter's members from a file: a CSV with a code column (an optional name
/// column), a one-column list, the ANCT territory layout (`id_ti,lib_ti,siren_membre,…`, one
/// territory picked with `id`), or JSON (a list of codes, a list of objects with `code`, or an
/// object with `id`, `name`, `members`). Lines starting with `#` are comments.
///
/// ```swift
/// let m = try MemberFile.read("Samples/vallee-de-l-arve.csv")
/// m.members.map(\.code)   // ["200000172", …]
/// ```
public struct MemberFile: Sendable {
    /// The territory's id, when the file gives one.
    public var id: String?
    /// The territory's name, when the file gives one.
    public var name: String?
    /// The members, in file order, each with its `file:line`.
    public var members: [MemberInput]
    /// The comment lines (without `#`), e.g. what a sample shows.
    public var comments: [String]

    static let codeColumns = [
        "code", "siren_membre", "siren", "insee", "insee_com", "code_insee", "codgeo", "siren_epci", "membre", "member",
        "epci",
    ]
    static let nameColumns = ["nom", "name", "nom_membre", "libelle", "lib", "raison_sociale", "nom_epci"]

    /// Reads a member file.
    ///
    /// - Parameters:
    ///   - path: The file (CSV, list or JSON; the layout is detected).
    ///   - territory: For a file of several territories: the id of the one to read.
    ///   - maxBytes: Larger files are refused before being read.
    /// - Returns: The members, with the territory's id and name when the file gives them.
    /// - Throws: A `CSVError` naming the file, line and value when it cannot be read as members.
    public static func read(_ path: String, territory: String? = nil, maxBytes: Int = 64 << 20) throws -> MemberFile {
        let data: Data
        do { data = try InputFile.read(path, maxBytes: maxBytes, kind: "une liste de membres") } catch {
            throw CSVError(source: path, line: error.line, message: error.message, code: error.code)
        }
        return try parse([UInt8](data), source: path, territory: territory)
    }

    /// Reads a member file already in memory (the workbench's uploads, the fuzz targets);
    /// `source` names it in messages. Same formats and errors as ``read(_:territory:maxBytes:)``.
    public static func parse(_ bytes: [UInt8], source: String, territory: String? = nil) throws -> MemberFile {
        let first = bytes.first {
            !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 || $0 == 0xEF || $0 == 0xBB || $0 == 0xBF)
        }
        if first == UInt8(ascii: "[") || first == UInt8(ascii: "{") { return try json(Data(bytes), path: source) }
        return try csv(bytes, path: source, territory: territory)
    }

    static func csv(_ bytes: [UInt8], path: String, territory: String?) throws -> MemberFile {
        let (clean, comments) = withoutComments(bytes)
        let t = try CSVReader.parse(clean, source: path)
        let lower = t.header.map { $0.lowercased() }
        // A headerless one-column list: the header itself is a code.
        if t.header.count == 1, Resolution.looksLikeCode(t.header[0]) {
            var ms = [MemberInput(code: t.header[0], origin: "\(path):\(firstLine(t))")]
            ms += t.rows.enumerated().map { MemberInput(code: $1[0], origin: "\(path):\(t.lines[$0])") }
            return MemberFile(id: nil, name: nil, members: ms, comments: comments)
        }
        guard
            let codeCol = codeColumns.lazy.compactMap({ lower.firstIndex(of: $0) }).first
                ?? (t.header.count == 1 ? 0 : nil)
        else {
            throw CSVError(
                source: path, line: firstLine(t),
                message:
                    "pas de colonne de codes (attendu l'une de \(codeColumns.joined(separator: ", ")) ; colonnes : \(t.header.joined(separator: ", ")))",
                code: "missing_column")
        }
        let nameCol = nameColumns.lazy.compactMap { lower.firstIndex(of: $0) }.first
        var rows = Array(t.rows.indices)
        var id: String? = nil
        var name: String? = nil
        if let idCol = lower.firstIndex(of: "id_ti") ?? lower.firstIndex(of: "id_territoire") {
            rows = try territoryRows(t, idColumn: idCol, wanted: territory, path: path)
            // A territory file with a header and no row names no territory (and lists no member).
            if let first = rows.first {
                let libCol = lower.firstIndex(of: "lib_ti") ?? lower.firstIndex(of: "lib_territoire")
                id = t.rows[first][idCol]
                name = libCol.map { t.rows[first][$0] }
            }
        }
        let ms = rows.map { k in
            MemberInput(code: t.rows[k][codeCol], name: nameCol.map { t.rows[k][$0] }, origin: "\(path):\(t.lines[k])")
        }
        return MemberFile(id: id, name: name, members: ms, comments: comments)
    }

    /// The bytes with comment lines (`#` first) blanked out, keeping line numbers right, and the
    /// comments' text.
    static func withoutComments(_ bytes: [UInt8]) -> (bytes: [UInt8], comments: [String]) {
        let lf = UInt8(ascii: "\n")
        var clean = bytes
        var comments: [String] = []
        var i = clean.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var lineStart = true
        while i < clean.count {
            if lineStart && clean[i] == UInt8(ascii: "#") {
                var j = i
                while j < clean.count && clean[j] != lf { j += 1 }
                comments.append(
                    String(decoding: clean[(i + 1)..<j], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
                for k in i..<j { clean[k] = UInt8(ascii: " ") }
                i = j
                continue
            }
            lineStart = clean[i] == lf
            i += 1
        }
        return (clean, comments)
    }

    /// The rows of the one territory of a file of several (`wanted`, else the only one there is).
    static func territoryRows(_ t: CSVTable, idColumn idCol: Int, wanted: String?, path: String) throws -> [Int] {
        let ids = Array(NSOrderedSet(array: t.rows.map { $0[idCol] })) as! [String]
        if let wanted {
            let rows = t.rows.indices.filter { t.rows[$0][idCol] == wanted }
            if rows.isEmpty {
                throw CSVError(
                    source: path, line: 0,
                    message:
                        "pas de territoire « \(wanted) » dans le fichier (il en a \(ids.count) : \(ids.prefix(8).joined(separator: ", "))…)",
                    code: "unknown_territory")
            }
            return rows
        } else if ids.count > 1 {
            throw CSVError(
                source: path, line: 0,
                message:
                    "le fichier contient \(ids.count) territoires (\(ids.prefix(6).joined(separator: ", "))…) : choisissez-en un avec --id, ou utilisez `perimetre audit`",
                code: "several_territories")
        }
        return Array(t.rows.indices)
    }

    static func firstLine(_ t: CSVTable) -> Int { max(1, (t.lines.first ?? 2) - 1) }

    static func json(_ data: Data, path: String) throws -> MemberFile {
        let v: JSONValue
        do { v = try JSONValue.parse(data) } catch {
            throw CSVError(source: path, line: 0, message: "JSON invalide", code: "invalid_json")
        }
        func list(_ a: [JSONValue]) throws -> [MemberInput] {
            try a.enumerated().map { i, e in
                if let s = e.stringValue { return MemberInput(code: s, origin: "\(path) : élément \(i + 1)") }
                if case .object(let o) = e, let c = (o["code"] ?? o["siren"] ?? o["insee"])?.stringValue {
                    return MemberInput(
                        code: c, name: (o["name"] ?? o["nom"])?.stringValue, origin: "\(path) : élément \(i + 1)")
                }
                throw CSVError(
                    source: path, line: 0, message: "l'élément \(i + 1) n'est ni un code ni un objet avec « code »",
                    code: "invalid_member")
            }
        }
        switch v {
        case .array(let a): return MemberFile(id: nil, name: nil, members: try list(a), comments: [])
        case .object(let o):
            guard case .array(let a)? = o["members"] else {
                throw CSVError(
                    source: path, line: 0, message: "un fichier de membres JSON doit avoir une liste « members »",
                    code: "invalid_member_file")
            }
            return MemberFile(
                id: o["id"]?.stringValue, name: o["name"]?.stringValue, members: try list(a),
                comments: o["description"]?.stringValue.map { [$0] } ?? [])
        default:
            throw CSVError(
                source: path, line: 0,
                message: "un fichier de membres JSON est une liste de codes ou un objet avec « members »",
                code: "invalid_member_file")
        }
    }

    /// The JSON form `perimetre check` reads back (used by the workbench to save an option).
    public func json() throws -> String {
        var o = JSONObject()
        if let id { o["id"] = .string(id) }
        if let name { o["name"] = .string(name) }
        if let d = comments.first { o["description"] = .string(d) }
        o["members"] = .array(members.map { .string($0.code) })
        return try JSONWriter(pretty: true).string(.object(o)) + "\n"
    }
}

extension Resolution {
    /// Whether a header cell is in fact a member code (a headerless list).
    static func looksLikeCode(_ s: String) -> Bool {
        let c = normalise(s)
        return isDigits(c, 9) || isINSEE(c) || isDigits(c, 4)
    }
}
