import Foundation
import PerimetreAnalysis
import PerimetreData
import PerimetreTestSupport
import Testing

// Démarches Simplifiées exports written by the tests, following the export rules of the DS source
// (app/services/procedure_export_service.rb, app/models/champs/): a `Dossiers` sheet with the fixed
// columns, then one or more columns per champ (an EPCI champ: `<libellé>`, `<libellé> (Code)`,
// `<libellé> (Département)` as "21 – Côte-d'Or"), `Etablissements` and `Avis` sheets, and one
// sheet per repeated block named `(<stable_id>) <libellé>` with `Dossier ID`, `Ligne`, its champs.
// XLSX written by the library's XLSXWriter (ZIPFoundation, fixed entry dates: same tables, same
// bytes), ODS written here.

/// A cell as a spreadsheet stores it (the library's XLSX writer's cells, also written as ODS here).
typealias DSCell = XLSXWriter.Cell

struct DSSheet {
    var name: String
    var rows: [[DSCell]]
    /// XLSX merged ranges (`A1:C1`).
    var merges: [String] = []
}

func xmlEscape(_ s: String) -> String { XLSXWriter.escape(s) }

enum ZipFixture {
    static func zip(_ entries: [(String, Data)]) throws -> Data { try XLSXWriter.zip(entries) }
}

enum XLSXFixture {
    static func data(_ sheets: [DSSheet]) throws -> Data {
        try XLSXWriter.data(sheets.map { XLSXWriter.Sheet(name: $0.name, rows: $0.rows, merges: $0.merges) })
    }
}

