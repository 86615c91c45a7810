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
    static let header = [
        "ID", "Email", "État du dossier", "Déposé le", "Nom du territoire",
        "EPCI porteur", "EPCI porteur (Code)", "EPCI porteur (Département)",
    ]

    /// A small export: Dossiers (with the given rows after the header) and a block "EPCI membres".
    static func export(_ rows: [[DSCell]], block: [[DSCell]] = []) -> [DSSheet] {
        [
            DSSheet(name: "Dossiers", rows: [header.map { .text($0) }] + rows),
            DSSheet(
                name: "(12) EPCI membres",
                rows: [
                    ["Dossier ID", "Ligne", "EPCI membre", "EPCI membre (Code)", "EPCI membre (Département)"].map {
                        .text($0)
                    }
                ] + block),
        ]
    }

    static func dossier(
        _ id: String, _ state: String = "En instruction", _ code: DSCell = .number("200069052"),
        name: String = "CA Grand Belfort"
    ) -> [DSCell] {
        [
            .number(id), .text("a@example.fr"), .text(state), .number("45400"), .text("Territoire \(id)"), .text(name),
            code, .text("90 – Territoire de Belfort"),
        ]
    }

    static func file(_ name: String, _ data: Data) throws -> String {
        try writeData(try scratchDirectory(), name, data)
    }

    static func refused(_ paths: [String], _ extra: [String] = [], mentions: [String]) throws {
        try expectRefused(["audit"] + paths + extra + ["--quiet", "--format", "json"], mentions: mentions)
    }

    // MARK: Through the CLI

    @Test(
        "An unrelated spreadsheet: not a DS export, its sheets named",
        .enabled(if: TestPaths.binary != nil, "\(TestPaths.noBinary)"))
    func unrelated() throws {
        let p = try Self.file(
            "budget.xlsx",
            try XLSXFixture.data([
                DSSheet(
                    name: "Budget 2024",
                    rows: [
                        [.text("Poste"), .text("Montant")], [.text("Études"), .number("12000.5")],
                    ])
            ]))
        try Self.refused(
            [p], mentions: ["budget.xlsx", "pas un export Démarches Simplifiées", "\"Budget 2024\" (Poste, Montant)"])
    }

    @Test(
        "A corrupt (truncated) XLSX and an encrypted one",
        .enabled(if: TestPaths.binary != nil, "\(TestPaths.noBinary)"))
    func corruptAndEncrypted() throws {
        let good = try XLSXFixture.data(Self.export([Self.dossier("1")]))
        let truncated = try Self.file("tronque.xlsx", good.prefix(good.count / 2))
        try Self.refused([truncated], mentions: ["tronque.xlsx", "archive ZIP corrompue"])
        // Office encrypts a workbook with a password into an OLE2 compound file.
        var ole = Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
        ole.append(Data(repeating: 0, count: 4000))
        try Self.refused(
            [try Self.file("protege.xlsx", ole)], mentions: ["protege.xlsx", "chiffré (protégé par mot de passe)"])
    }

    /// Sets the uncompressed size (or the compressed one) that `entry`'s local and central headers declare.
    static func declare(_ size: UInt32, for entry: String, in zip: Data, compressed: Bool = false) -> Data {
        var b = [UInt8](zip)
        let name = Array(entry.utf8)
        func u16(_ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 }
        func put(_ i: Int) { for k in 0..<4 { b[i + k] = UInt8((size >> (8 * UInt32(k))) & 0xFF) } }
        var i = 0
        while i + 46 < b.count {
            if b[i] == 0x50, b[i + 1] == 0x4B, b[i + 2] == 3, b[i + 3] == 4,
                Array(b[(i + 30)..<min(b.count, i + 30 + u16(i + 26))]) == name
            {
                put(i + (compressed ? 18 : 22))
            }
            if b[i] == 0x50, b[i + 1] == 0x4B, b[i + 2] == 1, b[i + 3] == 2,
                Array(b[(i + 46)..<min(b.count, i + 46 + u16(i + 28))]) == name
            {
                put(i + (compressed ? 20 : 24))
            }
            i += 1
        }
        return Data(b)
    }

    @Test(
        "A ZIP bomb: a sheet inflating past 64 MiB while its headers declare 1 kB, stopped while inflating",
        .enabled(if: TestPaths.binary != nil, "\(TestPaths.noBinary)"))
    func zipBomb() throws {
        var sheet = Data(
            #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#.utf8)
        sheet.append(Data(repeating: 0x20, count: 70 << 20))
        sheet.append(Data("</sheetData></worksheet>".utf8))
        let wb =
            #"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="Dossiers" sheetId="1"/></sheets></workbook>"#
        let zip = try ZipFixture.zip([("xl/workbook.xml", Data(wb.utf8)), ("xl/worksheets/sheet1.xml", sheet)])
        #expect(zip.count < 1 << 20)
        let lying = Self.declare(1000, for: "xl/worksheets/sheet1.xml", in: zip)
        try Self.refused(
            [try Self.file("bombe.xlsx", lying)],
            mentions: [
                "bombe.xlsx", "xl/worksheets/sheet1.xml dépasse à la décompression la limite de 67108864 octets",
            ])
        try Self.refused(
            [try Self.file("bombe2.xlsx", zip)],
            mentions: ["bombe2.xlsx", "annonce \(sheet.count) octets décompressés"])
    }

    @Test(
        "A dossier with no EPCI: its row and its EPCI columns named",
        .enabled(if: TestPaths.binary != nil, "\(TestPaths.noBinary)"))
    func noEPCI() throws {
        let p = try Self.file(
            "dossiers.xlsx",
            try XLSXFixture.data(
                Self.export(
                    [Self.dossier("7"), Self.dossier("8", "En construction", .empty, name: "")],
                    block: [
                        [
                            .number("7"), .number("1"), .text("CC du Pays d'Héricourt"), .number("247000722"),
                            .text("70 – Haute-Saône"),
                        ]
                    ])))
        try Self.refused(
            [p],
            mentions: [
                "dossiers.xlsx, feuille « Dossiers », ligne 3, colonne G « EPCI porteur (Code) »", "dossier 8",
                "n'a aucun EPCI", "--ds-state",
            ])
        // Left out by --ds-state, the audit runs.
        let ok = try runCLI(["audit", p, "--quiet", "--ds-state", "en_instruction"])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("ds-7") && !ok.stdout.contains("ds-8"))
    }

    @Test(
        "Duplicated dossiers: in one file, and one export given twice",
        .enabled(if: TestPaths.binary != nil, "\(TestPaths.noBinary)"))
    func duplicated() throws {
        let p = try Self.file(
            "dossiers.xlsx",
            try XLSXFixture.data(Self.export([Self.dossier("7"), Self.dossier("9"), Self.dossier("7")])))
        try Self.refused(
            [p],
            mentions: [
                "dossiers.xlsx, feuille « Dossiers », ligne 4, colonne A « ID »",
                "dossier 7 apparaît deux fois (d'abord en", "row 2",
            ])
        let q = try Self.file("d.xlsx", try XLSXFixture.data(Self.export([Self.dossier("7")])))
        try Self.refused([q, q], mentions: ["le dossier 7 apparaît deux fois"])
    }

    @Test(
        "A SIREN in scientific notation as text: read back when no digit was lost, refused otherwise",
        .enabled(if: TestPaths.binary != nil, "\(TestPaths.noBinary)"))
    func scientificSIREN() throws {
        let lost = try Self.file(
            "perte.xlsx", try XLSXFixture.data(Self.export([Self.dossier("7", "Accepté", .text("2.0006565E8"))])))
        try Self.refused(
            [lost],
            mentions: [
                "perte.xlsx, feuille « Dossiers », ligne 2, colonne G", "« 2.0006565E8 »", "pas un SIREN valide",
            ])
        let kept = try DemarchesSimplifiees.read([
            try Self.file(
                "ok.xlsx", try XLSXFixture.data(Self.export([Self.dossier("7", "Accepté", .text("2.00069052E8"))])))
        ])
        #expect(kept.dossiers.first?.members.map(\.code) == ["200069052"])
        // The issue's own value, 2.00065647E8, as a number cell (scientific notation in the XML)
        // and as text: Pays de Montbéliard Agglomération, 200065647.
        for cell: DSCell in [.number("2.00065647E8"), .text("2.00065647E8")] {
            let p = try Self.file(
                "e8.xlsx",
                try XLSXFixture.data(
                    Self.export([Self.dossier("7", "Accepté", cell, name: "Pays de Montbéliard Agglomération")])))
            #expect(try DemarchesSimplifiees.read([p]).dossiers.first?.members.map(\.code) == ["200065647"], "\(cell)")
        }
        // As a CSV cell (the CSV export of a spreadsheet-edited file), and with a trailing .0.
        let csv = try writeFile(
            try scratchDirectory(), "d.csv",
            Self.header.joined(separator: ",")
                + "\n7,a@b.fr,Accepté,2024-01-02,T,CA Grand Belfort,2.00069052E+08,90 – Territoire de Belfort\n8,a@b.fr,Accepté,2024-01-02,T,CC du Pays d'Héricourt,247000722.0,70 – Haute-Saône\n"
        )
        #expect(
            try DemarchesSimplifiees.read([csv]).dossiers.map { $0.members.map(\.code) } == [
                ["200069052"], ["247000722"],
            ])
    }

    @Test(
        "An unknown état, a --ds-members or --ds-name champ that is not there",
        .enabled(if: TestPaths.binary != nil, "\(TestPaths.noBinary)"))
    func unknownStateAndChamps() throws {
        let p = try Self.file("etat.xlsx", try XLSXFixture.data(Self.export([Self.dossier("7", "Brouillon")])))
        try Self.refused(
            [p],
            mentions: [
                "etat.xlsx, feuille « Dossiers », ligne 2, colonne C « État du dossier »", "état « Brouillon » inconnu",
            ])
        let q = try Self.file("d.xlsx", try XLSXFixture.data(Self.export([Self.dossier("7")])))
        try Self.refused(
            [q], ["--ds-members", "Communes du périmètre"],
            mentions: ["aucun champ « Communes du périmètre » (--ds-members)"])
        try Self.refused(
            [q], ["--ds-name", "Intitulé"],
            mentions: ["d.xlsx, feuille « Dossiers », ligne 1", "aucun champ « Intitulé » pour --ds-name"])
        try Self.refused([q], ["--ds-state", "valide"], mentions: ["--ds-state : état « valide » inconnu"])
    }

    // MARK: The reader on hostile XML

    /// A header and 100,001 dossiers: past the limit of 100,000 non-empty rows.
    static let tooManyRowsXLSX = Result { () throws -> Data in
        let rows: [[DSCell]] = (0..<100_001).map { [.number(String($0)), .text("En instruction")] }
        return try XLSXFixture.data([DSSheet(name: "Dossiers", rows: [[.text("ID"), .text("État du dossier")]] + rows)])
    }

    @Test("100,001 rows (a header and 100,000 dossiers): refused at the row past the limit")
    func tooManyRows() throws {
        let data = try Self.tooManyRowsXLSX.get()
        #expect {
            try SpreadsheetReader.parse(data, source: "grand.xlsx")
        } throws: { e in
            "\(e)".contains("grand.xlsx, feuille « Dossiers », ligne 100001 : plus de 100000 lignes non vides")
        }
    }

    @Test(
        "100,001 rows through the CLI: exit 2, the file, sheet and row named, nothing written",
        .enabled(if: TestPaths.binary != nil, "\(TestPaths.noBinary)"))
    func tooManyRowsThroughCLI() throws {
        let p = try Self.file("grand.xlsx", try Self.tooManyRowsXLSX.get())
        try Self.refused(
            [p], mentions: ["grand.xlsx, feuille « Dossiers », ligne 100001 : plus de 100000 lignes non vides"])
    }

    static func rawXLSX(sheet: String) throws -> Data {
        let wb =
            #"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="Dossiers" sheetId="1"/></sheets></workbook>"#
        return try ZipFixture.zip([("xl/workbook.xml", Data(wb.utf8)), ("xl/worksheets/sheet1.xml", Data(sheet.utf8))])
    }

    @Test(
        "Hostile or broken XML: DTD, malformed part, shared string out of range, bad cell reference, huge merge, repeated ODS rows"
    )
    func hostileXML() throws {
        func message(_ data: Data) -> String {
            do {
                _ = try SpreadsheetReader.parse(data, source: "x.xlsx")
                return ""
            } catch { return "\(error)" }
        }
        let ns = #"xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main""#
        #expect(
            message(
                try Self.rawXLSX(sheet: #"<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaa">]><worksheet \#(ns)/>"#)
            )
            .contains("déclaration de type de document"))
        #expect(
            message(try Self.rawXLSX(sheet: "<worksheet \(ns)><sheetData><row r=\"1\"><c r=\"A1\"><v>1</v></row>"))
                .contains("xl/worksheets/sheet1.xml : XML mal formé"))
        #expect(
            message(
                try Self.rawXLSX(
                    sheet:
                        "<worksheet \(ns)><sheetData><row r=\"1\"><c r=\"B1\" t=\"s\"><v>4</v></c></row></sheetData></worksheet>"
                ))
                == "x.xlsx, feuille « Dossiers », ligne 1, colonne B : chaîne partagée « 4 » hors limites (0 chaînes)")
        #expect(
            message(
                try Self.rawXLSX(
                    sheet:
                        "<worksheet \(ns)><sheetData><row r=\"3\"><c r=\"AAAA3\"><v>1</v></c></row></sheetData></worksheet>"
                )
            )
            .contains("ligne 3 : référence de cellule « AAAA3 » invalide"))
        // A merge over the whole sheet fills only the rows and columns that hold data.
        let merged = try SpreadsheetReader.parse(
            try Self.rawXLSX(
                sheet:
                    "<worksheet \(ns)><sheetData><row r=\"1\"><c r=\"A1\"><v>7</v></c><c r=\"C1\"><v>8</v></c></row><row r=\"2\"><c r=\"C2\"><v>9</v></c></row></sheetData><mergeCells><mergeCell ref=\"A1:XFD1048576\"/></mergeCells></worksheet>"
            ), source: "m.xlsx")
        #expect(merged.sheets[0].rows.map { $0.cells.count } == [3, 3])
        // ODS: a non-empty row repeated two million times.
        let content =
            #"<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="Dossiers"><table:table-row table:number-rows-repeated="2000000"><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#
        let ods = try ZipFixture.zip([
            ("mimetype", Data("application/vnd.oasis.opendocument.spreadsheet".utf8)),
            ("content.xml", Data(content.utf8)),
        ])
        #expect(message(ods).contains("feuille « Dossiers », ligne 1 : lignes au-delà de 1 048 576"))
        // Not a ZIP, an empty ZIP.
        #expect(message(Data("ID,État du dossier\n".utf8)).contains("ni un fichier XLSX ni un ODS"))
        #expect(message(try ZipFixture.zip([("a.txt", Data("x".utf8))])).contains("ni un classeur XLSX"))
    }

    // MARK: Parts that are not UTF-8 (fuzz-spreadsheet's crashes)

    /// The two inputs on which fuzz-spreadsheet trapped inside FoundationXML: XML whose element
    /// names hold raw bytes that are not UTF-8 (libxml2, in recovery mode, passes such a name on
    /// and FoundationXML force-unwraps its decoding, namespaces processed or not).
    /// crash-f5bc7dda…: a worksheet with `<` then 0xE3 at byte 156 (line 2), fed as a worksheet;
    /// crash-c7490117…: a worksheet with `<` then 0xFF bytes from byte 1204, trapping as an ODS content.xml.
    static let fuzzCrashes: [(bytes: Data, byte: String, line: Int, offset: Int)] = [
        (
            Data(
                base64Encoded: """
                    PD94bWwgdmVyc2lvbj0iMS4wIiBlbmNvZGluZz0iVVRGLTgiIHN0YW5kYWxvbmU9InllcyI/Pgo8d29ya3NoZWV0IHhtbG5zPSJo
                    dHRwOi8vc2NoZW1hcy5vcGVueG1sZm9ybWF0cy5vcmcvc3ByZWFkc2hlZXRtbC8yMDA2L21haW4iPjxzaGVldERhdGE+PHJvdyBy
                    PSIxIj484yByPSJBMSIgdD0icyI+PHY+MDwvdj48L2M+PGMgcj0iQjEiIHQ9InMiPjx2PjE8L3Y+PC9jPjxjMDM8L3Y+PC9jPjxj
                    IHI9IkI0IiB0PSIvYz48YyByPSJEMSIgdD0icyI+PHY+Mzwvdj48L2M+PGMgcj0iRTEiIHQ9InMiPjx2PjQ8L3Y+PC9jPjxjIHI9
                    IkYxIiB0PSJzIj48dj41PC92PjwvYz48YyByPSJHMSIgdD0icyI+PHY+Njwvdj48L2M+PGMgcj0iSDEiIHQ9InMiPjx2Pjc8L3Y+
                    PC9jPjxjIHI9IkkxIiB0PSJzIj48dj44PC92PjwvYz48YyByPSJKMSIgdD0icyI+PHY+OTwvdj48L2M+PC9yb3c+PHJvdyByPSIy
                    Ij48YyByPSJBMiI+PHY+MTgwMDE8L3Y+PC9jPjxjIHI9IkIyIiB0PSJzIj48dj4xMDwvdj48L2M+PGMgcj0iQzIiIHQ9InMiPjx2
                    PjExPC92PjwvYz48YyByPSJEMiI+PHY+NDUzOTAuNDwvdj48L2M+PGMgcj0iRTIiPjx2PjQ1MzkwLjQ8L3Y+PC9jPjxjIHI9Ikcy
                    IiB0PSJzIj48dj4xMjwvdj48L2M+PGMgcj0iSDIiIHQ9InMiPjx2PjEzPC92PjwvYz48YyByPSJJMiI+PHY+MjAwMDY1NjQ3PC92
                    PjwvYz48YyByPSJKMiIgdD0icwAAAAAiPjx2PjE0PC92PjwvYz48L3Jvdz48cm93IHI9IjMiPjxjIHI9IkEzIj48dj4xODAwMjwv
                    dj48L2M+PGMgcj0iQjMiIHQ9InMiPjx2PjEwPC92PjwvYz48YyByPSJDMyIgdD0icyI+PHY+MTU8L3Y+PC9jPjxjIHI9IkQzIj48
                    dj40NTM5MS42PC92PjwvYz48YyByPSJFMyI+PHY+NDUzOTEuNjwvdj48L2M+PGMgcj0iRzMiIHQ9InMiPjx2PjE2PC92PjwvYz48
                    YyByPSJIMyIgdD0icyI+PHY+MTc8L3Y+PC9jPjxjIHI9IkkzIj48dj4yLjAwMDIzMDc1RTg8L3Y+PC9jPjxjIHI9IkozIiB0PSJz
                    Ij48dj4xNDwvdj48L2M+PC9yb3c+PHJvdyByPSI0Ij48YyByPSJBNCI+PHY+MTgwMDM8L3Y+PC9jPjxjIHI9IkI0IiB0PSJzIj48
                    dj4xMDwvdj48L2M+PGMgcj0iQzQiIHQ9InMiPjx2PjE4PC92PjwvYz48YyByPSJENCI+PHY+NDUzOTIuNTwvdj48L2M+PGMgcj0i
                    RTQiPjx2PjQ1MzkyLjU8L3Y+PC9jPjxjIHI9Ikc0IiB0PSJzIj48dj4xOTwvdj48L2M+PGMgcj0iSDQiIHQ9InMiPjx2PjIwPC92
                    PjwvYz48YyByPSJJNCIgdD0icyI+PHY+MjE8L3Y+PC9jPjxjIHI9Iko0IiB0PSJzIj48dj4yMjwvdj48L2M+PC9yb3c+PC9zaGVl
                    dERhdGE+PC93b3Jrc2hlZXQ+
                    """, options: .ignoreUnknownCharacters)!, "0xE3", 2, 156
        ),
        (
            Data(
                base64Encoded: """
                    PD94IG9mZmljZTpkYXRlLXZhbHVlPSIyMDI0LTAzLTEyIm1sIHZlcnNpb249IjEuMCIgZW5jb2Rpbmc9IlVURi04IiBzdGFuZGFs
                    b25lPSJ5ZXMiPz4KPHdvcmtzaGVldCB4bWxucz0iaHR0cDovL3NjaGVtYXMub3BlbnhtbGZvcm1hdHMub3JnL3NwcmVhZHNoZWV0
                    bWwvMjAwNS9tYWluIj48c2hlZXREYXRhPjxyb3cgcj0iMSI+PGMgcj0iQTEiIHQ9InMiPjx2PjA8L3Y+PC9jPjxjIHI9IkIxIiB0
                    PSJzIj48dj4xPC92PjwvYz48YyByPSJDMSIgdD0icyI+PHY+Mjwvdj48L2M+PGMgcj0iRDEiIHQ9InMiPjx2PjM8L3Y+PC9jPjxj
                    IHI9IkUxIiB0PSJzIj48dj40PC92PjwvYz48YyByPSJGMSIgdD0icyI+PHY+NTwvdj48L2M+PGMgcj0iRzEiIHQ9InMiPjx2PjY8
                    L3Y+PC9jPjxjIHI9IkgxIiB0PSJzIj48dj43PC92PjwvYz48YyByPSJJMSIgdD0icyI+PHY+ODwvdj48L2M+PGMgcj0iSjEiIHQ9
                    InMiPjx2Pjk8L3Y+PC9jPjwvcm93Pjxyb3cgcj0iMiI+PGMgcj0iQTIiPjx2PjE4MDAxPC92PjwvYz48YyByPSJCMiIgdD0icyI+
                    PHY+MTA8L3Y+PC9jPjxjIHI9IkMyIiB0PSJzIj48dj4xMTwvdj48L2M+PGMgcj0iRDEiPjx2PjQ1MzkwLjQ8L3Y+PC9jPjxjIHI9
                    IkUyIj48dj40NTM5MC40PC92PjwvYz48YyByPSJHMiIgdD0icyI+PHY+MTI8L3Y+PC9jPjxjIHI9IkgyIiB0PSJzIj48dj4xMzwv
                    dj48L2M+PGMgcj0iSTIiPjx2PjIwMDA2NTY0Nzwvdj48L2M+PGMgcj0iSjIiIHQ9InMiPjx2PjE0PC92PjwvYz48L3Jvdz48cm93
                    IHI9IjMiPjxjIHI9IkEzIj48dj4xODAwMjwvdj48L2M+PGMgcj0iQjMiIHQ9InMiPjx2PjEwPC92PjwvYz48YyByPSJDMyIgdD0i
                    cyI+PHY+MTU8L3Y+PC9jPjxjIHI9IkQzIj48dj40NTM5MS42PC92PjwvYz48YyByPSJFMyI+PHY+NDUzOTEuNjwvdj48L2M+PGMg
                    cj0iRzMiIHQ9InMiPjx2PjE2PC92PjwvYz48YyByPSJIMyIgdD0icyI+PHY+MTc8L3Y+PC9jPjxjIHI9IkkzIj48dj4yLjAwMDIz
                    MDc1RTg8L3Y+PC9jPjxjIHI9IkozIiB0PSJzIj48dj4xNDwvdj48L2M+PC9yb3c+PHJvdyByPSI0Ij48YyByPSJBNCI+PHY+MTgw
                    MDM8L3Y+PC9jPjxjIHI9IkI0IiB0PSJzIj48dj4xMDwvdj48L2M+PGMgcj0iQzQiIHQ9InMiPjx2PjE4PC92PjwvYz48YyByPSJE
                    NCI+PHY+NDUzOTIuNTwvdj48L2M+PGMgcj0iRTQiPjx2PjQ1MzkyLjU8L3Y+PC9jPjxjIHI9Ikc0IiB0PSJzIj48dj4xOTwvdj48
                    L2M+PP//////////////////////////////////////////////////////////////////////////////////////////////
                    /////////////////////////////////////////////////////////////2Mgcj0iSDQiIHQ9InMiPjx2PjIwPC92PjwvYz48
                    YyByPSJJNCIgdD0icyI+PHY+MjE8L3Y+PC9jPjxjIHI9Iko0IiB0PSJzIj48dj4yMjwvdj48L2M+PC9yb3c+PC9zaGVldERhdGE+
                    PC93b3Jrc2hlZXQ+
                    """, options: .ignoreUnknownCharacters)!, "0xFF", 2, 1204
        ),
    ]

    static func rawXLSX(sheetData: Data) throws -> Data {
        let wb =
            #"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="Dossiers" sheetId="1"/></sheets></workbook>"#
        return try ZipFixture.zip([("xl/workbook.xml", Data(wb.utf8)), ("xl/worksheets/sheet1.xml", sheetData)])
    }

    static func rawODS(content: Data) throws -> Data {
        try ZipFixture.zip([
            ("mimetype", Data("application/vnd.oasis.opendocument.spreadsheet".utf8)), ("content.xml", content),
        ])
    }

    @Test(
        "The fuzzer's crashing inputs: refused with the part, the line and the byte, as the fuzz target feeds them and inside an XLSX and an ODS"
    )
    func fuzzCrashInputs() throws {
        for c in Self.fuzzCrashes {
            let why =
                "un octet \(c.byte) qui n'est pas de l'UTF-8 à la ligne \(c.line) (octet \(c.offset)) : une partie corrompue (les parties XLSX et ODS sont du XML en UTF-8)"
            // As fuzz-spreadsheet passes a non-ZIP input: a worksheet part, then an ODS content.xml.
            let sheet = #expect(throws: SpreadsheetError.self) {
                try SpreadsheetReader.parseXLSXSheet(
                    c.bytes, name: "Dossiers", source: "fuzz.xlsx", sharedStrings: ["ID", "État du dossier"])
            }
            #expect(sheet?.description == "fuzz.xlsx, feuille « Dossiers » : xl/worksheets/sheet1.xml : " + why)
            let content = #expect(throws: SpreadsheetError.self) {
                try SpreadsheetReader.parseODSContent(c.bytes, source: "fuzz.ods")
            }
            #expect(content?.description == "fuzz.ods : content.xml : " + why)
            // In a real archive.
            let xlsx = #expect(throws: SpreadsheetError.self) {
                try SpreadsheetReader.parse(try Self.rawXLSX(sheetData: c.bytes), source: "x.xlsx")
            }
            #expect(xlsx?.description == "x.xlsx, feuille « Dossiers » : xl/worksheets/sheet1.xml : " + why)
            let ods = #expect(throws: SpreadsheetError.self) {
                try SpreadsheetReader.parse(try Self.rawODS(content: c.bytes), source: "x.ods")
            }
            #expect(ods?.description == "x.ods : content.xml : " + why)
        }
    }

    @Test(
        "The fuzzer's first crashing input in an XLSX through the CLI: exit 2, the file, sheet, part, line and byte named, nothing written",
        .enabled(if: TestPaths.binary != nil, "\(TestPaths.noBinary)"))
    func fuzzCrashThroughCLI() throws {
        let p = try Self.file("dossiers.xlsx", try Self.rawXLSX(sheetData: Self.fuzzCrashes[0].bytes))
        try Self.refused(
            [p],
            mentions: [
                "dossiers.xlsx, feuille « Dossiers » : xl/worksheets/sheet1.xml : un octet 0xE3 qui n'est pas de l'UTF-8 à la ligne 2 (octet 156)"
            ])
    }

    /// The message of the error reading `xml` as sheet `S` of `s.xlsx`; "" when it is read.
    static func message(_ xml: [UInt8]) -> String {
        do {
            _ = try SpreadsheetReader.parseXLSXSheet(Data(xml), name: "S", source: "s.xlsx")
            return ""
        } catch { return "\(error)" }
    }
    static let open = Array(
        #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#.utf8)
    static let close = Array("</sheetData></worksheet>".utf8)
    /// A worksheet part with `middle` in its `sheetData`.
    static func sheet(_ middle: [UInt8]) -> [UInt8] { open + middle + close }

    @Test(
        "Bytes that trap FoundationXML wherever libxml2 hands a name over (element, attribute, comment, processing instruction), NUL, other encodings: refused"
    )
    func notUTF8() throws {
        let at = Self.open.count
        // Each of these trapped the process before the check (FoundationXML's UTF8STRING(…)!).
        #expect(
            Self.message(Self.sheet(Array("<".utf8) + [0xE3] + Array(" r=\"1\"/>".utf8)))
                == "s.xlsx, feuille « S » : xl/worksheets/sheet1.xml : un octet 0xE3 qui n'est pas de l'UTF-8 à la ligne 1 (octet \(at + 1)) : une partie corrompue (les parties XLSX et ODS sont du XML en UTF-8)"
        )
        #expect(
            Self.message(Self.sheet(Array("<row x".utf8) + [0xC3] + Array("=\"1\"/>".utf8))).contains(
                "un octet 0xC3 qui n'est pas de l'UTF-8 à la ligne 1 (octet \(at + 6))"))
        #expect(
            Self.message(Self.sheet(Array("<!-- ".utf8) + [0xFF] + Array(" -->".utf8))).contains(
                "un octet 0xFF qui n'est pas de l'UTF-8"))
        #expect(
            Self.message(Self.sheet(Array("<?pi".utf8) + [0x80] + Array(" x?>".utf8))).contains(
                "un octet 0x80 qui n'est pas de l'UTF-8"))
        // Overlong forms, surrogates, past U+10FFFF, a sequence cut short by the end of the part.
        for bad: [UInt8] in [
            [0xC0, 0xAF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80],
        ] {
            #expect(
                Self.message(Self.sheet(Array("<a".utf8) + bad + Array("/>".utf8))).contains(
                    "un octet 0x\(String(format: "%02X", bad[0])) qui n'est pas de l'UTF-8"), "\(bad)")
        }
        #expect(
            Self.message(Self.open + [0xE2, 0x82]).contains(
                "un octet 0xE2 qui n'est pas de l'UTF-8 à la ligne 1 (octet \(at))"))
        // A NUL byte, which XML forbids (and from which libxml2 guesses UTF-16), on line 3.
        #expect(
            Self.message(Array("<?xml version=\"1.0\"?>\n<worksheet>\n<".utf8) + [0] + Array("/></worksheet>".utf8))
                .contains("xl/worksheets/sheet1.xml : un octet NUL, interdit en XML, à la ligne 3 (octet 35)"))
        #expect(
            Self.message(Array("<\0a\0/\0>\0".utf8)).contains("un octet NUL, interdit en XML, à la ligne 1 (octet 1)"))
        // Another encoding declared, however spelt.
        for decl in [
            #"<?xml version="1.0" encoding="ISO-8859-1"?>"#, #"<?xml version='1.0' encoding = 'latin1' ?>"#,
            #"<?xml encoding="UTF-16" version="1.0"?>"#,
        ] {
            #expect(
                Self.message(Array(decl.utf8) + Self.sheet([])).contains(
                    "xl/worksheets/sheet1.xml : déclare l'encodage"),
                "\(decl)")
        }
    }

    @Test("UTF-8 in every spelling, a byte order mark, two-, three- and four-byte characters: read")
    func utf8Read() throws {
        let text = "Pays d'Héricourt – Grand Belfort 𝔸 ✓"
        let cell =
            Array(#"<row r="1"><c r="A1" t="inlineStr"><is><t>"#.utf8) + Array(text.utf8)
            + Array("</t></is></c></row>".utf8)
        for decl in [
            "", #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#, "<?xml version='1.0' encoding='utf8'?>",
            "\u{FEFF}<?xml version=\"1.0\"?>",
        ] {
            let s = try SpreadsheetReader.parseXLSXSheet(
                Data(Array(decl.utf8) + Self.sheet(cell)), name: "S", source: "s.xlsx")
            #expect(s.rows.first?.text(0) == text, "\(decl)")
        }
    }

    // MARK: Deflate data cut short (fuzz-spreadsheet's hang)

    /// The input on which fuzz-spreadsheet hung (timeout-29167190…): an XLSX whose
    /// xl/worksheets/sheet1.xml holds a deflate stream that does not end before the file does.
    /// ZIPFoundation 0.9.20 inflated it from the file past the entry, read uninitialised bytes, then
    /// looped for ever on empty reads at the end of the file.
    static let fuzzHang = Data(
        base64Encoded: """
                UEsDBBQAAAgIAAAAIVhFwp4XKgEAAMgEAAATAAAAW0NvbnRlbnRfVHlwZXNdLnhtbM2UzWpCMRCF932KkK2YqC2lFK8u+rNsC7UP
                ME3meoP5IxOtvn1zr1JKsUrBgqshmTnnfCQh4+naWbbCRCb4ig/FgDP0Kmjj5xV/mz32bzijDF6DDR4rvkHi08nFeLaJSKyIPVW8
                yTneSkmqQQckQkRfOnVIDnJZprmMoBYwRzkaDK6lCj6jz/3cevDJ+B5rWNrMHtZlewuS0BJnd9vBNqviEKM1CnLpy5XXP1L6uwRR
                lN0MNSZSrwxwuTeh7fwesNM9l5NJRiN7gZSfwJUpubbyI6TFewgLcdhkD2Woa6NQB7V0RSIoJgRNDWJ2VnRVODC+dzif8sYinTq9
                Mz2W3EBC/ZpTeR8nB/jufYSjvYFOR7IrwxOzfPn/kWN0JhyXZ8Jx9d8csvuIJp9QSwMEFAAACAgAAAAhWAZZx4KxAAAAKAEAAAsA
                AABfcmVscy8ucmVsc43PsQ6CMBAG4N2naG6XgoMxhsJiTFgNPkBtj0KAXtNWhbe3oxoHx8v99/25sl7miT3Qh4GsgCLLgaFVpAdr
                BFzb8/YALERptZzIooAVA9TVprzgJGO6Cf3gAkuIDQL6GN2R86B6nGXIyKFNm478LGMaveFOqlEa5Ls833P/bkD1YbJGC/CNLoC1
                q8N/bOq6QeGJ1H1GG39UfCWSLL3BKGCZ+JP8eCMas4QCr0r+8WD1AlBLAwQUAAAICAAAACFY5oWqOfUAAAC7AQAADwAAAHhsL3dv
                cmtib29rLnhtbI2QTU7DMBCF95zCmlVZUOenQihKUiFapOxYwAGcZNJYjT2RxxS4PQ6lkumKle2Z972Z53L7aSZxQseabAXpOgGB
                tqNe20MFb6/Pdw8g2Cvbq4ksVvCFDNv6pvwgd2yJjiLwlisYvZ8LKbkb0She04w2dAZyRvnwdAfJs0PV84jozSSzJLmXRmkLZ4fC
                /ceDhkF3uKPu3aD1ZxOHk/Jhex71zFCXPxP49xRWmbD1jph1CBmyLNWmD1FBuEKHi2v6FORf/d6rdtLMuIyJqSyismvq8aRjbR5p
                82vtKsuT9FbsX54aYdC0DmN0E6GbBZWXVPLy8fU3UEsDBBQAAAgIAAAAIVgE7eT67gAAANwDAAAaAAAAeGwvX3JlbHMvd29ya2Jv
                b2sueG1sLnJlbHO9k89qwzAMh+97CqN74yTtyhh1ehmDXrfuAYyjxKGJbSztT95+ZmMlhRJ2KDkJyej7fQdrt/8aevGBkTrvFBRZ
                DgKd8XXnWgVvx+fVAwhi7Wrde4cKRiTYV3e7F+w1px2yXSCRII4UWObwKCUZi4OmzAd06aXxcdCc2tjKoM1JtyjLPN/KOGVAdcEU
                h1pBPNQFiOMY8D9s3zSdwSdv3gd0fCVCfvp4IovICapji6zgPCL5U4osUUFelykXlinnZNYLy6znZDYLy2zmZO5vKUM89unPn01+
                +7n47U3jrY5Yv3JMBzm1mI7/ZOTFUVbfUEsDBBQAAAgIAAAAIVi5HJ6iKgEAAGICAAANAAAAeGwvc3R5bGVzLnhtbKWSwW7DIAyG
                73sKxH2lqbRpmgg9TKq0cztpV5qQBAlMBG7V7OlnQrq1px128m/j/wMDcnvxjp1NTDZAzavVmjMDTWgt9DX/OOweXzhLqKHVLoCp
                +WQS36oHmXByZj8Yg4wIkGo+II6vQqRmMF6nVRgN0EoXotdIaexFGqPRbcom78RmvX4WXlvgSnYBMLEmnADpEEtByfTFztpRpeJC
                SdDelPxNO3uMNhdF6ZxDIp917ge04aWg5KgRTYQdJWzRh2mkcYCGKpi574/uPuqp2jzdGOZA+x5DbOkSb0coJSWd6ZAM0fZGjkMY
                kRcRgyfRWt0H0C4jr45FELYxzu3zTX92d+xLx+Dkdx7f25rTk+Xpr5IOtMiCKUnm39IK+99Ydunu+TNa/P4O9Q1QSwMEFAAACAgA
                AAAhWF3ZGw5BAgAAjggAABQAAAB4bC9zaGFyZWRTdHJpbmdzLnhtbJ1WPXPTQBDt+RU7agJFIhMmQDK2Q5AT4hlgMk5If9Zt5GN0
                d+L2LhN3tNT8AUrcUPEP9E/4JaxsCKZhVlT62ne7evfek4bHd7aGWwxkvBtlj/cGGaArvTauGmXvrs52n2dAUTmtau9wlC2RsuPx
                gyFRBIY6GmWLGJujPKdygVbRnm/Q8ZMbH6yKfBmqnJqAStMCMdo63x8MnuZWGZdB6ZOLo+wJN0nOfEhY3N8YD8mMh+smR9Soknvz
                KoThFrPxdDLM43iYdyX/KDvlLrWosv0UVQSdQHsig0EEmmBwpv0aEKwhhPYLvPcpQI0ydLtqPLUraf2Foq4aHRhHMaQy8pZJwW+9
                7d4uYggmesMj6x3jdOKFjGyF04tiCo0PEZOMnW0APCy8xkf/getYUnxu0UUZvmSxGq1iCvgC75Rtaty7EY78F7dCYoOGs6Acq3+3
                8Da2KxGuOIELtSTQCG+8i/N2VRvFS51UVe1tuwpKPML+Afz4+BkmPs1JBDgpS2ykg66nPPeh9pXQFkXRSe3+7VT7jbkRIWd4k0g4
                10vsIiYCYZJZnBl/xfuk4RdSxu2Aw+pwcLAvqj4crHfiastl2KvdZJM+IMy3YsHyFufbvDZEayPB5XR2eiUCTl0MXvcwxKyLNUey
                DX9tKtcjfizaeehd3zt8fsP6Z08nfSS49lTxgV1wmbTcZXrnnI1v+KMolMuzjd7OVYq4e6na70IyNw7l2bak2gN4repNbjE3KvXJ
                hFp1iA48S6zF5R9szj8U459QSwMEFAAACAgAAAAhWFiQ/uZtAQAACQUAABgAAAB4bC93b3Jrc2hlZXRzL3NoZWV0MS54bWyN1N1O
                gzAUwPF7n4L0XlpK2YcBFhkMt2t9gIbVbXGUhZJN3946TNNzYoh3wC89KX8a0tVnew6uqjenTmckChkJlG66/UkfMvL2unlckMAM
                Uu/ludMqI1/KkFX+kN66/sMclRoCO0CbjByH4fJEqWmOqpUm7C5KW3nv+lYO9rY/UHPpldzfF7Vnyhmb0VaeNMnT+7NSDjJP++4W
                9HYj9mnzc/EckWDIiLH315yl9JqntPm1wrcI2to3Dq30LYZW+SagbXxLoNW+zaC9+DaHtvVtAW3n29IZtY1cKO5C8THDgjGUouB+
                JtRwDRCtLMeZIomXLEQxqgmrwVBU/wUgyr8dp9rDwWbJTKBYO7BU/F0kdkViVwRtoYinigBEn7mM3VtHIfrM1YTVYCg+HwDxARmn
                8tAm4TGbZmZpY2U6MS4wIiB4bWxuczp0YWJsZT0idXJuOm9hc2lzOm5hbWVzOnRjOm9wZW5kb2N1bWVudDp4bWxuczp0YWJsZTox
                LjAiIHhtbG5zOnRleHQ9InVybjpvYXNpczpuYW1lczp0YzpvcGVuZG9jdW1lbnQ6eG1sbnM6dGV4dDoxLjAiPjxvZmZpY2U6Ym9k
                eT48b2ZmaWNlOnNwcmVhZHNoZWV0Pjx0YWJsZTp0YWJsZSB0YWJsZTpuYW1lPSJEb3NzaWVycyI+PHRhYmxlOnRhYmxlLXJvdz49
                dGFibGU6dGFibGUtY2VsbCBvZmZpY2U6dmFsdWUtdHlwZT0ic3RyaW5nIj48dGV4dDpwPklEPC90ZXh0OnA+PC90YWJsZTp0YWJs
                ZS1jZWxsPjx0YWJsZTp0YWJsZS1jZWxsIG9mZmljZTp2YWx1ZS10eXBlPSJzdHJpbmciIHRhYmxlOm51JW1iZXItY29sdW1ucy1z
                cGFubmVkPSIyIj48dGV4dDpwPsOJdGF0IGR1IGRvc3NpZXI8L3RleHQ6cD48L3RhYmxlOnRhYmxlLWNlbGw+PHRhYmxlOmNvdmVy
                ZWQtdGFibGUtY2VsbC8+PC90YWJsZTp0YWJsZS1yb3c+PHRhYmxlOnRhYmxlLXJvdyB0YWJsZTpudW1iZXItcm93cy1yZXBlYXRl
                ZD0iMiI+PHRhYmxlOnRhYmxlLWNlbGwgb2ZmaWNlOnZhbHVlOi10eXBlPSJmbG9hdCIgb2ZmaWNlOnZhbHVlPSIyMDAwNjU2NDci
                Pjx0ZXh0OnA+MjAwMDY1NjQ3PC90ZXh0OnA+PC90YWJsZTp0YWJsZS1jZWxsPjx0YWJsZTp0YWJsZS1jZWxsIHRhYmxlOm51bWJl
                ci1jb2x1bW5zLXJlcGVhdGVkPSIzIi8+PHRhYmxlOnRhYmxlLWNlbGwgb2ZmaWNlOnZhbHVlLXR5cGU9ImRhdGUiIG9mZmljZTpk
                YXRlLXZhbHVlPSIyMDI0LTAzLTEyIi8+PC90YWJsZTp0YWJsZS1yb3c+PC90YWJsZTp0YWJsZT48L29mZmljZTpzcHJlYWRzaGVl
                dD48L29mZmljZTpib2R5Pjwvb2bR0o+Ws6MHIsBoGXaXIJOhhImVS4UJ0LCSD2SivJjyYiD5jZo8RSoUU0BMjWJMEkEpoFVYSmcS
                S71YOiuWTp6iNBRLgVgaiHEJ8qzS/8RwcEtgf/0Uv1BLAQIVAxQAAAgIAAAAIVhFwp4XKgEAAMgEAAATAAAAAAAAAAAAAACkgQAA
                AABbQ29udGVudF9UeXBlc10ueG1sUEsBAhUDFAAACAgAAAAhWAZZx4KxAAAAKAEAAAsAAAAAAAAAAAAAAKSBWwEAAF9yZWxzLy5y
                ZWxzUEsBAhUDFAAACAgAAAAhWOaFqjn1AAAAuwEAAA8AAAAAAAAAAAAAAKSBNQIAAHhsL3dvcmtib29rLnhtbFBLAQIVAxQAAAgI
                AAAAIVgE7eT67gAAANwDAAAaAAAAAAAAAAAAAACkgVcDAAB4bC9fcmVscy93b3JrYm9vay54bWwucmVsc1BLAQIVAxQAAAgIAAAA
                Ili5HJ6iKgEAAGICAAANAAAAAAAAAAAAAACkgX0EAAB4bC9zdHlsZXMueG1sUEsBAhUDFAAACAgAAAAhWF3ZGw5BAgAAjggAABQA
                AAAAAAAAAAAAAKSB0gUAAHhsL3NoYXJlZFN0cmluZ3MueG1sUEsBAhUDFAAACAgAAAAhWFiQ/uZtAQAACQUAABgAAAAAAAAAAAAA
                AKSBRQgAAHhsL3dvcmtzaGVldHMvc2hlZXQxLnhtbFBLAQIVAxQAAAgIAAAAIVhJHrQFsQAAABABAAAYAAAAAAAAAAAAAACkgegJ
                AAB4bC93b3Jrc2hlZXRzL3NoZWV0Mi54bWxQSwECFQMUAAAICAAAACFYXzndUrEAAAAQAQAAGAAAAAAAAAAAAAAApIHPCgAAeGwv
                d29ya3NoZWV0cy9zaGVldDMueG1sUEsBAhUDFAAACAgAAAAhWG5G6JhiAQAAwgQAABgAAAAAAAAAAAAAAKSBtgsAAHhsL3dvcmtz
                aGVldHMvc2hlZXQ0LnhtbFBLBQYAAAAACgAKAJQCAABODQAAAAA=
            """, options: .ignoreUnknownCharacters)!

    @Test(
        "Deflate data cut short or running past the file: refused at once, never inflated past the entry (the fuzzer's hang)",
        .timeLimit(.minutes(1)))
    func truncatedDeflate() throws {
        func message(_ data: Data) -> String {
            do {
                _ = try SpreadsheetReader.parse(data, source: "x.xlsx")
                return ""
            } catch { return "\(error)" }
        }
        #expect(
            message(Self.fuzzHang)
                == "x.xlsx : xl/worksheets/sheet1.xml : entrée ZIP corrompue ou chiffrée (données deflate tronquées)")
        let good = try XLSXFixture.data(Self.export([Self.dossier("7")]))
        #expect(message(good) == "")
        // The directory gives the sheet 10 compressed bytes: the stream has not ended there.
        #expect(
            message(Self.declare(10, for: "xl/worksheets/sheet1.xml", in: good, compressed: true))
                == "x.xlsx : xl/worksheets/sheet1.xml : entrée ZIP corrompue ou chiffrée (données deflate tronquées)")
        #expect(
            message(Self.declare(0x7FFF_FFFF, for: "xl/worksheets/sheet1.xml", in: good, compressed: true))
                == "x.xlsx : xl/worksheets/sheet1.xml : entrée ZIP corrompue ou chiffrée (ses 2147483647 octets compressés dépassent la fin du fichier)"
        )
    }

    // MARK: Processing instructions and late DTDs (fuzz-spreadsheet's second crash)

    @Test(
        "A processing instruction without data (the fuzzer's crash-ef5be002…, strlen(NULL) in FoundationXML) or any other besides the XML declaration, a DTD past the first 4 kB: refused"
    )
    func processingInstructions() throws {
        func message(_ xml: String) -> String {
            do {
                _ = try SpreadsheetReader.parseXLSXSheet(Data(xml.utf8), name: "S", source: "s.xlsx")
                return ""
            } catch { return "\(error)" }
        }
        // The crashing input, as the fuzz target feeds it: a worksheet part, then an ODS content.xml.
        let crash = "<?seta.0?>tml/2"
        #expect(
            message(crash)
                == "s.xlsx, feuille « S » : xl/worksheets/sheet1.xml : une instruction de traitement <?…?> à la ligne 1 (octet 0), ce qu'une partie de classeur ne contient jamais hors de la déclaration XML"
        )
        #expect(throws: SpreadsheetError.self) {
            try SpreadsheetReader.parseODSContent(Data(crash.utf8), source: "fuzz.ods")
        }
        let ns = #"xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main""#
        // `<?xml?>` is a PI to libxml2 (a declaration needs a blank after `<?xml`); one after the declaration.
        #expect(
            message("<?xml?><worksheet \(ns)/>").contains("une instruction de traitement <?…?> à la ligne 1 (octet 0)"))
        #expect(
            message(#"<?xml version="1.0"?>"# + "\n" + #"<?mso-application progid="Excel.Sheet"?><worksheet \#(ns)/>"#)
                .contains("une instruction de traitement <?…?> à la ligne 2 (octet 22)"))
        #expect(
            message(
                "<worksheet \(ns)><sheetData><row r=\"1\"><c r=\"A1\"><v>1</v></c><?x?></row></sheetData></worksheet>"
            )
            .contains("une instruction de traitement"))
        // A DTD after 5,000 bytes of comment (the check looked at the first 4,096 only): its
        // #REQUIRED attribute declaration has no default value, another NULL FoundationXML reads.
        let late =
            "<!--" + String(repeating: " ", count: 5000)
            + "-->\n<!DOCTYPE worksheet [<!ATTLIST worksheet a CDATA #REQUIRED>]><worksheet \(ns)/>"
        #expect(
            message(late).contains(
                "xl/worksheets/sheet1.xml : une déclaration de type de document XML (DTD) à la ligne 2"))
        // A declaration with a byte order mark, then the sheet: read.
        #expect(
            message("\u{FEFF}<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<worksheet \(ns)><sheetData/></worksheet>")
                == "")
    }

    @Test(
        "A worksheet holding <?x?> through the CLI: exit 2, the file, sheet and part named, nothing written",
        .enabled(if: TestPaths.binary != nil, "\(TestPaths.noBinary)"))
    func processingInstructionThroughCLI() throws {
        let p = try Self.file("dossiers.xlsx", try Self.rawXLSX(sheetData: Data("<?x?><worksheet/>".utf8)))
        try Self.refused(
            [p],
            mentions: [
                "dossiers.xlsx, feuille « Dossiers » : xl/worksheets/sheet1.xml : une instruction de traitement <?…?> à la ligne 1 (octet 0)"
            ])
    }
}
