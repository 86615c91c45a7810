import Foundation
public import PerimetreGeometry

/// A spreadsheet as read from an XLSX or ODS file: its sheets in workbook order, each a sparse
/// list of rows (1-based row numbers, 0-based columns, as the file numbers them).
///
/// ```swift
/// let book = try SpreadsheetReader.read("dossiers.xlsx")
/// book.sheets[0].name                     // "Dossiers"
/// book.sheets[0].rows[0].cells[0]?.text   // "ID"
/// ```
public struct Spreadsheet: Sendable {
    /// One non-empty cell.
    public struct Cell: Sendable, Equatable {
        /// The cell as text: a number without a trailing `.0` (`200065647`, not `2.00065647E8`).
        public var text: String
        /// The numeric value of a number or date cell (an XLSX date is a day count since 1899-12-30).
        public var number: Double?
        /// A cell of the given text and, for numbers and dates, value.
        public init(text: String, number: Double? = nil) {
            self.text = text
            self.number = number
        }
    }
    /// One row holding at least one non-empty cell.
    public struct Row: Sendable {
        /// 1-based, as shown by the spreadsheet application.
        public var number: Int
        /// Non-empty cells by 0-based column.
        public var cells: [Int: Cell]
        /// The text of the cell at a 0-based column, empty when there is none.
        public func text(_ column: Int) -> String { cells[column]?.text ?? "" }
    }
    /// One sheet of the workbook.
    public struct Sheet: Sendable {
        /// The sheet's name, as its tab shows it.
        public var name: String
        /// Rows holding at least one non-empty cell, in order.
        public var rows: [Row]
    }
    /// The file, for messages.
    public var source: String
    /// The sheets, in workbook order.
    public var sheets: [Sheet]

    /// `A`, `B`, …, `Z`, `AA`: the letters of a 0-based column index.
    public static func columnLetters(_ index: Int) -> String {
        var n = index + 1
        var s = ""
        while n > 0 {
            let r = (n - 1) % 26
            s = String(UnicodeScalar(UInt8(65 + r))) + s
            n = (n - 1) / 26
        }
        return s
    }
}

/// A spreadsheet that cannot be read, or read as asked: the message names the file and, when it
/// is about one place, the sheet, the row and the column.
public struct SpreadsheetError: CodedError, Sendable, Equatable {
    /// The file.
    public var source: String
    /// The sheet, when the error is about one.
    public var sheet: String?
    /// The 1-based row, when the error is about one.
    public var row: Int?
    /// Column letters (`K`), or a header with its letters.
    public var column: String?
    /// What is wrong, in French.
    public var message: String

    /// An error about a file and, optionally, a place in it.
    public init(source: String, sheet: String? = nil, row: Int? = nil, column: String? = nil, message: String) {
        self.source = source
        self.sheet = sheet
        self.row = row
        self.column = column
        self.message = message
    }

    /// Stable English code: `invalid_spreadsheet`.
    public var code: String { "invalid_spreadsheet" }

    /// `file, feuille « S », ligne N, colonne C : message`.
    public var description: String {
        var place: [String] = []
        if let sheet { place.append("feuille « \(sheet) »") }
        if let row { place.append("ligne \(row)") }
        if let column { place.append("colonne \(column)") }
        return ([source] + place).joined(separator: ", ") + " : " + message
    }
}

/// Limits that keep a hostile file (ZIP bomb, millions of rows) from exhausting memory.
public struct SpreadsheetLimits: Sendable {
    /// Uncompressed bytes of one ZIP entry, counted while inflating (not trusted from the header).
    public var maxEntryBytes: Int = 64 << 20
    /// Non-empty rows of one sheet.
    public var maxRows: Int = 100_000
    /// Columns of a row (Excel's own limit is 16,384).
    public var maxColumns: Int = 16_384
    /// Cells filled in from merged ranges, over the whole file.
    public var maxMergedCells: Int = 1_000_000
    /// The default limits.
    public init() {}
    /// Default limits but for the entry size and row count (the tests' small limits).
    public init(maxEntryBytes: Int, maxRows: Int) {
        self.maxEntryBytes = maxEntryBytes
        self.maxRows = maxRows
    }
}

/// Builds one sheet while its XML is parsed: checks the limits, applies merged ranges at the end.
struct SheetBuilder {
    let source: String
    let name: String
    let limits: SpreadsheetLimits
    var rows: [Spreadsheet.Row] = []
    /// (first row, first column, last row, last column), inclusive.
    var merges: [(Int, Int, Int, Int)] = []

    init(source: String, name: String, limits: SpreadsheetLimits) {
        self.source = source
        self.name = name
        self.limits = limits
    }

    func error(_ row: Int?, _ column: Int?, _ message: String) -> SpreadsheetError {
        SpreadsheetError(
            source: source, sheet: name, row: row, column: column.map(Spreadsheet.columnLetters), message: message)
    }

    /// Adds a row unless it is empty; rows must come in increasing order.
    mutating func add(_ number: Int, _ cells: [Int: Spreadsheet.Cell]) throws {
        if cells.isEmpty { return }
        if let last = rows.last?.number, number <= last {
            throw error(number, nil, "la ligne \(number) vient après la ligne \(last) : lignes dans le désordre")
        }
        if rows.count >= limits.maxRows {
            throw error(
                number, nil,
                "plus de \(limits.maxRows) lignes non vides : ce n'est pas un export Démarches Simplifiées de candidatures, ou découpez-le"
            )
        }
        rows.append(Spreadsheet.Row(number: number, cells: cells))
    }

    /// Copies the top-left value of each merged range into its empty cells (a merged header
    /// then names every column it spans), within the rows and columns that hold data.
    mutating func finish(filled: inout Int) throws -> Spreadsheet.Sheet {
        if merges.isEmpty { return Spreadsheet.Sheet(name: name, rows: rows) }
        let index = Dictionary(uniqueKeysWithValues: rows.enumerated().map { ($1.number, $0) })
        let maxColumn = rows.lazy.flatMap(\.cells.keys).max() ?? 0
        for (r0, c0, r1, c1) in merges {
            guard let top = index[r0], let value = rows[top].cells[c0] else { continue }
            for r in r0...r1 {
                guard let k = index[r] else { continue }
                for c in c0...min(c1, maxColumn) where rows[k].cells[c] == nil {
                    filled += 1
                    if filled > limits.maxMergedCells {
                        throw error(r0, c0, "les plages fusionnées couvrent plus de \(limits.maxMergedCells) cellules")
                    }
                    rows[k].cells[c] = value
                }
            }
        }
        return Spreadsheet.Sheet(name: name, rows: rows)
    }
}
