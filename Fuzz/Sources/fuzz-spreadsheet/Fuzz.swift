import Foundation
import FuzzSupport
import PerimetreAnalysis

/// The XLSX/ODS reader of Démarches Simplifiées exports: a ZIP input goes through the whole reader
/// (ZIPFoundation, entry limits, XML) and the DS model; any other input is fed to the XML
/// handlers directly, as an XLSX worksheet and as an ODS content.xml, where mutations of ZIP
/// bytes would rarely reach.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSpreadsheet(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = Data(fuzzBytes(data, count))
    var limits = SpreadsheetLimits(maxEntryBytes: 4 << 20, maxRows: 5_000)
    limits.maxMergedCells = 100_000
    func check(_ sheet: Spreadsheet.Sheet) {
        require(sheet.rows.count <= limits.maxRows, "the row limit holds")
        require(zip(sheet.rows, sheet.rows.dropFirst()).allSatisfy { $0.number < $1.number }, "row numbers increase")
        require(
            sheet.rows.allSatisfy { r in
                !r.cells.isEmpty && r.cells.keys.allSatisfy { (0..<limits.maxColumns).contains($0) }
            },
            "rows hold cells within the column limit")
        require(sheet.rows.allSatisfy { $0.cells.values.allSatisfy { !$0.text.isEmpty } }, "no empty cell is stored")
    }
    func expectSpreadsheetError(_ body: () throws -> Void) {
        do { try body() } catch let e as SpreadsheetError {
            require(e.source == "fuzz.xlsx", "the error names the file")
        } catch {
            fatalError("unexpected error type \(type(of: error)): \(error)")
        }
    }
    if SpreadsheetReader.isZIP(bytes) {
        expectSpreadsheetError {
            let book = try SpreadsheetReader.parse(bytes, source: "fuzz.xlsx", limits: limits)
            book.sheets.forEach(check)
            let export = try DemarchesSimplifiees.read([.spreadsheet(book)], options: .init(limits: limits))
            require(Set(export.dossiers.map(\.id)).count == export.dossiers.count, "one candidature per dossier")
            require(
                export.dossiers.allSatisfy { !$0.members.isEmpty || !$0.polygons.isEmpty }, "every dossier has a member"
            )
        }
    } else {
        expectSpreadsheetError {
            check(
                try SpreadsheetReader.parseXLSXSheet(
                    bytes, name: "Dossiers", source: "fuzz.xlsx",
                    sharedStrings: ["ID", "État du dossier"], limits: limits))
        }
        expectSpreadsheetError {
            try SpreadsheetReader.parseODSContent(bytes, source: "fuzz.xlsx", limits: limits).sheets.forEach(check)
        }
    }
    return 0
}
