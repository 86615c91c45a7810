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
        guard bytes[start...].contains(where: { $0 != ASCII.lf && $0 != ASCII.cr && $0 != ASCII.space }) else {
            throw CSVError(source: source, line: 1, message: "le fichier est vide", code: "empty_file")
        }
        let sep = separator ?? detectSeparator(bytes[start...])
        var scanner = CSVScanner(bytes, from: start, separator: sep)
        scanner.scan()
        if scanner.inQuotes {
            throw CSVError(
                source: source, line: scanner.rowLine, message: "un champ entre guillemets n'est jamais refermé",
                code: "unclosed_quote")
        }
        scanner.finish()
        var rows = scanner.rows
        var lines = scanner.lines
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

    /// The bytes the reader looks at.
    enum ASCII {
        static let lf: UInt8 = 10
        static let cr: UInt8 = 13
        static let space: UInt8 = 32
        static let tab: UInt8 = 9
        static let quote: UInt8 = 34
        static let comma: UInt8 = 44
        static let semicolon: UInt8 = 59
    }

    /// The byte-by-byte state machine of ``parse(_:source:separator:)``: records (rows of fields)
    /// and the line each starts on, blank lines skipped.
    private struct CSVScanner {
        let bytes: [UInt8]
        let separator: UInt8
        var rows: [[String]] = []
        var lines: [Int] = []
        var line = 1
        var i: Int
        // Unquoted fields (nearly all) are taken as slices of the input; only quoted fields,
        // which may hold doubled quotes, are copied byte by byte.
        var field = [UInt8]()
        var fieldStart: Int
        var row: [String] = []
        var rowLine = 1
        var inQuotes = false
        var quotedField = false

        init(_ bytes: [UInt8], from start: Int, separator: UInt8) {
            self.bytes = bytes
            self.separator = separator
            i = start
            fieldStart = start
        }

        /// Reads every byte; stops inside an unclosed quote (`inQuotes` stays true).
        mutating func scan() {
            let n = bytes.count
            while i < n {
                let b = bytes[i]
                if inQuotes {
                    quoted()
                    continue
                }
                // The bytes of an unquoted field (nearly all) in a tight loop.
                if !quotedField && b != separator && b != ASCII.quote && b != ASCII.cr && b != ASCII.lf {
                    i = plainEnd(from: i + 1)
                    continue
                }
                switch b {
                case ASCII.quote where i == fieldStart && !quotedField:
                    inQuotes = true
                    quotedField = true
                case separator:
                    row.append(take(i))
                    fieldStart = i + 1
                case ASCII.cr where i + 1 < n && bytes[i + 1] == ASCII.lf:
                    endRow(fieldEnd: i, next: i + 2)
                    i += 2
                    continue
                case ASCII.lf, ASCII.cr:
                    endRow(fieldEnd: i, next: i + 1)
                default:
                    if quotedField { field.append(b) }
                }
                i += 1
            }
        }

        /// The end of a run of bytes that are not a separator, a quote or a line break.
        @inline(__always) private func plainEnd(from start: Int) -> Int {
            var j = start
            let n = bytes.count
            while j < n {
                let c = bytes[j]
                if c == separator || c == ASCII.quote || c == ASCII.cr || c == ASCII.lf { break }
                j += 1
            }
            return j
        }

        /// Inside quotes: the bytes up to the next quote go to the field at once (a WKB field is
        /// megabytes long); a doubled quote is one quote, a single one closes the field.
        @inline(__always) private mutating func quoted() {
            let n = bytes.count
            var j = i
            var newlines = 0
            while j < n && bytes[j] != ASCII.quote {
                if bytes[j] == ASCII.lf { newlines += 1 }
                j += 1
            }
            field.append(contentsOf: bytes[i..<j])
            line += newlines
            i = j
            guard i < n else { return }
            if i + 1 < n && bytes[i + 1] == ASCII.quote {
                field.append(ASCII.quote)
                i += 2
                return
            }
            inQuotes = false
            i += 1
        }

        /// The field ending before `end`.
        @inline(__always) private mutating func take(_ end: Int) -> String {
            defer {
                field.removeAll(keepingCapacity: true)
                quotedField = false
            }
            return quotedField ? CSVReader.decodeField(field) : CSVReader.decodeField(bytes[fieldStart..<end])
        }

        /// The row ends with the field ending at `fieldEnd`; the next field starts at `next`.
        @inline(__always) private mutating func endRow(fieldEnd: Int, next: Int) {
            row.append(take(fieldEnd))
            fieldStart = next
            if !CSVReader.isBlank(row) {
                rows.append(row)
                lines.append(rowLine)
            }
            row = []
            line += 1
            rowLine = line
        }

        /// The last row, when the input does not end with a line break.
        mutating func finish() {
            let n = bytes.count
            if fieldStart < n || !row.isEmpty || quotedField {
                row.append(take(n))
                if !CSVReader.isBlank(row) {
                    rows.append(row)
                    lines.append(rowLine)
                }
            }
        }
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
