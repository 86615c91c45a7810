public import Foundation
import ZIPFoundation

/// Writes a minimal XLSX workbook (shared strings, number cells, inline strings, merged ranges)
/// with ZIPFoundation and fixed entry dates, so the same sheets give the same bytes. Used to make
/// Démarches Simplifiées-style exports: the benchmark's 183-dossier file, the tests' fixtures and
/// `Samples/ds-franche-comte.xlsx`.
///
/// ```swift
/// let data = try XLSXWriter.data([.init(name: "Dossiers", rows: [[.text("ID")], [.number("18001")]])])
/// ```
public enum XLSXWriter {
    /// One cell to write.
    public enum Cell: Sendable, Equatable {
        /// A shared string.
        case text(String)
        /// A number as written in the XML (`200065647`, `2.00065647E8`, `45200.4375`).
        case number(String)
        /// An inline string (`t="inlineStr"`).
        case inline(String)
        /// No cell.
        case empty
    }
    /// One sheet to write.
    public struct Sheet: Sendable {
        /// The sheet's name.
        public var name: String
        /// Its rows, from row 1, each from column A.
        public var rows: [[Cell]]
        /// Merged ranges (`A1:C1`).
        public var merges: [String]
        /// A sheet of the given rows and merged ranges.
        public init(name: String, rows: [[Cell]], merges: [String] = []) {
            self.name = name
            self.rows = rows
            self.merges = merges
        }
    }

    /// 2024-01-01: every entry carries this date, for identical bytes.
    static let entryDate = Date(timeIntervalSince1970: 1_704_067_200)

    /// Escapes `&`, `<`, `>` and `"` for XML text and attributes.
    public static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// A ZIP archive of the given entries, in order (`mimetype` stored, the others deflated unless told).
    public static func zip(_ entries: [(String, Data)], compress: Bool = true) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        for (path, data) in entries {
            let method: CompressionMethod = path == "mimetype" || !compress ? .none : .deflate
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(data.count), modificationDate: entryDate,
                compressionMethod: method
            ) { position, size in
                data.subdata(in: Int(position)..<(Int(position) + size))
            }
        }
        guard let out = archive.data else {
            throw SpreadsheetError(source: "XLSXWriter", message: "the in-memory archive has no data")
        }
        return out
    }

    /// Writes a workbook of the given sheets.
    ///
    /// - Parameter sheets: The sheets, in order.
    /// - Returns: The XLSX file's bytes (the same sheets give the same bytes).
    /// - Throws: ``SpreadsheetError`` when the archive cannot be made.
    public static func data(_ sheets: [Sheet]) throws -> Data {
        var strings = SharedStrings()
        var parts: [(String, String)] = []
        for (k, sheet) in sheets.enumerated() {
            parts.append(("xl/worksheets/sheet\(k + 1).xml", worksheet(sheet, strings: &strings)))
        }
        let sharedStrings =
            head + "<sst \(main) count=\"\(strings.all.count)\" uniqueCount=\"\(strings.all.count)\">"
            + strings.all.map { "<si><t xml:space=\"preserve\">\(escape($0))</t></si>" }.joined() + "</sst>"
        let all = packageParts(sheets) + [("xl/sharedStrings.xml", sharedStrings)] + parts
        return try zip(all.map { ($0.0, Data($0.1.utf8)) })
    }

    private static let head = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
    private static let main = #"xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main""#

    /// The shared strings table: each text once, numbered in order of first use.
    private struct SharedStrings {
        var all: [String] = []
        var index: [String: Int] = [:]

        mutating func number(_ s: String) -> Int {
            if let i = index[s] { return i }
            index[s] = all.count
            all.append(s)
            return all.count - 1
        }
    }

    /// One sheet's XML; its texts go to the shared strings.
    private static func worksheet(_ sheet: Sheet, strings: inout SharedStrings) -> String {
        var x = head + "<worksheet \(main)><sheetData>"
        for (r, row) in sheet.rows.enumerated() {
            x += "<row r=\"\(r + 1)\">"
            for (c, cell) in row.enumerated() {
                let ref = "\(Spreadsheet.columnLetters(c))\(r + 1)"
                switch cell {
                case .text(let s): x += "<c r=\"\(ref)\" t=\"s\"><v>\(strings.number(s))</v></c>"
                case .number(let n): x += "<c r=\"\(ref)\"><v>\(escape(n))</v></c>"
                case .inline(let s): x += "<c r=\"\(ref)\" t=\"inlineStr\"><is><t>\(escape(s))</t></is></c>"
                case .empty: break
                }
            }
            x += "</row>"
        }
        x += "</sheetData>"
        if !sheet.merges.isEmpty {
            x +=
                "<mergeCells count=\"\(sheet.merges.count)\">"
                + sheet.merges.map { "<mergeCell ref=\"\(escape($0))\"/>" }.joined() + "</mergeCells>"
        }
        return x + "</worksheet>"
    }

    /// The package's parts besides the sheets and shared strings: content types, relationships,
    /// workbook, styles.
    private static func packageParts(_ sheets: [Sheet]) -> [(String, String)] {
        let types =
            head
            + #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>"#
            + sheets.indices.map {
                "<Override PartName=\"/xl/worksheets/sheet\($0 + 1).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
            }.joined() + "</Types>"
        let rels =
            head
            + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
        let workbook =
            head
            + "<workbook \(main) xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>"
            + sheets.enumerated().map {
                "<sheet name=\"\(escape($1.name))\" sheetId=\"\($0 + 1)\" r:id=\"rId\($0 + 1)\"/>"
            }.joined() + "</sheets></workbook>"
        let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
        let workbookRels =
            head + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
            + sheets.indices.map {
                "<Relationship Id=\"rId\($0 + 1)\" Type=\"\(rel)worksheet\" Target=\"worksheets/sheet\($0 + 1).xml\"/>"
            }.joined()
            + "<Relationship Id=\"rId\(sheets.count + 1)\" Type=\"\(rel)styles\" Target=\"styles.xml\"/>"
            + "<Relationship Id=\"rId\(sheets.count + 2)\" Type=\"\(rel)sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>"
        let styles =
            head + "<styleSheet \(main)>"
            + #"<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs></styleSheet>"#
        return [
            ("[Content_Types].xml", types), ("_rels/.rels", rels), ("xl/workbook.xml", workbook),
            ("xl/_rels/workbook.xml.rels", workbookRels), ("xl/styles.xml", styles),
        ]
    }
}
