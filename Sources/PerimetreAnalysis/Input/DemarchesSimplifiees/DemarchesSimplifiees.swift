import Foundation
public import PerimetreData
public import PerimetreGeometry

/// Candidatures read straight from Démarches Simplifiées (DS) exports: XLSX or ODS (sheet
/// `Dossiers`, then one sheet per repeated block), CSV (the `Dossiers` table only) and the GeoJSON
/// of drawn areas. Several files of one procedure are read together (the XLSX and the GeoJSON).
///
/// Each dossier becomes a candidature `ds-<ID>`; its members are every EPCI champ (three columns:
/// `<libellé>`, `<libellé> (Code)`, `<libellé> (Département)`) and commune champ (`<libellé>`,
/// `<libellé> (Code insee)`, …) of the dossier and of its repetition rows. Headers are matched
/// without case, accents or extra spaces (export templates let instructors rename them), and
/// ``Export/notes`` says what was matched.
///
/// ```swift
/// let export = try DemarchesSimplifiees.read(["dossiers.xlsx"])
/// let layer = export.layer()          // what `perimetre audit` analyses
/// export.dossiers[0].state            // .enInstruction
/// ```
public enum DemarchesSimplifiees {
    /// A dossier's état, as DS names it in its exports (and in its API, the raw value).
    public enum State: String, Sendable, CaseIterable {
        /// Being filled in by the applicant.
        case enConstruction = "en_construction"
        /// Submitted and being examined.
        case enInstruction = "en_instruction"
        /// Accepted.
        case accepte
        /// Refused.
        case refuse
        /// Closed without follow-up.
        case sansSuite = "sans_suite"

        /// The label of the `État du dossier` column.
        public var label: String {
            switch self {
            case .enConstruction: "En construction"
            case .enInstruction: "En instruction"
            case .accepte: "Accepté"
            case .refuse: "Refusé"
            case .sansSuite: "Classé sans suite"
            }
        }

        /// From an export's label or the API's name, without case or accents.
        public init?(parsing text: String) {
            // Read once per dossier: the labels as DS writes them are looked up as they are, and
            // only another spelling goes through GeoData.fold (Foundation's locale folding, slow).
            guard let s = State.exact[text] ?? State.folded[GeoData.fold(text)] else { return nil }
            self = s
        }

        private static let exact: [String: State] = Dictionary(
            uniqueKeysWithValues: allCases.flatMap { [($0.label, $0), ($0.rawValue, $0)] })
        private static let folded: [String: State] = Dictionary(
            allCases.flatMap { [(GeoData.fold($0.label), $0), (GeoData.fold($0.rawValue), $0)] } + [
                ("sans suite", .sansSuite)
            ],
            uniquingKeysWith: { a, _ in a })

        /// The default selection: every dossier still in the running.
        public static let defaultSelection: Set<State> = [.enConstruction, .enInstruction, .accepte]
    }

    /// How to read an export (the `--ds-*` options of `perimetre audit`).
    public struct Options: Sendable {
        /// Label of the champ holding the territory's name; default: the first champ whose label
        /// contains "nom du territoire", else "territoire".
        public var nameLabel: String?
        /// Labels of the champs holding the members; default: every EPCI and commune champ.
        public var memberLabels: [String]
        /// États kept; default ``State/defaultSelection``.
        public var states: Set<State>
        /// Limits against hostile spreadsheets.
        public var limits: SpreadsheetLimits

        /// Options; each defaults as documented on its property.
        public init(
            nameLabel: String? = nil, memberLabels: [String] = [], states: Set<State> = State.defaultSelection,
            limits: SpreadsheetLimits = .init()
        ) {
            self.nameLabel = nameLabel
            self.memberLabels = memberLabels
            self.states = states
            self.limits = limits
        }
    }

    /// One dossier of the export.
    public struct Dossier: Sendable {
        /// The DS number (`ID` column).
        public var id: String
        /// Unknown when only the GeoJSON export was given.
        public var state: State?
        /// The `Déposé le` date, `yyyy-MM-dd` when it could be read as a date.
        public var depositedAt: String?
        /// The territory's name, from the name champ.
        public var name: String
        /// Its members, from the member champs, with where each was read.
        public var members: [MemberInput]
        /// Areas drawn on the dossier's carte champs (GeoJSON export), lon/lat.
        public var polygons: [[[Coordinate]]]
        /// Where the dossier's row is: `file, sheet "Dossiers", row N`.
        public var origin: String
    }

