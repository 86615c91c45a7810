import Foundation
public import PerimetreGeometry

/// A parsed CSV table: a header and rows of string fields, each with its line number.
public struct CSVTable: Sendable {
    /// The file (or origin), for messages.
    public var source: String
    /// The header's fields.
    public var header: [String]
    /// The rows' fields (a row may have fewer or more fields than the header).
    public var rows: [[String]]
    /// 1-based line number where each row starts (for error messages).
    public var lines: [Int]
    /// The separator detected (`,` `;` or tab).
    public var separator: Character

    /// Index of a column by name (case-insensitive, surrounding spaces ignored).
    public func column(_ name: String) -> Int? {
        let n = name.lowercased()
        return header.firstIndex { $0.trimmingCharacters(in: .whitespaces).lowercased() == n }
    }

    /// Index of a column that must be there.
    ///
    /// - Parameter name: The column's name (case-insensitive, surrounding spaces ignored).
    /// - Returns: Its 0-based index.
    /// - Throws: `CSVError` `missing_column`, naming the file and listing the columns there are.
    public func requireColumn(_ name: String) throws -> Int {
        guard let i = column(name) else {
            throw CSVError(
                source: source, line: 1,
                message: "colonne « \(name) » absente (colonnes : \(header.joined(separator: ", ")))",
                code: "missing_column")
        }
        return i
    }
}

/// An error in a CSV input, naming the file, the line and the value.
public struct CSVError: CodedError, Sendable, Equatable {
    /// The file (or origin).
    public var source: String
    /// 1-based line, 0 when the error is about the whole file.
    public var line: Int
    /// The French message.
    public var message: String
    /// Stable English code for scripts (`missing_column`, `wrong_field_count`…).
    public var code: String
    /// An error at a line of a file.
    public init(source: String, line: Int, message: String, code: String = "invalid_table") {
        self.source = source
        self.line = line
        self.message = message
        self.code = code
    }
    /// `file:line: message`, or `file: message` when the error is about the whole file.
    public var description: String { line > 0 ? "\(source):\(line): \(message)" : "\(source): \(message)" }
}

/// RFC 4180 CSV, read byte by byte: quoted fields (with doubled quotes and newlines), a UTF-8
/// BOM, CRLF or LF line ends, and a separator (`,` `;` or tab) detected from the header line.
///
/// Written here rather than taken from a package because the national build reads 51 MB of CSV
/// with megabyte-long WKB fields in well under a second, and every error must name its line.
///
/// ```swift
/// let t = try CSVReader.parse(bytes, source: "membres.csv")
/// let code = t.rows[0][try t.requireColumn("siren_membre")]
/// ```
public enum CSVReader {
    /// Reads and parses a CSV file.
    ///
    /// - Parameters:
    ///   - path: The file.
    ///   - maxBytes: Larger files are refused before being read.
    /// - Returns: The table.
    /// - Throws: `CSVError` naming the file and line (unreadable, too large, empty, bad quoting).
    public static func read(contentsOf path: String, maxBytes: Int = 512 << 20) throws -> CSVTable {
        try parse([UInt8](try contents(of: path, maxBytes: maxBytes)), source: path)
    }

    /// A field's text: UTF-8, or Latin-1 when the bytes are not UTF-8 (spreadsheet exports often
    /// are: accepted rather than refused). Shared by ``parse(_:source:separator:)`` and the scanner.
    static func decodeField<C: Collection>(_ f: C) -> String where C.Element == UInt8 {
        // ASCII (codes, most names): the specialised decoding, no validation to do.
        if f.allSatisfy({ $0 < 0x80 }) { return String(decoding: f, as: UTF8.self) }
        if let s = String(validating: f, as: UTF8.self) { return s }
        return String(decoding: f.map { UInt16($0) }, as: UTF16.self)
    }

