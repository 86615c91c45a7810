import Foundation
import PerimetreAnalysis
import PerimetreData
import PerimetreTestSupport
import Testing

/// The bad Démarches Simplifiées exports of the issue: each refused with a message naming the
/// file, the sheet, the row and the column, exit 2, no output file (`expectRefused` of the
/// bad-input catalogue runs the real binary with `-o` on a fresh and on an existing file).
@Suite("Démarches Simplifiées bad inputs")
struct DSBadInputTests {
    static let header = ["ID", "Email", "État du dossier", "Déposé le", "Nom du territoire",
                         "EPCI porteur", "EPCI porteur (Code)", "EPCI porteur (Département)"]

    /// A small export: Dossiers (with the given rows after the header) and a block "EPCI membres".
    static func export(_ rows: [[DSCell]], block: [[DSCell]] = []) -> [DSSheet] {
        [DSSheet(name: "Dossiers", rows: [header.map { .text($0) }] + rows),
         DSSheet(name: "(12) EPCI membres", rows: [["Dossier ID", "Ligne", "EPCI membre", "EPCI membre (Code)", "EPCI membre (Département)"].map { .text($0) }] + block)]
    }

    static func dossier(_ id: String, _ state: String = "En instruction", _ code: DSCell = .number("200069052"), name: String = "CA Grand Belfort") -> [DSCell] {
        [.number(id), .text("a@example.fr"), .text(state), .number("45400"), .text("Territoire \(id)"), .text(name), code, .text("90 – Territoire de Belfort")]
    }

    static func file(_ name: String, _ data: Data) throws -> String { try writeData(try scratchDirectory(), name, data) }

    static func refused(_ paths: [String], _ extra: [String] = [], mentions: [String]) throws {
        try expectRefused(["audit"] + paths + extra + ["--quiet", "--format", "json"], mentions: mentions)
    }

    // MARK: Through the CLI

    @Test("An unrelated spreadsheet: not a DS export, its sheets named", .enabled(if: TestPaths.binary != nil, "\(TestPaths.noBinary)"))
    func unrelated() throws {
        let p = try Self.file("budget.xlsx", try XLSXFixture.data([DSSheet(name: "Budget 2024", rows: [
            [.text("Poste"), .text("Montant")], [.text("Études"), .number("12000.5")]])]))
        try Self.refused([p], mentions: ["budget.xlsx", "not a Démarches Simplifiées export", "\"Budget 2024\" (Poste, Montant)"])
    }