    /// What was read from the files.
    public struct Export: Sendable {
        /// The dossiers kept by the état filter, in the files' order.
        public var dossiers: [Dossier]
        /// What was matched and decided, in French, for the user: columns recognised, champs
        /// taken as members, dossiers left out by their état, drawn shapes that are not areas.
        public var notes: [String]
        /// The files read, in order.
        public var sources: [String]

        /// The candidatures, as a territory layer for ``Audit/run(_:data:compositions:against:region:options:progress:)``: a dossier without members
        /// but with drawn areas is analysed as a drawn perimeter.
        public func layer(id: String? = nil) -> TerritoryLayer {
            let territories = dossiers.map { d in
                var t = TerritoryLayer.Territory(
                    id: "ds-\(d.id)", name: d.name, members: d.members,
                    shape: d.polygons.isEmpty ? nil : .multiPolygon(d.polygons))
                t.dossier = .init(number: d.id, state: d.state?.label, depositedAt: d.depositedAt)
                return t
            }
            let first = sources.first.map { URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent } ?? "ds"
            return TerritoryLayer(
                id: id ?? first, source: sources.joined(separator: ", "), format: .demarchesSimplifiees,
                territories: territories)
        }
    }

    /// Whether a file looks like a DS export: an XLSX/ODS, a CSV whose header has `ID` and an
    /// `État du dossier` column, or a GeoJSON whose features carry `dossier_id`.
    public static func isExport(_ path: String) -> Bool {
        let ext = URL(fileURLWithPath: path).pathExtension.lowercased()
        if ext == "xlsx" || ext == "ods" { return true }
        guard let h = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? h.close() }
        let head = (try? h.read(upToCount: 65_536)) ?? Data()
        if SpreadsheetReader.isZIP(head) { return true }
        let text = String(decoding: head, as: UTF8.self)
        if ext == "geojson" || ext == "json" { return text.contains("\"dossier_id\"") }
        let firstLine = text.prefix { $0 != "\n" && $0 != "\r" }
        let header = (try? CSVReader.parse(Array(firstLine.utf8) + [10], source: path).header) ?? []
        let keys = header.map(GeoData.fold)
        return keys.contains(where: idKeys.contains) && keys.contains(where: isStateKey)
    }

    // MARK: - Reading

    /// Reads the files of one procedure's export together.
    public static func read(_ paths: [String], options: Options = .init()) throws -> Export {
        var inputs: [Input] = []
        for p in paths {
            let ext = URL(fileURLWithPath: p).pathExtension.lowercased()
            let data: Data
            do { data = try InputFile.read(p, maxBytes: 64 << 20, kind: "un export Démarches Simplifiées") } catch {
                throw SpreadsheetError(source: p, message: error.message)
            }
            if SpreadsheetReader.isZIP(data) || ext == "xlsx" || ext == "ods" {
                inputs.append(.spreadsheet(try SpreadsheetReader.read(p, limits: options.limits)))
            } else if ext == "geojson" || ext == "json"
                || data.first(where: { !$0.isASCIIWhitespace }) == UInt8(ascii: "{")
            {
                inputs.append(.geojson(try GeoJSONReader.read(data: data, source: p), p))
            } else {
                inputs.append(.csv(try CSVReader.parse([UInt8](data), source: p)))
            }
        }
        return try read(inputs, options: options)
    }

    /// One file of an export, already parsed.
    public enum Input: Sendable {
        /// An XLSX or ODS export.
        case spreadsheet(Spreadsheet)
        /// A CSV export.
        case csv(CSVTable)
        /// The GeoJSON export of the carte champs, with its file name.
        case geojson([Feature], String)
    }

    /// Reads the dossiers of an export given as parsed files.
    ///
    /// - Parameters:
    ///   - inputs: The files of the export (tabular and, optionally, the GeoJSON of the carte champs).
    ///   - options: Which champs and états to take.
    /// - Returns: The dossiers kept, with notes on what was recognised and left out.
    /// - Throws: ``SpreadsheetError`` when a file lacks the columns of an export or a row cannot be read.
    public static func read(_ inputs: [Input], options: Options = .init()) throws -> Export {
        var clock = Profile.start()
        defer { Profile.lap(&clock, "ds: dossiers") }
        var reader = ExportReader(options: options)
        for input in inputs {
            switch input {
            case .spreadsheet(let book): try reader.add(book)
            case .csv(let t): try reader.addDossiers(Table(csv: t), repetitions: [])
            case .geojson: break
            }
        }
        // Drawn areas go to the dossiers read from the tables (or make dossiers of their own).
        for case .geojson(let features, let source) in inputs { try reader.add(features, source: source) }
        return try reader.finish()
    }

    // MARK: - Header matching

    static let idKeys: Set<String> = [
        "id", "dossier id", "id dossier", "id du dossier", "numero de dossier", "numero du dossier", "n dossier",
        "n du dossier", "numero",
    ]
    static func isStateKey(_ k: String) -> Bool {
        k == "etat" || k.hasPrefix("etat du dossier") || k == "etat dossier" || k == "statut"
            || k == "statut du dossier"
    }
    static func isDepositKey(_ k: String) -> Bool {
        k.hasPrefix("depose le") || k == "date de depot" || k == "depot" || k.hasPrefix("date de depot")
    }
}

