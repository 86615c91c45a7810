import Foundation
import PerimetreData
import PerimetreGeometry

/// Turns the tables of a DS export into dossiers: finds the `Dossiers` table and its columns, the
/// member champs, the repetition sheets, and checks what the audit relies on (one row per
/// dossier, an état it knows, at least one member or drawn area per dossier kept).
struct ExportReader {
    typealias DS = DemarchesSimplifiees
    let options: DS.Options
    var dossiers: [DS.Dossier] = []
    var index: [String: Int] = [:]
    /// Every dossier met in a `Dossiers` table, kept or not: where it is.
    var seen: [String: String] = [:]
    var leftOut: [String: DS.State] = [:]
    var notes: [String] = []
    var sources: [String] = []
    /// Member champs found, by folded label (to check `--ds-members`).
    var champLabels: Set<String> = []
    var champCount = 0
    /// The kept dossiers' rows, to name them when they end up with no member.
    var rowOf: [String: (table: Table, row: Int, columns: [Int])] = [:]
    var readTables = false

    init(options: DS.Options) { self.options = options }

    // MARK: Spreadsheets

    mutating func add(_ book: Spreadsheet) throws {
        sources.append(book.source)
        let tables = book.sheets.compactMap { Table(sheet: $0, source: book.source) }
        func isDossiers(_ t: Table) -> Bool { t.column(DS.idKeys.contains) != nil && t.column(DS.isStateKey) != nil }
        guard
            let main = tables.first(where: {
                GeoData.fold($0.sheet ?? "") == "dossiers" && $0.column(DS.idKeys.contains) != nil
            })
                ?? tables.first(where: isDossiers)
        else {
            let sheets = book.sheets.map { s in
                let h = Table(sheet: s, source: book.source)?.header.prefix(6).joined(separator: ", ") ?? "vide"
                return "\"\(s.name)\" (\(h))"
            }
            throw SpreadsheetError(
                source: book.source,
                message: """
                    pas un export Démarches Simplifiées : aucune feuille « Dossiers » avec les colonnes ID et État du dossier \
                    (feuilles : \(sheets.joined(separator: " ; ")))
                    """)
        }
        var repetitions: [Table] = []
        for t in tables where t.sheet != main.sheet {
            let k = GeoData.fold(t.sheet ?? "")
            if k == "etablissements" || k == "avis" || k == "dossiers" { continue }
            if t.column({ $0 == "dossier id" || $0 == "id dossier" || $0 == "id du dossier" }) != nil {
                repetitions.append(t)
            } else {
                notes.append("Feuille « \(t.sheet ?? "") » ignorée : ni colonne « Dossier ID » ni bloc répétable.")
            }
        }
        try addDossiers(main, repetitions: repetitions)
    }

    // MARK: The Dossiers table

    mutating func addDossiers(_ t: Table, repetitions: [Table]) throws {
        if !sources.contains(t.source) { sources.append(t.source) }
        readTables = true
        let columns = try dossierColumns(t)
        for (number, cells) in t.rows { try addDossier(cells, row: number, columns: columns, table: t) }
        for r in repetitions { try addRepetition(r) }
    }

    /// The columns of a `Dossiers` table the audit reads.
    struct DossierColumns {
        var id: Int
        var state: Int?
        var deposit: Int?
        var name: Int?
        var champs: [MemberChamp]
    }

    /// Finds the columns of a `Dossiers` table, and says which were taken for what.
    mutating func dossierColumns(_ t: Table) throws -> DossierColumns {
        guard let idCol = t.column(DS.idKeys.contains) else {
            throw t.error(
                t.headerRow, nil,
                "pas un export Démarches Simplifiées : pas de colonne ID (en-tête : \(t.header.prefix(10).joined(separator: ", ")))"
            )
        }
        let stateCol = t.column(DS.isStateKey)
        let champs = try memberChamps(t)
        if stateCol == nil && champs.isEmpty {
            throw t.error(
                t.headerRow, nil,
                "pas un export Démarches Simplifiées : ni colonne « État du dossier » ni champ EPCI ou commune (en-tête : \(t.header.prefix(10).joined(separator: ", ")))"
            )
        }
        let depositCol = t.column(DS.isDepositKey)
        note(t, idCol, canonical: "ID", role: "le numéro du dossier")
        if let c = stateCol {
            note(t, c, canonical: "État du dossier", role: "l'état du dossier")
        } else {
            notes.append("\(t.source) : aucune colonne « État du dossier » ; tous les dossiers sont retenus.")
        }
        if let c = depositCol { note(t, c, canonical: "Déposé le", role: "la date de dépôt") }
        let nameCol = try nameColumn(t, excluding: Set(champs.flatMap(\.columns)))
        return DossierColumns(id: idCol, state: stateCol, deposit: depositCol, name: nameCol, champs: champs)
    }