    @Test("A corrupt (truncated) XLSX and an encrypted one", .enabled(if: TestPaths.binary != nil, "\(TestPaths.noBinary)"))
    func corruptAndEncrypted() throws {
        let good = try XLSXFixture.data(Self.export([Self.dossier("1")]))
        let truncated = try Self.file("tronque.xlsx", good.prefix(good.count / 2))
        try Self.refused([truncated], mentions: ["tronque.xlsx", "corrupt ZIP archive"])
        // Office encrypts a workbook with a password into an OLE2 compound file.
        var ole = Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]); ole.append(Data(repeating: 0, count: 4000))
        try Self.refused([try Self.file("protege.xlsx", ole)], mentions: ["protege.xlsx", "encrypted (password-protected)"])
    }

    /// Sets the uncompressed size that `entry`'s local and central headers declare.
    static func declare(_ size: UInt32, for entry: String, in zip: Data) -> Data {
        var b = [UInt8](zip)
        let name = Array(entry.utf8)
        func u16(_ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 }
        func put(_ i: Int) { for k in 0..<4 { b[i + k] = UInt8((size >> (8 * UInt32(k))) & 0xFF) } }
        var i = 0
        while i + 46 < b.count {
            if b[i] == 0x50, b[i + 1] == 0x4B, b[i + 2] == 3, b[i + 3] == 4, Array(b[(i + 30)..<min(b.count, i + 30 + u16(i + 26))]) == name { put(i + 22) }
            if b[i] == 0x50, b[i + 1] == 0x4B, b[i + 2] == 1, b[i + 3] == 2, Array(b[(i + 46)..<min(b.count, i + 46 + u16(i + 28))]) == name { put(i + 24) }
            i += 1
        }
        return Data(b)
    }

    @Test("A ZIP bomb: a sheet inflating past 64 MiB while its headers declare 1 kB, stopped while inflating",
          .enabled(if: TestPaths.binary != nil, "\(TestPaths.noBinary)"))
    func zipBomb() throws {
        var sheet = Data(#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#.utf8)
        sheet.append(Data(repeating: 0x20, count: 70 << 20))
        sheet.append(Data("</sheetData></worksheet>".utf8))
        let wb = #"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="Dossiers" sheetId="1"/></sheets></workbook>"#
        let zip = try ZipFixture.zip([("xl/workbook.xml", Data(wb.utf8)), ("xl/worksheets/sheet1.xml", sheet)])
        #expect(zip.count < 1 << 20)
        let lying = Self.declare(1000, for: "xl/worksheets/sheet1.xml", in: zip)
        try Self.refused([try Self.file("bombe.xlsx", lying)], mentions: ["bombe.xlsx", "xl/worksheets/sheet1.xml inflates past the 67108864-byte limit"])
        try Self.refused([try Self.file("bombe2.xlsx", zip)], mentions: ["bombe2.xlsx", "declares \(sheet.count) bytes uncompressed"])
    }

    @Test("A dossier with no EPCI: its row and its EPCI columns named", .enabled(if: TestPaths.binary != nil, "\(TestPaths.noBinary)"))
    func noEPCI() throws {
        let p = try Self.file("dossiers.xlsx", try XLSXFixture.data(Self.export(
            [Self.dossier("7"), Self.dossier("8", "En construction", .empty, name: "")],
            block: [[.number("7"), .number("1"), .text("CC du Pays d'Héricourt"), .number("247000722"), .text("70 – Haute-Saône")]])))
        try Self.refused([p], mentions: ["dossiers.xlsx, sheet \"Dossiers\", row 3, column G « EPCI porteur (Code) »", "dossier 8", "has no EPCI", "--ds-state"])
        // Left out by --ds-state, the audit runs.
        let ok = try runCLI(["audit", p, "--quiet", "--ds-state", "en_instruction"])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("ds-7") && !ok.stdout.contains("ds-8"))
    }

    @Test("Duplicated dossiers: in one file, and one export given twice", .enabled(if: TestPaths.binary != nil, "\(TestPaths.noBinary)"))
    func duplicated() throws {
        let p = try Self.file("dossiers.xlsx", try XLSXFixture.data(Self.export([Self.dossier("7"), Self.dossier("9"), Self.dossier("7")])))
        try Self.refused([p], mentions: ["dossiers.xlsx, sheet \"Dossiers\", row 4, column A « ID »", "dossier 7 appears twice (first at", "row 2"])
        let q = try Self.file("d.xlsx", try XLSXFixture.data(Self.export([Self.dossier("7")])))
        try Self.refused([q, q], mentions: ["dossier 7 appears twice"])
    }

    @Test("A SIREN in scientific notation as text: read back when no digit was lost, refused otherwise",
          .enabled(if: TestPaths.binary != nil, "\(TestPaths.noBinary)"))
    func scientificSIREN() throws {
        let lost = try Self.file("perte.xlsx", try XLSXFixture.data(Self.export([Self.dossier("7", "Accepté", .text("2.0006565E8"))])))
        try Self.refused([lost], mentions: ["perte.xlsx, sheet \"Dossiers\", row 2, column G", "\"2.0006565E8\"", "not a valid SIREN"])
        let kept = try DemarchesSimplifiees.read([try Self.file("ok.xlsx", try XLSXFixture.data(Self.export([Self.dossier("7", "Accepté", .text("2.00069052E8"))])))])
        #expect(kept.dossiers.first?.members.map(\.code) == ["200069052"])
        // As a CSV cell (the CSV export of a spreadsheet-edited file), and with a trailing .0.
        let csv = try writeFile(try scratchDirectory(), "d.csv", Self.header.joined(separator: ",") + "\n7,a@b.fr,Accepté,2024-01-02,T,CA Grand Belfort,2.00069052E+08,90 – Territoire de Belfort\n8,a@b.fr,Accepté,2024-01-02,T,CC du Pays d'Héricourt,247000722.0,70 – Haute-Saône\n")
        #expect(try DemarchesSimplifiees.read([csv]).dossiers.map { $0.members.map(\.code) } == [["200069052"], ["247000722"]])
    }

    @Test("An unknown état, a --ds-members or --ds-name champ that is not there", .enabled(if: TestPaths.binary != nil, "\(TestPaths.noBinary)"))
    func unknownStateAndChamps() throws {
        let p = try Self.file("etat.xlsx", try XLSXFixture.data(Self.export([Self.dossier("7", "Brouillon")])))
        try Self.refused([p], mentions: ["etat.xlsx, sheet \"Dossiers\", row 2, column C « État du dossier »", "unknown état \"Brouillon\""])
        let q = try Self.file("d.xlsx", try XLSXFixture.data(Self.export([Self.dossier("7")])))
        try Self.refused([q], ["--ds-members", "Communes du périmètre"], mentions: ["no champ \"Communes du périmètre\" (--ds-members)"])
        try Self.refused([q], ["--ds-name", "Intitulé"], mentions: ["d.xlsx, sheet \"Dossiers\", row 1", "no champ \"Intitulé\" for --ds-name"])
        try Self.refused([q], ["--ds-state", "valide"], mentions: ["--ds-state: unknown état \"valide\""])
    }

    // MARK: The reader on hostile XML

    @Test("100,001 rows (a header and 100,000 dossiers): refused at the row past the limit")
    func tooManyRows() throws {
        let rows: [[DSCell]] = (0..<100_001).map { [.number(String($0)), .text("En instruction")] }
        let data = try XLSXFixture.data([DSSheet(name: "Dossiers", rows: [[.text("ID"), .text("État du dossier")]] + rows)])
        #expect {
            try SpreadsheetReader.parse(data, source: "grand.xlsx")
        } throws: { e in
            "\(e)".contains("grand.xlsx, sheet \"Dossiers\", row 100001: more than 100000 non-empty rows")
        }
    }

    static func rawXLSX(sheet: String) throws -> Data {
        let wb = #"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="Dossiers" sheetId="1"/></sheets></workbook>"#
        return try ZipFixture.zip([("xl/workbook.xml", Data(wb.utf8)), ("xl/worksheets/sheet1.xml", Data(sheet.utf8))])
    }

    @Test("Hostile or broken XML: DTD, malformed part, shared string out of range, bad cell reference, huge merge, repeated ODS rows")
    func hostileXML() throws {
        func message(_ data: Data) -> String {
            do { _ = try SpreadsheetReader.parse(data, source: "x.xlsx"); return "" } catch { return "\(error)" }
        }
        let ns = #"xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main""#
        #expect(message(try Self.rawXLSX(sheet: #"<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaa">]><worksheet \#(ns)/>"#))
            .contains("document type declaration"))
        #expect(message(try Self.rawXLSX(sheet: "<worksheet \(ns)><sheetData><row r=\"1\"><c r=\"A1\"><v>1</v></row>"))
            .contains("xl/worksheets/sheet1.xml: malformed XML"))
        #expect(message(try Self.rawXLSX(sheet: "<worksheet \(ns)><sheetData><row r=\"1\"><c r=\"B1\" t=\"s\"><v>4</v></c></row></sheetData></worksheet>"))
            == "x.xlsx, sheet \"Dossiers\", row 1, column B: shared string \"4\" out of range (0 strings)")
        #expect(message(try Self.rawXLSX(sheet: "<worksheet \(ns)><sheetData><row r=\"3\"><c r=\"AAAA3\"><v>1</v></c></row></sheetData></worksheet>"))
            .contains("row 3: invalid cell reference \"AAAA3\""))
        // A merge over the whole sheet fills only the rows and columns that hold data.
        let merged = try SpreadsheetReader.parse(try Self.rawXLSX(sheet: "<worksheet \(ns)><sheetData><row r=\"1\"><c r=\"A1\"><v>7</v></c><c r=\"C1\"><v>8</v></c></row><row r=\"2\"><c r=\"C2\"><v>9</v></c></row></sheetData><mergeCells><mergeCell ref=\"A1:XFD1048576\"/></mergeCells></worksheet>"), source: "m.xlsx")
        #expect(merged.sheets[0].rows.map { $0.cells.count } == [3, 3])
        // ODS: a non-empty row repeated two million times.
        let content = #"<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="Dossiers"><table:table-row table:number-rows-repeated="2000000"><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#
        let ods = try ZipFixture.zip([("mimetype", Data("application/vnd.oasis.opendocument.spreadsheet".utf8)), ("content.xml", Data(content.utf8))])
        #expect(message(ods).contains("sheet \"Dossiers\", row 1: rows past 1,048,576"))
        // Not a ZIP, an empty ZIP.
        #expect(message(Data("ID,État du dossier\n".utf8)).contains("not an XLSX or ODS file"))
        #expect(message(try ZipFixture.zip([("a.txt", Data("x".utf8))])).contains("neither an XLSX"))
    }
}