extension String {
    /// `trimmingCharacters(in:)` without Foundation's NSString round trip when there is nothing
    /// to trim, as for nearly every cell: neither end is White_Space (of which both of
    /// Foundation's whitespace sets are subsets).
    func trimmed(_ set: CharacterSet = .whitespacesAndNewlines) -> String {
        // Visible ASCII at both ends, without looking up Unicode properties.
        guard let a = utf8.first, let z = utf8.last else { return self }
        if a > 0x20 && a < 0x7F && z > 0x20 && z < 0x7F { return self }
        guard let first = unicodeScalars.first, let last = unicodeScalars.last else { return self }
        if !first.properties.isWhitespace && !last.properties.isWhitespace { return self }
        return trimmingCharacters(in: set)
    }
}

extension UInt8 {
    fileprivate var isASCIIWhitespace: Bool {
        self == 0x20 || self == 0x0A || self == 0x0D || self == 0x09 || self == 0xEF || self == 0xBB || self == 0xBF
    }
}

/// A table of an export (a sheet, or the CSV), with dense rows as wide as the header.
struct Table {
    var source: String
    /// nil for a CSV.
    var sheet: String?
    var header: [String]
    var keys: [String]
    var headerRow: Int
    var rows: [(number: Int, cells: [Spreadsheet.Cell])]

    init(csv t: CSVTable) {
        source = t.source
        sheet = nil
        header = t.header
        keys = t.header.map(GeoData.fold)
        headerRow = max(1, (t.lines.first ?? 2) - 1)
        rows = zip(t.lines, t.rows).map { ($0, $1.map { Spreadsheet.Cell(text: $0) }) }
    }

    /// The first non-empty row is the header; nil for an empty sheet.
    init?(sheet s: Spreadsheet.Sheet, source: String) {
        guard let first = s.rows.first else { return nil }
        let width = (first.cells.keys.max() ?? 0) + 1
        self.source = source
        sheet = s.name
        header = (0..<width).map { first.text($0).trimmed() }
        keys = header.map(GeoData.fold)
        headerRow = first.number
        rows = s.rows.dropFirst().map { r in (r.number, (0..<width).map { r.cells[$0] ?? Spreadsheet.Cell(text: "") }) }
    }

    func column(_ match: (String) -> Bool) -> Int? { keys.firstIndex(where: match) }

    /// `K « EPCI (Code) »` in a sheet, `« EPCI (Code) »` in a CSV.
    func columnName(_ c: Int) -> String {
        (sheet != nil ? Spreadsheet.columnLetters(c) + " " : "") + "« \(header[c]) »"
    }

    func place(_ row: Int) -> String {
        ([source] + (sheet.map { ["sheet \"\($0)\""] } ?? []) + ["row \(row)"]).joined(separator: ", ")
    }

    func error(_ row: Int?, _ column: Int?, _ message: String) -> SpreadsheetError {
        SpreadsheetError(source: source, sheet: sheet, row: row, column: column.map(columnName), message: message)
    }

    /// What a person reads: `dossiers.xlsx [Dossiers] ligne 12`.
    func frenchPlace(_ row: Int) -> String {
        let file = (source as NSString).lastPathComponent
        return sheet.map { "\(file) [\($0)] ligne \(row)" } ?? "\(file) ligne \(row)"
    }
}

/// A champ that holds members: its code column, and the name and département columns DS exports beside it.
struct MemberChamp {
    enum Kind { case epci, commune, listed }
    var label: String
    var kind: Kind
    var code: Int
    var name: Int?
    var departement: Int?

    var columns: [Int] { [name, code, departement].compactMap { $0 } }
}

/// What an audit report shows of a candidature's Démarches Simplifiées dossier.
public struct DossierInfo: Sendable, Hashable {
    /// The DS number.
    public var number: String
    /// The état's label (`En instruction`), nil when unknown (GeoJSON export alone).
    public var state: String?
    /// `yyyy-MM-dd`.
    public var depositedAt: String?
}