    /// One row of a `Dossiers` table: a dossier kept, or left out for its état.
    mutating func addDossier(
        _ cells: [Spreadsheet.Cell], row number: Int, columns c: DossierColumns, table t: Table
    )
        throws
    {
        let id = cells[c.id].text.trimmed()
        if id.isEmpty { throw t.error(number, c.id, "ID de dossier vide") }
        let place = t.place(number)
        if let first = seen[id] {
            throw t.error(
                number, c.id,
                "le dossier \(id) apparaît deux fois (d'abord en \(first)) : donnez chaque fichier de l'export une seule fois"
            )
        }
        seen[id] = place
        var state: DS.State? = nil
        if let sc = c.state {
            guard let s = DS.State(parsing: cells[sc].text) else {
                throw t.error(
                    number, sc,
                    "état « \(cells[sc].text) » inconnu (attendu \(DS.State.allCases.map(\.label).joined(separator: ", ")))"
                )
            }
            state = s
            if !options.states.contains(s) {
                leftOut[id] = s
                return
            }
        }
        let name = c.name.map { cells[$0].text.trimmed() } ?? ""
        let members = try self.members(cells, row: number, champs: c.champs, table: t)
        index[id] = dossiers.count
        rowOf[id] = (t, number, c.champs.map(\.code))
        dossiers.append(
            DS.Dossier(
                id: id, state: state,
                depositedAt: c.deposit.flatMap { Self.date(cells[$0], spreadsheet: t.sheet != nil) },
                name: name.isEmpty ? "Dossier \(id)" : name, members: members, polygons: [],
                origin: place))
    }

    /// Rows of a repeated block: `Dossier ID`, `Ligne`, then the block's champs.
    mutating func addRepetition(_ t: Table) throws {
        guard let idCol = t.column({ $0 == "dossier id" || $0 == "id dossier" || $0 == "id du dossier" }) else {
            return
        }
        let champs = try memberChamps(t)
        if champs.isEmpty {
            notes.append("Feuille « \(t.sheet ?? "") » : aucun champ EPCI ou commune, ignorée.")
            return
        }
        for (number, cells) in t.rows {
            let id = cells[idCol].text.trimmed()
            if id.isEmpty { throw t.error(number, idCol, "ID de dossier vide") }
            if let k = index[id] {
                dossiers[k].members += try members(cells, row: number, champs: champs, table: t)
            } else if leftOut[id] == nil {
                throw t.error(number, idCol, "le dossier \(id) n'est pas dans la feuille Dossiers")
            }
        }
    }

    // MARK: Columns

    /// Says which column was taken for what when its header is not DS's own.
    mutating func note(_ t: Table, _ c: Int, canonical: String, role: String) {
        if t.header[c] != canonical {
            notes.append("\(t.source) : colonne \(t.columnName(c)) lue comme « \(canonical) » (\(role)).")
        }
    }

    mutating func nameColumn(_ t: Table, excluding: Set<Int>) throws -> Int? {
        if let wanted = options.nameLabel {
            let k = GeoData.fold(wanted)
            guard let c = t.column({ $0 == k }) else {
                throw t.error(
                    t.headerRow, nil,
                    "aucun champ « \(wanted) » pour --ds-name (colonnes : \(t.header.joined(separator: ", ")))")
            }
            return c
        }
        let free = t.keys.indices.filter { !excluding.contains($0) }
        let c =
            free.first { t.keys[$0].contains("nom du territoire") } ?? free.first { t.keys[$0].contains("territoire") }
        if let c {
            notes.append("\(t.source) : nom des candidatures lu dans la colonne \(t.columnName(c)).")
        } else {
            notes.append(
                "\(t.source) : aucun champ « nom du territoire » ; candidatures nommées « Dossier <ID> » (--ds-name pour en choisir un)."
            )
        }
        return c
    }