    /// Parses CSV bytes.
    ///
    /// - Parameters:
    ///   - bytes: The file's bytes (a UTF-8 BOM is skipped).
    ///   - source: The file's name, for messages.
    ///   - separator: The separator; detected from the header line when nil.
    /// - Returns: The table.
    /// - Throws: `CSVError` naming the source and line (empty file, unclosed quote…).
    public static func parse(_ bytes: [UInt8], source: String, separator: UInt8? = nil) throws -> CSVTable {
        var start = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
        guard bytes[start...].contains(where: { $0 != 10 && $0 != 13 && $0 != 32 }) else {
            throw CSVError(source: source, line: 1, message: "le fichier est vide", code: "empty_file")
        }
        let sep = separator ?? detectSeparator(bytes[start...])
        var rows: [[String]] = []
        var lines: [Int] = []
        var line = 1
        var i = start
        let n = bytes.count
        // Unquoted fields (nearly all) are taken as slices of the input; only quoted fields,
        // which may hold doubled quotes, are copied byte by byte.
        var field = [UInt8]()
        var fieldStart = i
        var row: [String] = []
        var rowLine = 1
        var inQuotes = false
        var quotedField = false
        func take(_ end: Int) -> String {
            defer {
                field.removeAll(keepingCapacity: true)
                quotedField = false
            }
            return quotedField ? decodeField(field) : decodeField(bytes[fieldStart..<end])
        }
        while i < n {
            let b = bytes[i]
            if inQuotes {
                if b == 34 {
                    if i + 1 < n && bytes[i + 1] == 34 {
                        field.append(34)
                        i += 2
                        continue
                    }
                    inQuotes = false
                } else {
                    if b == 10 { line += 1 }
                    field.append(b)
                }
                i += 1
                continue
            }
            switch b {
            case 34 where i == fieldStart && !quotedField:
                inQuotes = true
                quotedField = true
            case sep:
                row.append(take(i))
                fieldStart = i + 1
            case 13 where i + 1 < n && bytes[i + 1] == 10:
                row.append(take(i))
                fieldStart = i + 2
                if !isBlank(row) {
                    rows.append(row)
                    lines.append(rowLine)
                }
                row = []
                line += 1
                rowLine = line
                i += 2
                continue
            case 10, 13:
                row.append(take(i))
                fieldStart = i + 1
                if !isBlank(row) {
                    rows.append(row)
                    lines.append(rowLine)
                }
                row = []
                line += 1
                rowLine = line
            default:
                if quotedField { field.append(b) }
            }
            i += 1
        }
        if inQuotes {
            throw CSVError(
                source: source, line: rowLine, message: "un champ entre guillemets n'est jamais refermé",
                code: "unclosed_quote")
        }
        if fieldStart < n || !row.isEmpty || quotedField {
            row.append(take(n))
            if !isBlank(row) {
                rows.append(row)
                lines.append(rowLine)
            }
        }
        guard !rows.isEmpty else {
            throw CSVError(source: source, line: 1, message: "le fichier est vide", code: "empty_file")
        }
        let header = rows.removeFirst().map { $0.trimmingCharacters(in: .whitespaces) }
        lines.removeFirst()
        for (k, r) in rows.enumerated() where r.count != header.count {
            throw CSVError(
                source: source, line: lines[k],
                message:
                    "\(r.count) champs là où l'en-tête en a \(header.count) (séparateur « \(Character(UnicodeScalar(sep))) »)",
                code: "wrong_field_count")
        }
        return CSVTable(
            source: source, header: header, rows: rows, lines: lines, separator: Character(UnicodeScalar(sep)))
    }

    /// A row made of one blank field (an empty or whitespace-only line) is skipped.
    static func isBlank(_ row: [String]) -> Bool {
        row.count == 1 && row[0].allSatisfy { $0 == " " || $0 == "\t" }
    }

    /// The most frequent of `,` `;` and tab outside quotes on the first non-blank line.
    static func detectSeparator(_ bytes: ArraySlice<UInt8>) -> UInt8 {
        var counts: [UInt8: Int] = [44: 0, 59: 0, 9: 0]
        var inQuotes = false
        let firstContent = bytes.firstIndex { $0 != 10 && $0 != 13 && $0 != 32 && $0 != 9 } ?? bytes.startIndex
        var lineStart = firstContent
        while lineStart > bytes.startIndex && bytes[lineStart - 1] != 10 { lineStart -= 1 }
        for b in bytes[lineStart...] {
            if b == 34 {
                inQuotes.toggle()
                continue
            }
            if inQuotes { continue }
            if b == 10 || b == 13 { break }
            if counts[b] != nil { counts[b]! += 1 }
        }
        return [44, 59, 9].max { counts[$0]! < counts[$1]! } ?? 44  // first wins ties: comma
    }
}
