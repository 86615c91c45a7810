import Foundation
import PerimetreData

/// Composition tables that resolve what GeoData alone cannot: an EPCI of an older vintage
/// (merged since), a commune given by its SIREN, an EPT of the Métropole du Grand Paris.
///
/// The layout of each file is detected from its header:
/// - DGCL EPCI composition: `insee,siren_epci,raison_sociale,…`
/// - BANATIC commune SIREN ↔ INSEE: `…,siren,insee,nom_com,…`
/// - INSEE EPT composition: `insee,nom_commune,siren_ept,nom_ept`
///
/// ```swift
/// var t = CompositionTables()
/// try t.load("../shared/data/commune-epci-dgcl-2025/epcicom2025_commune_epci.csv")
/// t.groupings["200066462"]?.communes   // INSEE codes of a 2025 EPCI
/// ```
public struct CompositionTables: Sendable {
    /// A grouping of communes known from a table: an EPCI of the table's vintage or an EPT.
    public struct Grouping: Sendable {
        /// The EPCI's SIREN or the EPT's code.
        public var code: String
        /// Its name in the table.
        public var name: String
        /// What kind of grouping it is.
        public enum Kind: String, Sendable {
            /// An EPCI of the table's vintage (DGCL composition).
            case epci
            /// An établissement public territorial of the Métropole du Grand Paris.
            case ept
        }
        /// What kind of grouping it is.
        public var kind: Kind
        /// INSEE codes of its communes.
        public var communes: [String]
        /// The file it comes from.
        public var source: String
    }

    /// The groupings known from the tables, by code.
    public var groupings: [String: Grouping] = [:]
    /// Commune SIREN → INSEE code.
    public var communeBySIREN: [String: (insee: String, name: String)] = [:]
    /// The files loaded, in order.
    public var sources: [String] = []
    /// Rows read from the tables, kept or not (see the `only` parameter of the `load` functions).
    public var rowCount = 0

    /// No table: only the reference data resolves codes.
    public init() {}

    /// Whether no table row was read at all (no table given, or empty tables).
    public var isEmpty: Bool { rowCount == 0 }

    /// Loads one table, detecting its layout.
    /// - Parameters:
    ///   - path: The table file.
    ///   - only: The codes (grouping SIREN, commune SIREN) to keep; nil keeps every row. A batch
    ///     that knows its members (see ``Resolution/compositionCodes(_:data:)``) keeps only
    ///     what it will look up: a national table is then read without building its 35,000 rows.
    /// - Throws: `CSVError` naming the file and line of an unreadable table or an unknown layout.
    public mutating func load(_ path: String, only: Set<String>? = nil) throws {
        try load(CSVReader.contents(of: path), source: path, only: only)
    }

    /// Loads one table already in memory (the fuzz targets); `source` names it in messages.
    /// Streamed: only the columns of its layout are decoded, straight into the lookups.
    public mutating func load(bytes: [UInt8], source path: String, only: Set<String>? = nil) throws {
        try load(Data(bytes), source: path, only: only)
    }

    /// What a table's rows are.
    private enum Layout {
        case groupings(kind: Grouping.Kind)
        case communes
    }

    /// A header understood: the table's layout and the columns read, the grouping's code, the
    /// commune's INSEE code, and the name when there is one.
    private struct HeaderLayout {
        var layout: Layout
        var hasName: Bool
        var columns: [Int]

        init(_ layout: Layout, code: Int, insee: Int, name: Int?) {
            self.layout = layout
            hasName = name != nil
            columns = [code, insee] + (name.map { [$0] } ?? [])
        }
    }