    /// The member champs of a table: those named by `--ds-members`, else every EPCI champ
    /// (a `(Code)` column with a `(Département)` sibling, or holding only SIREN) and commune
    /// champ (a `(Code insee)` column).
    mutating func memberChamps(_ t: Table) throws -> [MemberChamp] {
        let wanted = Set(options.memberLabels.map(GeoData.fold))
        var out = codeChamps(t, wanted: wanted)
        // A text champ for members the EPCI champ does not offer (an EPT of the Métropole du Grand
        // Paris): a label with both "SIREN" and "membre", holding only SIREN.
        if wanted.isEmpty {
            let taken = Set(out.flatMap(\.columns))
            for (c, k) in t.keys.enumerated() where !taken.contains(c) {
                let words = Set(k.split(separator: " "))
                guard words.contains("siren"), words.contains("membre") || words.contains("membres") else { continue }
                guard Self.holdsOnlySIREN(t, column: c) else { continue }
                out.append(MemberChamp(label: t.header[c], kind: .listed, code: c, name: nil, departement: nil))
                notes.append(
                    "\(t.source)\(t.sheet.map { " [\($0)]" } ?? "") : champ texte \(t.columnName(c)) retenu comme membre (SIREN)."
                )
            }
        }
        // A champ named by --ds-members that is a single column (a list, a text champ): its values.
        for w in wanted where !champLabels.contains(w) {
            if let c = t.column({ $0 == w }) {
                out.append(MemberChamp(label: t.header[c], kind: .listed, code: c, name: nil, departement: nil))
                champLabels.insert(w)
                notes.append(
                    "\(t.source) : colonne \(t.columnName(c)) lue comme liste de membres (codes ou noms séparés par « , »)."
                )
            }
        }
        champCount += out.count
        return out
    }

    /// The EPCI and commune champs: a `(Code)` column with a `(Département)` sibling, or holding
    /// only SIREN, and a `(Code insee)` column; only those of `wanted` when it is not empty.
    mutating func codeChamps(_ t: Table, wanted: Set<String>) -> [MemberChamp] {
        var out: [MemberChamp] = []
        for (c, k) in t.keys.enumerated() {
            let kind: MemberChamp.Kind
            let base: String
            if k.hasSuffix(" code insee") {
                kind = .commune
                base = String(k.dropLast(" code insee".count))
            } else if k.hasSuffix(" code") {
                kind = .epci
                base = String(k.dropLast(" code".count))
            } else {
                continue
            }
            if base.isEmpty || (!wanted.isEmpty && !wanted.contains(base)) { continue }
            let name = t.keys.firstIndex(of: base)
            let dept = t.keys.firstIndex(of: base + " departement")
            // A `(Code)` without `(Département)`: a pays, région or département champ, unless
            // every value is a SIREN (an export template may drop the département column).
            if kind == .epci && dept == nil && !Self.holdsOnlySIREN(t, column: c) { continue }
            let label = name.map { t.header[$0] } ?? String(t.header[c].prefix { $0 != "(" }).trimmed(.whitespaces)
            out.append(MemberChamp(label: label, kind: kind, code: c, name: name, departement: dept))
            champLabels.insert(base)
            let what = kind == .epci ? "EPCI" : "commune"
            let cols = ([name, c, dept].compactMap { $0 }).map(t.columnName).joined(separator: ", ")
            notes.append(
                "\(t.source)\(t.sheet.map { " [\($0)]" } ?? "") : champ \(what) « \(label) » retenu comme membre (colonnes \(cols))."
            )
        }
        return out
    }

    /// Whether a column has values and every one is a SIREN.
    static func holdsOnlySIREN(_ t: Table, column c: Int) -> Bool {
        let values = t.rows.map { $0.cells[c].text.trimmed(.whitespaces) }.filter { !$0.isEmpty }
        return !values.isEmpty && values.allSatisfy { Resolution.isDigits(Resolution.normalise($0), 9) }
    }

    // MARK: Values