enum ODSFixture {
    static func data(_ sheets: [DSSheet]) throws -> Data {
        var x = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        x +=
            #"<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3"><office:body><office:spreadsheet>"#
        for sheet in sheets {
            x += "<table:table table:name=\"\(xmlEscape(sheet.name))\">"
            for row in sheet.rows {
                x += "<table:table-row>"
                var empties = 0
                func flush() {
                    if empties > 0 {
                        x +=
                            empties == 1
                            ? "<table:table-cell/>" : "<table:table-cell table:number-columns-repeated=\"\(empties)\"/>"
                    }
                    empties = 0
                }
                for cell in row {
                    switch cell {
                    case .empty: empties += 1
                    case .text(let s), .inline(let s):
                        flush()
                        x +=
                            "<table:table-cell office:value-type=\"string\"><text:p>\(xmlEscape(s))</text:p></table:table-cell>"
                    case .number(let n):
                        flush()
                        x +=
                            "<table:table-cell office:value-type=\"float\" office:value=\"\(n)\"><text:p>\(n)</text:p></table:table-cell>"
                    }
                }
                // LibreOffice repeats the empty cells to the last column.
                empties += 1000
                flush()
                x += "</table:table-row>"
            }
            // …and the empty rows to the last row.
            x +=
                "<table:table-row table:number-rows-repeated=\"1048000\"><table:table-cell table:number-columns-repeated=\"1024\"/></table:table-row>"
            x += "</table:table>"
        }
        x += "</office:spreadsheet></office:body></office:document-content>"
        let manifest = #"""
            <?xml version="1.0" encoding="UTF-8"?>
            <manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>
            """#
        return try ZipFixture.zip([
            ("mimetype", Data("application/vnd.oasis.opendocument.spreadsheet".utf8)),
            ("META-INF/manifest.xml", Data(manifest.utf8)), ("content.xml", Data(x.utf8)),
        ])
    }
}

// MARK: - The 183 Territoires d'industrie as a DS export

/// The TI list of 2023-2027 as the DS export of a candidature procedure: one dossier per territory
/// (plus one `Refusé` and one `Classé sans suite` that the audit must leave out), the first EPCI in
/// the champ "EPCI porteur" of the Dossiers sheet, the others in the repeated block "EPCI membres".
/// Members given in the list by a commune SIREN go to a "Communes membres" block as commune champs
/// (INSEE code from BANATIC, as DS's commune champ holds it); the three EPT of the Métropole du Grand
/// Paris, which the DS EPCI champ does not offer (it lists EPCI à fiscalité propre), go to a text
/// champ "SIREN d'un autre membre (EPT)" of a third block.
struct TIExportFixture {
    struct Dossier {
        var number: Int
        var ti: String
        var name: String
        var state: String
        var epci: [String]
        var communes: [(insee: String, name: String)]
        var others: [String]
    }
    var dossiers: [Dossier] = []
    /// Departement label of an EPCI, "21 – Côte-d'Or", as DS writes it.
    var departement: [String: String] = [:]
    var epciName: [String: String] = [:]
    var region: [String: String] = [:]

    static let states = ["En instruction", "En instruction", "Accepté", "En construction", "En instruction"]

    init(limit: Int? = nil) throws {
        let list = try ATTIList(TestPaths.tiMembers2023)
        let banatic = try parseCSV(TestPaths.banaticSIREN)
        let si = try #require(banatic.header.firstIndex(of: "siren"))
        let ii = try #require(banatic.header.firstIndex(of: "insee"))
        let ni = try #require(banatic.header.firstIndex(of: "nom_com"))
        var commune: [String: (String, String)] = [:]
        for r in banatic.rows { commune[r[si]] = (r[ii], r[ni]) }
        let data = try geoData()
        for (k, ti) in list.order.prefix(limit ?? list.order.count).enumerated() {
            var d = Dossier(
                number: 41_000 + k, ti: ti, name: list.names[ti]!, state: Self.states[k % 5], epci: [], communes: [],
                others: [])
            for m in list.members[ti]! {
                switch list.types[m] {
                case "COM": d.communes.append(try #require(commune[m], "commune SIREN \(m) not in BANATIC"))
                case "EPT": d.others.append(m)
                default: d.epci.append(m)
                }
            }
            dossiers.append(d)
        }
        for e in data.epci.values {
            let dep = e.departements.first ?? ""
            departement[e.code] = "\(dep) – \(data.departements[dep]?.name ?? dep)"
            epciName[e.code] = e.name
            region[e.code] = e.regions.first ?? ""
        }
    }

    static let dossierHeader = [
        "ID", "Email", "FranceConnect ?", "Civilité", "Nom", "Prénom", "À archiver", "État du dossier",
        "Dernière mise à jour le", "Déposé le", "Passé en instruction le", "Traité le",
        "Motivation de la décision", "Instructeurs", "Nom du territoire d'industrie",
        "EPCI porteur", "EPCI porteur (Code)", "EPCI porteur (Département)",
        "Région du territoire", "Région du territoire (Code)", "Contact référent",
    ]

    /// A SIREN as a number cell; every seventh in Excel's exponent form (`2.00065647E8`).
    static func sirenCell(_ code: String, _ k: Int) -> DSCell {
        if k % 7 == 0 { return .number("\(code.prefix(1)).\(code.dropFirst())E8") }
        return k % 3 == 0 ? .text(code) : .number(code)
    }

    /// The workbook: Dossiers, Etablissements, Avis, then the three repeated blocks.
    func sheets(extraDossiers: Bool = true) -> [DSSheet] {
        var rows: [[DSCell]] = [Self.dossierHeader.map { .text($0) }]
        var blocks: [[[DSCell]]] = [
            [
                ["Dossier ID", "Ligne", "EPCI membre", "EPCI membre (Code)", "EPCI membre (Département)"].map {
                    .text($0)
                }
            ],
            [
                [
                    "Dossier ID", "Ligne", "Commune membre", "Commune membre (Code insee)",
                    "Commune membre (Département)",
                ].map { .text($0) }
            ],
            [["Dossier ID", "Ligne", "SIREN d'un autre membre (EPT)"].map { .text($0) }],
        ]
        var all = dossiers
        if extraDossiers, let first = dossiers.first {
            // Left out by the default état filter: were they read, they would claim the first territory's EPCI.
            all.append(
                Dossier(
                    number: 49_001, ti: "", name: "Candidature refusée", state: "Refusé", epci: first.epci,
                    communes: [], others: []))
            all.append(
                Dossier(
                    number: 49_002, ti: "", name: "Candidature retirée", state: "Classé sans suite", epci: first.epci,
                    communes: [], others: []))
        }
        for (k, d) in all.enumerated() {
            rows.append(dossierRow(d, k))
            appendBlocks(d, k, to: &blocks)
        }
        return [
            DSSheet(name: "Dossiers", rows: rows),
            DSSheet(
                name: "Etablissements",
                rows: [["Dossier ID", "Champ", "Établissement SIRET", "Entreprise SIREN"].map { .text($0) }]),
            DSSheet(name: "Avis", rows: [["Dossier ID", "Introduction", "Réponse"].map { .text($0) }]),
            DSSheet(name: "(4711) EPCI membres", rows: blocks[0]),
            DSSheet(name: "(4712) Communes membres", rows: blocks[1]),
            DSSheet(name: "(4713) Autres membres", rows: blocks[2]),
        ]
    }

    /// A dossier's row of the Dossiers sheet (`k`: its rank, which varies the cells' forms).
    func dossierRow(_ d: Dossier, _ k: Int) -> [DSCell] {
        let porteur = d.epci.first
        var row: [DSCell] = [
            .number(String(d.number)), .text("contact\(k)@example.fr"), .text("false"),
            .text(k % 2 == 0 ? "Mme" : "M."),
            .text("Nom\(k)"), .text("Prénom\(k)"), .text("false"), .text(d.state),
            .number(String(45_300 + k) + ".5"), .number(String(45_200 + k) + ".4375"), .empty, .empty, .empty,
            .text("instruction@example.fr"), .text(d.name),
        ]
        if let p = porteur {
            row += [.text(epciName[p] ?? p), Self.sirenCell(p, k), .text(departement[p] ?? " – ")]
        } else {
            row += [.empty, .empty, .text(" – ")]
        }
        let reg = porteur.flatMap { region[$0] } ?? ""
        row += [
            .text(reg.isEmpty ? "" : "Région \(reg)"), reg.isEmpty ? .empty : .text(reg), .text("Référent \(k)"),
        ]
        return row
    }

    /// A dossier's rows of the three repeated blocks: its other EPCI, its communes, its other members.
    func appendBlocks(_ d: Dossier, _ k: Int, to blocks: inout [[[DSCell]]]) {
        for (l, e) in d.epci.dropFirst().enumerated() {
            blocks[0].append([
                .number(String(d.number)), .number(String(l + 1)), .text(epciName[e] ?? e),
                Self.sirenCell(e, k + l),
                .text(departement[e] ?? " – "),
            ])
        }
        for (l, c) in d.communes.enumerated() {
            let dep = c.insee.hasPrefix("97") ? String(c.insee.prefix(3)) : String(c.insee.prefix(2))
            blocks[1].append([
                .number(String(d.number)), .number(String(l + 1)), .text("\(c.name) (\(dep)000)"), .text(c.insee),
                .text("\(dep) – Département"),
            ])
        }
        for (l, o) in d.others.enumerated() {
            blocks[2].append([.number(String(d.number)), .number(String(l + 1)), .text(o)])
        }
    }

    /// The members of dossier `number` as the TI list gives them (commune SIREN → INSEE).
    func expectedMembers(_ d: Dossier) -> [String] { d.epci + d.communes.map(\.insee) + d.others }
}

/// Writes `data` into a fresh scratch directory as `name`; returns the path.
func writeData(_ dir: URL, _ name: String, _ data: Data) throws -> String {
    let u = dir.appendingPathComponent(name)
    try data.write(to: u)
    return u.path
}

// MARK: - Samples/ds-franche-comte.xlsx

/// The sample DS export of `Samples/`: three candidatures of Franche-Comté as a procedure would
/// export them (the real EPCI of two Territoires d'industrie, ti-2708 and ti-2709), one EPCI given
/// by its name only, one SIREN in Excel's exponent form, and a refused dossier that the default
/// état filter leaves out. `PERIMETRE_WRITE_SAMPLES=1 swift test --filter sampleExport` rewrites it.
enum SampleExport {
    static let path = TestPaths.packageRoot + "/Samples/ds-franche-comte.xlsx"

    static func sheets() -> [DSSheet] {
        let header = [
            "ID", "Email", "État du dossier", "Dernière mise à jour le", "Déposé le", "Passé en instruction le",
            "Nom du territoire d'industrie", "EPCI porteur", "EPCI porteur (Code)", "EPCI porteur (Département)",
        ]
        func dossier(
            _ id: String, _ state: String, _ deposited: String, _ name: String, _ epci: String, _ code: DSCell,
            _ dep: String
        ) -> [DSCell] {
            [
                .number(id), .text("candidature@example.fr"), .text(state), .number(deposited), .number(deposited),
                .empty,
                .text(name), .text(epci), code, .text(dep),
            ]
        }
        let dossiers: [[DSCell]] = [
            header.map { .text($0) },
            dossier(
                "18001", "En instruction", "45390.4", "Nord Franche-Comté", "CA Pays de Montbéliard Agglomération",
                .number("200065647"), "25 – Doubs"),
            dossier(
                "18002", "Accepté", "45391.6", "Pays Horloger", "CC du Pays de Maîche", .number("2.00023075E8"),
                "25 – Doubs"),
            dossier(
                "18003", "Refusé", "45392.5", "Belfort seul", "CA Grand Belfort", .text("200069052"),
                "90 – Territoire de Belfort"),
        ]
        let block: [[DSCell]] = [
            ["Dossier ID", "Ligne", "EPCI membre", "EPCI membre (Code)", "EPCI membre (Département)"].map { .text($0) },
            [
                .number("18001"), .number("1"), .text("CA Grand Belfort"), .number("200069052"),
                .text("90 – Territoire de Belfort"),
            ],
            [
                .number("18001"), .number("2"), .text("CC des Vosges du Sud"), .number("200069060"),
                .text("90 – Territoire de Belfort"),
            ],
            [.number("18001"), .number("3"), .text("Pays d'Héricourt"), .empty, .text("70 – Haute-Saône")],
            [
                .number("18001"), .number("4"), .text("CC du Sud Territoire"), .number("249000241"),
                .text("90 – Territoire de Belfort"),
            ],
            [.number("18002"), .number("1"), .text("CC du Val de Morteau"), .number("242504116"), .text("25 – Doubs")],
            [
                .number("18002"), .number("2"), .text("CC du Plateau de Russey"), .number("242504355"),
                .text("25 – Doubs"),
            ],
        ]
        return [
            DSSheet(name: "Dossiers", rows: dossiers),
            DSSheet(name: "Etablissements", rows: [["Dossier ID", "Champ", "Établissement SIRET"].map { .text($0) }]),
            DSSheet(name: "Avis", rows: [["Dossier ID", "Introduction", "Réponse"].map { .text($0) }]),
            DSSheet(name: "(2301) EPCI membres", rows: block),
        ]
    }
}