    private static func headerLayout(_ header: [String], source path: String) throws -> HeaderLayout {
        func column(_ name: String) -> Int? { header.firstIndex { $0.lowercased() == name } }
        if let insee = column("insee"), let epci = column("siren_epci") {
            return HeaderLayout(.groupings(kind: .epci), code: epci, insee: insee, name: column("raison_sociale"))
        } else if let insee = column("insee"), let ept = column("siren_ept") {
            return HeaderLayout(.groupings(kind: .ept), code: ept, insee: insee, name: column("nom_ept"))
        } else if let siren = column("siren"), let insee = column("insee") {
            return HeaderLayout(.communes, code: siren, insee: insee, name: column("nom_com"))
        }
        throw CSVError(
            source: path, line: 1,
            message:
                "table de composition de forme inconnue (en-tête : \(header.joined(separator: ","))) ; attendu insee,siren_epci,… (DGCL), …,siren,insee,… (BANATIC) ou insee,…,siren_ept,… (EPT)",
            code: "unknown_layout")
    }

    /// About the bytes of a row of the BANATIC table (its lookup reserved for bytes / this).
    private static let bytesPerBANATICRow = 48

    private mutating func load(_ bytes: Data, source path: String, only wanted: Set<String>?) throws {
        var layout = Layout.communes
        var hasName = false
        // Fields: the grouping's code, the commune's INSEE code, and the name when there is one.
        var added: [String: Grouping] = [:]
        var rows = 0
        var bySIREN: [String: (insee: String, name: String)] = [:]
        // Rows the prefilter skips are counted too: `rowCount` is every row read.
        var skipped = 0
        let keep = Self.prefilter(wanted).map { test in
            { (code: UnsafeBufferPointer<UInt8>) -> Bool in
                if test(code) { return true }
                skipped += 1
                return false
            }
        }
        try CSVReader.scan(
            bytes, source: path,
            select: { header in
                let found = try Self.headerLayout(header, source: path)
                layout = found.layout
                hasName = found.hasName
                if case .communes = layout, wanted == nil {
                    bySIREN.reserveCapacity(bytes.count / Self.bytesPerBANATICRow)
                }
                return found.columns
            }, keep: keep
        ) { field, _ in
            rows += 1
            let code = field(0)
            if let wanted, !wanted.contains(code) { return }
            switch layout {
            case .groupings(let kind):
                // One row per member commune of a grouping; its name read once.
                if added[code] == nil {
                    added[code] = Grouping(
                        code: code, name: hasName ? field(2) : code, kind: kind, communes: [], source: path)
                }
                added[code]!.communes.append(field(1))
            case .communes:
                bySIREN[code] = (field(1), hasName ? field(2) : "")
            }
        }
        sources.append(path)
        rowCount += rows + skipped
        merge(added, bySIREN: bySIREN)
    }

    /// A test on a row's code, before it is decoded, when every wanted code is a SIREN (nine
    /// digits, as ``Resolution/compositionCodes(_:data:)`` gives): its digits as a number, looked
    /// up among theirs. Nil otherwise: each row's code is then decoded and compared.
    private static func prefilter(_ wanted: Set<String>?) -> ((UnsafeBufferPointer<UInt8>) -> Bool)? {
        guard let wanted else { return nil }
        let numbers = Set(wanted.compactMap { Resolution.isDigits($0, 9) ? Int($0) : nil })
        guard numbers.count == wanted.count else { return nil }
        return { bytes in
            guard bytes.count == 9 else { return false }
            var n = 0
            for b in bytes {
                guard b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") else { return false }
                n = n * 10 + Int(b - UInt8(ascii: "0"))
            }
            return numbers.contains(n)
        }
    }

    /// A table's lookups added to those of the tables loaded before.
    private mutating func merge(_ added: [String: Grouping], bySIREN: [String: (insee: String, name: String)]) {
        for (k, var g) in added {
            // A code already known from an earlier table of the same call keeps its communes (as before).
            if let old = groupings[k] {
                g.communes = old.communes + g.communes
                g.name = old.name
                g.source = old.source
            }
            g.communes.sort()
            groupings[k] = g
        }
        if communeBySIREN.isEmpty { communeBySIREN = bySIREN } else { communeBySIREN.merge(bySIREN) { _, new in new } }
    }
}