    /// The members a row gives: one per filled champ (a code, or a name alone to resolve).
    func members(_ cells: [Spreadsheet.Cell], row: Int, champs: [MemberChamp], table t: Table) throws -> [MemberInput] {
        var out: [MemberInput] = []
        for ch in champs {
            let origin = "\(t.frenchPlace(row)), colonne \(t.columnName(ch.code))"
            if ch.kind == .listed {
                for piece in cells[ch.code].text.components(separatedBy: ", ") {
                    let p = piece.trimmed()
                    if p.isEmpty { continue }
                    let code = try Self.code(p, table: t, row: row, column: ch.code)
                    out.append(
                        Resolution.looksLikeCode(code)
                            ? MemberInput(code: code, origin: origin)
                            : MemberInput(code: "", name: p, origin: origin))
                }
                continue
            }
            let code = try Self.code(cells[ch.code].text, table: t, row: row, column: ch.code)
            var name = ch.name.map { cells[$0].text.trimmed() } ?? ""
            if code.isEmpty && name.isEmpty { continue }
            // A commune champ shows "Nom (code postal)": the name alone is what can be matched.
            if ch.kind == .commune, let open = name.lastIndex(of: "("), name.hasSuffix(")") {
                name = String(name[..<open]).trimmed(.whitespaces)
            }
            out.append(
                MemberInput(
                    code: code, name: name.isEmpty ? nil : name, origin: origin,
                    nameKind: ch.kind == .commune ? .commune : .epci))
        }
        return out
    }

    /// A code as typed or stored: `200065647.0` and `2.00065647E8` (a number that went through a
    /// spreadsheet as text) are read back as `200065647` when no digit was lost (the SIREN's
    /// check digit is right); otherwise the cell is refused.
    static func code(_ raw: String, table t: Table, row: Int, column: Int) throws -> String {
        let s = raw.trimmed()
        guard let e = s.firstIndex(where: { $0 == "e" || $0 == "E" }), s.first?.isNumber == true,
            s.allSatisfy({ $0.isNumber || $0 == "." || $0 == "," || $0 == "e" || $0 == "E" || $0 == "+" })
        else {
            if s.hasSuffix(".0"), s.dropLast(2).allSatisfy(\.isNumber), s.count > 2 { return String(s.dropLast(2)) }
            return s
        }
        let mantissa = s[..<e].replacingOccurrences(of: ",", with: ".")
        guard let m = Decimal(string: mantissa), let x = Int(s[s.index(after: e)...].filter { $0 != "+" }),
            (0...14).contains(x)
        else {
            throw t.error(row, column, "« \(s) » n'est ni un code ni un nombre")
        }
        var v = m
        for _ in 0..<x { v *= 10 }
        let text = "\(v)"
        guard text.allSatisfy(\.isNumber) else {
            throw t.error(
                row, column,
                "« \(s) » (notation scientifique) n'est pas un nombre entier : des chiffres du code ont été perdus ; écrivez le code comme du texte"
            )
        }
        if text.count == 9 && !luhn(text) {
            throw t.error(
                row, column,
                "« \(s) » (notation scientifique) se lit \(text), qui n'est pas un SIREN valide : des chiffres ont été perdus dans un tableur ; écrivez le code comme du texte"
            )
        }
        return text
    }

    /// The SIREN check digit (Luhn).
    static func luhn(_ digits: String) -> Bool {
        var sum = 0
        for (i, ch) in digits.reversed().enumerated() {
            guard var d = ch.wholeNumberValue else { return false }
            if i % 2 == 1 {
                d *= 2
                if d > 9 { d -= 9 }
            }
            sum += d
        }
        return sum % 10 == 0
    }

    /// `yyyy-MM-dd` from an XLSX date (days since 1899-12-30), an ISO date, or `dd/MM/yyyy`.
    static func date(_ cell: Spreadsheet.Cell, spreadsheet: Bool) -> String? {
        let s = cell.text.trimmed(.whitespaces)
        if s.isEmpty { return nil }
        if spreadsheet, let n = cell.number, n > 0, n < 2_958_466 {
            return civil(daysSince1970: Int(n.rounded(.down)) - 25_569)
        }
        let u = Array(s.utf8)
        func digits(_ r: Range<Int>) -> Bool { r.upperBound <= u.count && r.allSatisfy { (48...57).contains(u[$0]) } }
        if digits(0..<4), u.count >= 10, u[4] == 45, digits(5..<7), u[7] == 45, digits(8..<10) {
            return String(s.prefix(10))
        }
        if digits(0..<2), u.count >= 10, u[2] == 47, digits(3..<5), u[5] == 47, digits(6..<10) {
            return "\(s.dropFirst(6).prefix(4))-\(s.dropFirst(3).prefix(2))-\(s.prefix(2))"
        }
        return s
    }

    /// Proleptic Gregorian date of a day count (H. Hinnant's `civil_from_days`), `yyyy-MM-dd`
    /// for the years the callers give (from 1899 on); no `String(format:)`, costly once per dossier.
    static func civil(daysSince1970 z0: Int) -> String {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        func pad(_ v: Int, _ width: Int) -> String {
            let s = String(v)
            return s.count < width ? String(repeating: "0", count: width - s.count) + s : s
        }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }

    // MARK: GeoJSON

    /// The drawn areas of the export's GeoJSON: features with `dossier_id`, `champ_label`, `source`.
    mutating func add(_ features: [Feature], source: String) throws {
        sources.append(source)
        let wanted = Set(options.memberLabels.map(GeoData.fold))
        var ignored: [String] = []
        for (i, f) in features.enumerated() {
            guard let id = f.properties["dossier_id"]?.stringValue, !id.isEmpty else {
                throw GeoJSONError(
                    source: source, feature: i,
                    message: "pas de propriété dossier_id : pas un export GeoJSON de Démarches Simplifiées")
            }
            let label = f.properties["champ_label"]?.stringValue ?? ""
            if !wanted.isEmpty {
                guard wanted.contains(GeoData.fold(label)) else { continue }
                champLabels.insert(GeoData.fold(label))
            }
            let polygons = f.geometry?.polygons ?? []
            if polygons.isEmpty {
                ignored.append("\(i + 1) (dossier \(id), \(f.geometry?.typeName ?? "sans géométrie"))")
                continue
            }
            if let k = index[id] {
                dossiers[k].polygons += polygons
            } else if leftOut[id] != nil {
                continue
            } else if readTables {
                throw GeoJSONError(
                    source: source, feature: i,
                    message: "le dossier \(id) n'est pas dans la table Dossiers des autres fichiers")
            } else {
                index[id] = dossiers.count
                dossiers.append(
                    DS.Dossier(
                        id: id, state: nil, depositedAt: nil, name: "Dossier \(id)", members: [],
                        polygons: polygons, origin: "\(source), feature \(i + 1)"))
            }
        }
        champCount += 1
        if !ignored.isEmpty {
            notes.append(
                "\(source) : \(ignored.count) tracé(s) qui ne sont pas des surfaces, ignorés (objets \(ignored.joined(separator: ", ")))."
            )
        }
        if !readTables {
            notes.append("\(source) : export GeoJSON seul, l'état des dossiers est inconnu ; tous sont retenus.")
        }
    }

    // MARK: Checks

    mutating func finish() throws -> DS.Export {
        for w in options.memberLabels where !champLabels.contains(GeoData.fold(w)) {
            throw SpreadsheetError(
                source: sources.joined(separator: ", "), message: "aucun champ « \(w) » (--ds-members) dans l'export")
        }
        if champCount == 0 {
            throw SpreadsheetError(
                source: sources.joined(separator: ", "),
                message: """
                    aucun champ EPCI ou commune dans l'export (un champ s'exporte en « <libellé> », « <libellé> (Code) », \
                    « <libellé> (Département) ») : désignez les champs qui portent les membres avec --ds-members
                    """)
        }
        for d in dossiers where d.members.isEmpty && d.polygons.isEmpty {
            let (t, row, columns) = rowOf[d.id]!
            let champs =
                columns.isEmpty ? "" : "ses champs \(columns.map(t.columnName).joined(separator: ", ")) sont vides et "
            throw t.error(
                row, columns.first,
                """
                le dossier \(d.id) (\(d.name), \(d.state?.label ?? "état inconnu")) n'a aucun EPCI : \(champs)aucune ligne de \
                répétition ne le nomme ; complétez le dossier ou écartez-le avec --ds-state
                """)
        }
        if !leftOut.isEmpty {
            let byState = Dictionary(grouping: leftOut.values, by: { $0 }).sorted { $0.key.label < $1.key.label }
            notes.append(
                "\(leftOut.count) dossier(s) écarté(s) par leur état (\(byState.map { "\($0.key.label) : \($0.value.count)" }.joined(separator: ", "))) ; --ds-state pour les inclure."
            )
        }
        return DS.Export(dossiers: dossiers, notes: notes, sources: sources)
    }
}
