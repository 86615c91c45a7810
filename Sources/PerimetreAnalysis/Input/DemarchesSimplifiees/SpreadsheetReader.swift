// zlib, through the module ZIPFoundation's package declares for it (ZipEntries.inflate).
import CZlib
public import Foundation
import PerimetreGeometry
import ZIPFoundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads XLSX (Office Open XML) and ODS (OpenDocument) spreadsheets: ZIP archives of XML, opened
/// with ZIPFoundation and parsed with Foundation's streaming `XMLParser`. Shared and inline
/// strings, numbers (written back without `.0`, exponents expanded), dates, empty cells (column
/// letters give the index), repeated ODS rows and cells, merged ranges.
///
/// Hostile files are refused with a ``SpreadsheetError``: an entry inflating past
/// ``SpreadsheetLimits/maxEntryBytes`` (checked while inflating), a corrupt archive, an encrypted
/// workbook (an OLE2 container, not a ZIP), a DTD (entity expansion), too many rows.
public enum SpreadsheetReader {
    /// A spreadsheet format, told by the file's content.
    public enum Format: String, Sendable {
        /// Office Open XML (Excel).
        case xlsx
        /// OpenDocument (LibreOffice).
        case ods
    }

    /// Reads an XLSX or ODS file, the format told by its content.
    ///
    /// - Parameters:
    ///   - path: The file.
    ///   - limits: Limits against hostile files.
    /// - Returns: The workbook's sheets with their non-empty rows.
    /// - Throws: ``SpreadsheetError`` naming the file (and sheet, row) when it cannot be read or breaks a limit.
    public static func read(_ path: String, limits: SpreadsheetLimits = .init()) throws -> Spreadsheet {
        let data: Data
        do { data = try InputFile.read(path, maxBytes: 64 << 20, kind: "un classeur") } catch {
            throw SpreadsheetError(source: path, message: error.message)
        }
        try checkSignature(data, source: path)
        return try open(URL(fileURLWithPath: path), data, source: path, limits: limits)
    }

    /// Whether the bytes start like a ZIP archive (an XLSX or ODS file).
    public static func isZIP(_ data: Data) -> Bool { data.starts(with: [0x50, 0x4B, 0x03, 0x04]) }

    /// Reads a spreadsheet already in memory (tests, fuzz target); `source` names it in messages.
    public static func parse(_ data: Data, source: String, limits: SpreadsheetLimits = .init()) throws -> Spreadsheet {
        try checkSignature(data, source: source)
        // ZIPFoundation 0.9.20's in-memory archive traps on an offset past the end of the data
        // (MemoryFile.readData); a file-backed archive just reads nothing there. So bytes in memory
        // go through a temporary file.
        let tmp = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(
            "perimetre-\(UUID().uuidString).zip")
        do { try data.write(to: tmp) } catch {
            throw SpreadsheetError(source: source, message: "impossible d'écrire une copie temporaire (\(error))")
        }
        defer { try? FileManager.default.removeItem(at: tmp) }
        return try open(tmp, data, source: source, limits: limits)
    }

    static func checkSignature(_ data: Data, source: String) throws {
        // Office encrypts a password-protected workbook into an OLE2 compound file (as old .xls are).
        if data.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            throw SpreadsheetError(
                source: source,
                message:
                    "un classeur chiffré (protégé par mot de passe) ou un ancien fichier .xls, pas un XLSX : exportez-le à nouveau depuis Démarches Simplifiées, sans mot de passe"
            )
        }
        guard isZIP(data) else {
            throw SpreadsheetError(source: source, message: "ni un fichier XLSX ni un ODS (pas une archive ZIP)")
        }
    }

    /// The archive at `url`, whose bytes are `bytes`.
    static func open(_ url: URL, _ bytes: Data, source: String, limits: SpreadsheetLimits) throws -> Spreadsheet {
        var clock = Profile.start()
        let archive: Archive
        do { archive = try Archive(url: url, accessMode: .read) } catch {
            throw SpreadsheetError(source: source, message: "archive ZIP corrompue (\(error))")
        }
        Profile.lap(&clock, "ds: zip directory")
        let zip = ZipEntries(archive: archive, bytes: bytes, source: source, limit: limits.maxEntryBytes)
        if zip.has("xl/workbook.xml") { return try xlsx(zip, limits: limits) }
        if zip.has("content.xml") { return try ods(zip, limits: limits) }
        throw SpreadsheetError(
            source: source,
            message:
                "une archive ZIP qui n'est ni un classeur XLSX (pas de xl/workbook.xml) ni un ODS (pas de content.xml)")
    }

    // MARK: - XLSX

    static func xlsx(_ zip: ZipEntries, limits: SpreadsheetLimits) throws -> Spreadsheet {
        let source = zip.source
        var clock = Profile.start()
        /// An entry inflated, then parsed: each step timed under PERIMETRE_PROFILE=1.
        func parse(_ entry: String, _ handler: some XMLParserDelegate & FailingHandler) throws {
            let data = try zip.data(entry)
            Profile.lap(&clock, "ds: zip inflate")
            try parseXML(data, handler, source: source, entry: entry)
            Profile.lap(&clock, "ds: xml (workbook, strings)")
        }
        let book = WorkbookHandler()
        try parse("xl/workbook.xml", book)
        let rels = RelationshipsHandler()
        if zip.has("xl/_rels/workbook.xml.rels") { try parse("xl/_rels/workbook.xml.rels", rels) }
        var shared: [String] = []
        if zip.has("xl/sharedStrings.xml") {
            let h = SharedStringsHandler()
            try parse("xl/sharedStrings.xml", h)
            shared = h.strings
        }
        if book.sheets.isEmpty { throw SpreadsheetError(source: source, message: "le classeur n'a aucune feuille") }
        var sheets: [Spreadsheet.Sheet] = []
        var filled = 0
        for (k, s) in book.sheets.enumerated() {
            // The relationship gives the part; without one, Excel's default name.
            var target = rels.targets[s.relation] ?? "worksheets/sheet\(k + 1).xml"
            target = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
            guard zip.has(target) else {
                throw SpreadsheetError(
                    source: source, sheet: s.name, message: "la partie \(target) de la feuille manque dans l'archive")
            }
            let xml = try zip.data(target)
            Profile.lap(&clock, "ds: zip inflate")
            sheets.append(
                try xlsxSheet(
                    xml, entry: target, name: s.name, source: source, shared: shared,
                    limits: limits, filled: &filled))
            Profile.lap(&clock, "ds: xml (sheets)")
        }
        return Spreadsheet(source: source, sheets: sheets)
    }

    static func xlsxSheet(
        _ xml: Data, entry: String, name: String, source: String, shared: [String],
        limits: SpreadsheetLimits, filled: inout Int
    ) throws -> Spreadsheet.Sheet {
        let h = XLSXSheetHandler(SheetBuilder(source: source, name: name, limits: limits), shared: shared)
        try parseXML(xml, h, source: source, entry: entry, sheet: name)
        if let e = h.failure { throw e }
        return try h.builder.finish(filled: &filled)
    }

    /// Reads one worksheet part of an XLSX (`xl/worksheets/sheetN.xml`) on its own: the fuzz
    /// target's way into the XML handling, past the ZIP layer.
    public static func parseXLSXSheet(
        _ xml: Data, name: String, source: String, sharedStrings: [String] = [],
        limits: SpreadsheetLimits = .init()
    ) throws -> Spreadsheet.Sheet {
        var filled = 0
        return try xlsxSheet(
            xml, entry: "xl/worksheets/sheet1.xml", name: name, source: source, shared: sharedStrings,
            limits: limits, filled: &filled)
    }

    /// Reads the `content.xml` of an ODS on its own (the fuzz target).
    public static func parseODSContent(
        _ xml: Data, source: String, limits: SpreadsheetLimits = .init()
    ) throws -> Spreadsheet {
        let h = ODSHandler(source: source, limits: limits)
        try parseXML(xml, h, source: source, entry: "content.xml")
        if let e = h.failure { throw e }
        return Spreadsheet(source: source, sheets: h.sheets)
    }

    // MARK: - ODS

    static func ods(_ zip: ZipEntries, limits: SpreadsheetLimits) throws -> Spreadsheet {
        let book = try parseODSContent(zip.data("content.xml"), source: zip.source, limits: limits)
        if book.sheets.isEmpty {
            throw SpreadsheetError(
                source: zip.source, message: "le classeur n'a aucune feuille (content.xml ne contient aucune table)")
        }
        return book
    }

    // MARK: - Shared helpers

    /// Parses one XML part with a delegate; refused up front: a part that is not plain UTF-8
    /// (``checkUTF8(_:source:entry:sheet:)``), a DTD (neither format uses one, and entity
    /// declarations are how an XML bomb expands) and processing instructions
    /// (``forbiddenMarkup(_:)``).
    /// `sheet` names the worksheet a part holds, for messages.
    static func parseXML(
        _ data: Data, _ delegate: some XMLParserDelegate & FailingHandler, source: String, entry: String,
        sheet: String? = nil
    ) throws {
        try checkUTF8(data, source: source, entry: entry, sheet: sheet)
        if let (offset, isDTD) = forbiddenMarkup(data) {
            let line = data.prefix(offset).reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
            throw SpreadsheetError(
                source: source, sheet: sheet,
                message: isDTD
                    ? "\(entry) : une déclaration de type de document XML (DTD) à la ligne \(line), ce qu'un classeur ne contient jamais"
                    : "\(entry) : une instruction de traitement <?…?> à la ligne \(line) (octet \(offset)), ce qu'une partie de classeur ne contient jamais hors de la déclaration XML"
            )
        }
        let parser = XMLParser(data: data)
        // Names are matched by their local part (localName(_:)): namespace processing would only
        // make FoundationXML build two more strings per element (URI, qualified name), 15 % of
        // its parse time.
        parser.shouldProcessNamespaces = false
        parser.shouldResolveExternalEntities = false
        parser.delegate = delegate
        let ok = parser.parse()
        if let e = delegate.failure { throw e }
        // FoundationXML may return true from parse() and only set parserError (a truncated part).
        if !ok || parser.parserError != nil {
            let why = parser.parserError.map { ($0 as NSError).localizedDescription } ?? "XML mal formé"
            throw SpreadsheetError(
                source: source, sheet: sheet,
                message: "\(entry) : XML mal formé à la ligne \(parser.lineNumber) (\(why))")
        }
    }

    /// The first markup that spreadsheet parts never hold and that FoundationXML cannot be trusted
    /// with, anywhere in the part: a processing instruction other than the XML declaration that
    /// opens it (FoundationXML reads a PI's data through a pointer it assumes is not NULL, and
    /// libxml2 passes NULL for `<?target?>`: strlen(NULL), found by fuzz-spreadsheet), a
    /// `<!DOCTYPE` or `<!ENTITY` (entity expansion, and DTD callbacks with the same NULL pointers,
    /// e.g. the default value of a #REQUIRED attribute). In a comment they are refused too.
    static func forbiddenMarkup(_ data: Data) -> (offset: Int, isDTD: Bool)? {
        let doctype = Array("DOCTYPE".utf8)
        let entity = Array("ENTITY".utf8)
        return data.withUnsafeBytes { b -> (Int, Bool)? in
            var i = b.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
            // An XML declaration as libxml2 recognises one: `<?xml` and a blank (`<?xml?>` is a
            // PI). It holds no `<?`, so the scan goes on right after its `<?`.
            if b.count >= i + 6, UnsafeRawBufferPointer(rebasing: b[i..<(i + 5)]).elementsEqual("<?xml".utf8),
                [0x20, 0x09, 0x0A, 0x0D].contains(b[i + 5])
            {
                i += 2
            }
            while i + 1 < b.count {
                if b[i] == UInt8(ascii: "<") {
                    if b[i + 1] == UInt8(ascii: "?") { return (i, false) }
                    if b[i + 1] == UInt8(ascii: "!") {
                        let rest = UnsafeRawBufferPointer(rebasing: b[(i + 2)...])
                        if rest.starts(with: doctype) || rest.starts(with: entity) { return (i, true) }
                    }
                }
                i += 1
            }
            return nil
        }
    }

    /// The local part of an element's name as the parser reports it without namespace
    /// processing: `table:table-cell` → `table-cell`, `c` → `c`.
    static func localName(_ name: String) -> Substring {
        guard let colon = name.utf8.lastIndex(of: UInt8(ascii: ":")) else { return name[...] }
        return name[name.utf8.index(after: colon)...]
    }

    /// Refuses an XML part that libxml2 would not read as the valid UTF-8 checked here.
    ///
    /// FoundationXML on Linux (swift-corelibs-foundation's `XMLParser`) force-unwraps the UTF-8
    /// decoding of every element and attribute name, comment and processing-instruction target
    /// that libxml2 hands it, and libxml2, which parses in recovery mode there, passes a name
    /// holding an invalid UTF-8 byte on as it is: `<c` followed by a raw 0xE3 byte traps the whole
    /// process (found by fuzz-spreadsheet), with or without `shouldProcessNamespaces`. Both
    /// formats are UTF-8 (ODF requires it, Excel and the DS export write nothing else), so a part
    /// must be valid UTF-8, hold no NUL byte (XML forbids it, and from one in the first bytes
    /// libxml2 would guess UTF-16 or UCS-4 and transcode) and declare no other encoding.
    static func checkUTF8(_ data: Data, source: String, entry: String, sheet: String? = nil) throws {
        let bad: Int? = data.withUnsafeBytes { firstInvalidUTF8($0) }
        if let offset = bad {
            let line = data.prefix(offset).reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
            let byte = data[data.startIndex + offset]
            let what =
                byte == 0
                ? "un octet NUL, interdit en XML," : String(format: "un octet 0x%02X qui n'est pas de l'UTF-8", byte)
            throw SpreadsheetError(
                source: source, sheet: sheet,
                message:
                    "\(entry) : \(what) à la ligne \(line) (octet \(offset)) : une partie corrompue (les parties XLSX et ODS sont du XML en UTF-8)"
            )
        }
        if let encoding = declaredEncodings(data).first(where: { !["utf-8", "utf8"].contains($0.lowercased()) }) {
            throw SpreadsheetError(
                source: source, sheet: sheet,
                message: "\(entry) : déclare l'encodage « \(encoding) » (les parties XLSX et ODS sont du XML en UTF-8)")
        }
    }

    /// The offset of the first byte that is not part of well-formed UTF-8 (Unicode's table 3-7:
    /// no overlong form, no surrogate, nothing past U+10FFFF), or of the first NUL byte.
    static func firstInvalidUTF8(_ bytes: UnsafeRawBufferPointer) -> Int? {
        let n = bytes.count
        var i = 0
        while i < n {
            // ASCII, eight bytes at a time: no high bit and no zero byte.
            while i + 8 <= n {
                let w = bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                let hasZero = (w &- 0x0101_0101_0101_0101) & ~w & 0x8080_8080_8080_8080
                if (w & 0x8080_8080_8080_8080) | hasZero != 0 { break }
                i += 8
            }
            guard i < n else { return nil }
            let b = bytes[i]
            if b < 0x80 {
                if b == 0 { return i }
                i += 1
                continue
            }
            let length: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch b {
            case 0xC2...0xDF: length = 2
            case 0xE0:
                length = 3
                low = 0xA0
            case 0xED:
                length = 3
                high = 0x9F
            case 0xE1...0xEF: length = 3
            case 0xF0:
                length = 4
                low = 0x90
            case 0xF4:
                length = 4
                high = 0x8F
            case 0xF1...0xF3: length = 4
            default: return i
            }
            guard i + length <= n, (low...high).contains(bytes[i + 1]) else { return i }
            for k in 2..<length where bytes[i + k] & 0xC0 != 0x80 { return i }
            i += length
        }
        return nil
    }

    /// The `encoding` values of the XML declaration that opens the part (after a byte order
    /// mark), parsed as libxml2 does (`encoding S? = S? "name"`); the declaration ends at its
    /// first `>`, which an encoding name cannot hold.
    static func declaredEncodings(_ data: Data) -> [String] {
        var head = data.prefix(1024)
        if head.starts(with: [0xEF, 0xBB, 0xBF]) { head = head.dropFirst(3) }
        guard head.starts(with: Array("<?xml".utf8)) else { return [] }
        let declaration = Array(head.prefix { $0 != UInt8(ascii: ">") })
        let key = Array("encoding".utf8)
        func isBlank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
        var values: [String] = []
        var start = 0
        while start + key.count <= declaration.count {
            defer { start += 1 }
            guard declaration[start..<(start + key.count)].elementsEqual(key) else { continue }
            var i = start + key.count
            while i < declaration.count, isBlank(declaration[i]) { i += 1 }
            guard i < declaration.count, declaration[i] == UInt8(ascii: "=") else { continue }
            i += 1
            while i < declaration.count, isBlank(declaration[i]) { i += 1 }
            guard i < declaration.count, declaration[i] == UInt8(ascii: "\"") || declaration[i] == UInt8(ascii: "'")
            else { continue }
            let quote = declaration[i]
            values.append(String(decoding: declaration[(i + 1)...].prefix { $0 != quote }, as: UTF8.self))
        }
        return values
    }

    /// An attribute by its local name, whether the parser kept the prefix (`table:name`) or not.
    static func attribute(_ attributes: [String: String], _ local: String) -> String? {
        if let v = attributes[local] { return v }
        return attributes.first { $0.key.hasSuffix(":" + local) }?.value
    }

    /// A number as a spreadsheet stores it, as text: integers without `.0` nor exponent
    /// (`2.00065647E8` → `200065647`), other numbers as written.
    static func numberCell(_ raw: String) -> Spreadsheet.Cell {
        // Most numbers are SIREN, IDs and row numbers: digits already written as they are read back.
        let u = raw.utf8
        if let first = u.first, first != UInt8(ascii: "0") || u.count == 1, u.count <= 15,
            u.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }), let d = Double(raw)
        {
            return Spreadsheet.Cell(text: raw, number: d)
        }
        let t = raw.trimmed(.whitespaces)
        guard let d = Double(t), d.isFinite else { return Spreadsheet.Cell(text: t) }
        if d == d.rounded(), abs(d) < 1e15 { return Spreadsheet.Cell(text: String(Int64(d)), number: d) }
        return Spreadsheet.Cell(text: t, number: d)
    }

    /// `B12` → (row 12, column 1).
    static func cellReference(_ ref: String) -> (row: Int?, column: Int)? {
        var column = 0
        var row = 0
        var letters = 0
        var digits = 0
        for u in ref.utf8 {
            switch u {
            case 65...90 where digits == 0:
                column = column * 26 + Int(u - 64)
                letters += 1
            case 97...122 where digits == 0:
                column = column * 26 + Int(u - 96)
                letters += 1
            case 48...57:
                row = row * 10 + Int(u - 48)
                digits += 1
            case 36: continue  // `$A$1`
            default: return nil
            }
            if letters > 3 || digits > 7 { return nil }
        }
        guard letters > 0 else { return nil }
        return (digits > 0 ? row : nil, column - 1)
    }
}

/// The entries of a ZIP archive, inflated with a limit counted while inflating.
///
/// ZIPFoundation finds the entries and reads the stored ones; deflated ones are inflated here with
/// zlib. ZIPFoundation 0.9.20's inflate loop (`Data.decode`) feeds zlib from the archive file past
/// the entry's end, tells zlib a short last chunk is a full buffer (zlib then reads uninitialised
/// bytes), and, once the file is exhausted before the deflate stream ends, loops for ever on empty
/// reads: a corrupt XLSX hung the process (found by fuzz-spreadsheet). Here zlib is given exactly
/// the entry's compressed bytes, and a stream that has not ended when they run out is refused.
struct ZipEntries {
    let archive: Archive
    /// The archive file's bytes.
    let bytes: Data
    let source: String
    let limit: Int

    func has(_ path: String) -> Bool { archive[path] != nil }

    func data(_ path: String) throws -> Data {
        guard let entry = archive[path] else {
            throw SpreadsheetError(source: source, message: "\(path) manque dans l'archive")
        }
        if entry.uncompressedSize > UInt64(limit) {
            throw SpreadsheetError(
                source: source,
                message:
                    "\(path) annonce \(entry.uncompressedSize) octets décompressés, au-delà de la limite de \(limit) octets (une bombe ZIP ?)"
            )
        }
        if entry.isCompressed { return try inflate(path, entry) }
        var out = Data()
        struct TooLarge: Error {}
        do {
            // A stored entry: ZIPFoundation reads the declared size, no more (checked above).
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                if out.count + chunk.count > limit { throw TooLarge() }
                out.append(chunk)
            }
        } catch is TooLarge {
            throw SpreadsheetError(
                source: source,
                message: "\(path) dépasse à la décompression la limite de \(limit) octets (une bombe ZIP ?)")
        } catch {
            throw SpreadsheetError(source: source, message: "\(path) : entrée ZIP corrompue ou chiffrée (\(error))")
        }
        return out
    }

    /// A deflated entry: its compressed bytes located from the central directory and its local
    /// header, inflated by zlib with the output counted (the declared size is not trusted), the
    /// CRC-32 checked.
    func inflate(_ path: String, _ entry: Entry) throws -> Data {
        func corrupt(_ why: String) -> SpreadsheetError {
            SpreadsheetError(source: source, message: "\(path) : entrée ZIP corrompue ou chiffrée (\(why))")
        }
        return try bytes.withUnsafeBytes { (b: UnsafeRawBufferPointer) throws -> Data in
            func u16(_ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 }
            guard let header = Self.localHeaderOffset(of: path, in: b), header <= b.count - 30,
                b.loadUnaligned(fromByteOffset: header, as: UInt32.self).littleEndian == 0x0403_4B50
            else {
                throw corrupt("pas d'en-tête local là où le répertoire central le place")
            }
            if u16(header + 6) & 1 != 0 { throw corrupt("chiffrée") }
            guard u16(header + 8) == 8 else { throw corrupt("méthode de compression \(u16(header + 8)), pas deflate") }
            let start = header + 30 + u16(header + 26) + u16(header + 28)
            guard entry.compressedSize <= UInt64(b.count), start <= b.count - Int(entry.compressedSize) else {
                throw corrupt("ses \(entry.compressedSize) octets compressés dépassent la fin du fichier")
            }
            var stream = z_stream()
            guard inflateInit2_(&stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
                throw corrupt("zlib ne peut pas démarrer")
            }
            defer { inflateEnd(&stream) }
            let input = b.baseAddress!.advanced(by: start).assumingMemoryBound(to: UInt8.self)
            stream.next_in = UnsafeMutablePointer(mutating: input)
            stream.avail_in = UInt32(entry.compressedSize)
            var out = Data()
            out.reserveCapacity(Int(min(entry.uncompressedSize, UInt64(limit))))
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            var status = Z_OK
            while status != Z_STREAM_END {
                let produced = buffer.withUnsafeMutableBufferPointer { o -> Int in
                    stream.next_out = o.baseAddress
                    stream.avail_out = UInt32(o.count)
                    status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    return o.count - Int(stream.avail_out)
                }
                if out.count + produced > limit {
                    throw SpreadsheetError(
                        source: source,
                        message: "\(path) dépasse à la décompression la limite de \(limit) octets (une bombe ZIP ?)")
                }
                out.append(contentsOf: buffer[0..<produced])
                switch status {
                case Z_STREAM_END, Z_OK: continue
                // No progress possible: every compressed byte was used and the stream has not ended.
                case Z_BUF_ERROR: throw corrupt("données deflate tronquées")
                default: throw corrupt("données deflate invalides")
                }
            }
            let crc = out.withUnsafeBytes {
                UInt32(crc32(0, $0.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt32($0.count)))
            }
            guard crc == entry.checksum else { throw corrupt("CRC-32 incorrect") }
            return out
        }
    }

    /// Where the central directory puts the local header of `path` (ZIPFoundation keeps it
    /// internal): the end-of-central-directory record, then the directory's records, the first
    /// one named `path`; ZIP64 offsets through their extra field.
    static func localHeaderOffset(of path: String, in b: UnsafeRawBufferPointer) -> Int? {
        func u16(_ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 }
        func u32(_ i: Int) -> Int { u16(i) | u16(i + 2) << 16 }
        guard b.count >= 22 else { return nil }
        // The record is 22 bytes and a comment of at most 65,535 follows it.
        var eocd = b.count - 22
        let lowest = max(0, b.count - 22 - 65_535)
        while eocd >= lowest, u32(eocd) != 0x0605_4B50 { eocd -= 1 }
        guard eocd >= lowest else { return nil }
        let name = Array(path.utf8)
        var p = u32(eocd + 16)
        for _ in 0..<u16(eocd + 10) {
            guard p >= 0, p <= b.count - 46, u32(p) == 0x0201_4B50 else { return nil }
            let nameLength = u16(p + 28)
            let extraLength = u16(p + 30)
            let commentLength = u16(p + 32)
            let next = p + 46 + nameLength + extraLength + commentLength
            guard next <= b.count else { return nil }
            if nameLength == name.count,
                UnsafeRawBufferPointer(rebasing: b[(p + 46)..<(p + 46 + nameLength)]).elementsEqual(name)
            {
                let offset = u32(p + 42)
                guard offset == 0xFFFF_FFFF else { return offset }
                // ZIP64: the extra field 0x0001 holds the 64-bit values whose 32-bit field is all ones,
                // in the order uncompressed size, compressed size, offset.
                var e = p + 46 + nameLength
                let extraEnd = e + extraLength
                while e + 4 <= extraEnd {
                    let id = u16(e)
                    let size = u16(e + 2)
                    if id == 1 {
                        let skip = (u32(p + 24) == 0xFFFF_FFFF ? 8 : 0) + (u32(p + 20) == 0xFFFF_FFFF ? 8 : 0)
                        guard e + 4 + skip + 8 <= min(extraEnd, e + 4 + size) else { return nil }
                        let low = u32(e + 4 + skip)
                        let high = u32(e + 8 + skip)
                        return high == 0 ? low : nil
                    }
                    e += 4 + size
                }
                return nil
            }
            p = next
        }
        return nil
    }
}

/// A parser delegate that records the first error it meets (and aborts the parse).
///
/// Each handler also stops the parse at libxml2's first error report (`parseErrorOccurred`):
/// any report makes the part refused anyway (parseXML), and libxml2, in recovery mode, would go
/// on reporting, FoundationXML leaking a CFError each time (Fuzz/lsan.supp).
protocol FailingHandler: AnyObject {
    var failure: SpreadsheetError? { get }
}

// MARK: - XLSX handlers

final class WorkbookHandler: NSObject, XMLParserDelegate, FailingHandler {
    var sheets: [(name: String, relation: String)] = []
    var failure: SpreadsheetError?
    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) { parser.abortParsing() }
    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        guard SpreadsheetReader.localName(name) == "sheet" else { return }
        sheets.append(
            (
                SpreadsheetReader.attribute(attributes, "name") ?? "Feuille\(sheets.count + 1)",
                SpreadsheetReader.attribute(attributes, "id") ?? ""
            ))
    }
}

final class RelationshipsHandler: NSObject, XMLParserDelegate, FailingHandler {
    var targets: [String: String] = [:]
    var failure: SpreadsheetError?
    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) { parser.abortParsing() }
    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        guard SpreadsheetReader.localName(name) == "Relationship", let id = attributes["Id"],
            let target = attributes["Target"]
        else { return }
        targets[id] = target
    }
}

/// `<si>` items: the text of their `<t>` elements, phonetic runs (`<rPh>`) left out.
final class SharedStringsHandler: NSObject, XMLParserDelegate, FailingHandler {
    var strings: [String] = []
    var failure: SpreadsheetError?
    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) { parser.abortParsing() }
    private var current = ""
    private var inText = false, inPhonetic = false
    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        switch SpreadsheetReader.localName(name) {
        case "si": current = ""
        case "t": inText = !inPhonetic
        case "rPh": inPhonetic = true
        default: break
        }
    }
    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch SpreadsheetReader.localName(name) {
        case "si": strings.append(current)
        case "t": inText = false
        case "rPh": inPhonetic = false
        default: break
        }
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) { if inText { current += string } }
}

final class XLSXSheetHandler: NSObject, XMLParserDelegate, FailingHandler {
    var builder: SheetBuilder
    let shared: [String]
    var failure: SpreadsheetError?
    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) { parser.abortParsing() }
    private var rowNumber = 0
    private var cells: [Int: Spreadsheet.Cell] = [:]
    private var column = -1
    private var type = ""
    private var value = ""
    private var inValue = false, inInline = false, inPhonetic = false, inCell = false

    init(_ builder: SheetBuilder, shared: [String]) {
        self.builder = builder
        self.shared = shared
    }

    private func fail(_ parser: XMLParser, _ e: SpreadsheetError) {
        if failure == nil { failure = e }
        parser.abortParsing()
    }

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        switch SpreadsheetReader.localName(name) {
        case "row":
            if let r = attributes["r"] {
                guard let n = Int(r), n > rowNumber, n <= 1_048_576 else {
                    return fail(parser, builder.error(rowNumber + 1, nil, "numéro de ligne « \(r) » invalide"))
                }
                rowNumber = n
            } else {
                rowNumber += 1
            }
            cells = Dictionary(minimumCapacity: cells.count)
            column = -1
        case "c":
            inCell = true
            if let r = attributes["r"] {
                guard let ref = SpreadsheetReader.cellReference(r), ref.row == nil || ref.row == rowNumber else {
                    return fail(parser, builder.error(rowNumber, nil, "référence de cellule « \(r) » invalide"))
                }
                column = ref.column
            } else {
                column += 1
            }
            if column >= builder.limits.maxColumns {
                return fail(parser, builder.error(rowNumber, column, "plus de \(builder.limits.maxColumns) colonnes"))
            }
            type = attributes["t"] ?? "n"
            value = ""
        case "v": inValue = inCell
        case "is": inInline = inCell
        case "rPh": inPhonetic = true
        case "t": inValue = inInline && !inPhonetic
        case "mergeCell":
            guard let ref = attributes["ref"] else { return }
            let ends = ref.split(separator: ":").map { SpreadsheetReader.cellReference(String($0)) }
            guard ends.count == 2, let a = ends[0], let b = ends[1], let r0 = a.row, let r1 = b.row,
                r0 <= r1, a.column <= b.column
            else {
                return fail(parser, builder.error(nil, nil, "plage fusionnée « \(ref) » invalide"))
            }
            builder.merges.append((r0, a.column, r1, b.column))
        default: break
        }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch SpreadsheetReader.localName(name) {
        case "v", "t": inValue = false
        case "is": inInline = false
        case "rPh": inPhonetic = false
        case "c":
            inCell = false
            let cell: Spreadsheet.Cell
            switch type {
            case "s":
                guard let i = Int(value.trimmed(.whitespaces)), shared.indices.contains(i) else {
                    return fail(
                        parser,
                        builder.error(
                            rowNumber, column, "chaîne partagée « \(value) » hors limites (\(shared.count) chaînes)"))
                }
                cell = Spreadsheet.Cell(text: shared[i])
            case "inlineStr", "str", "e", "d": cell = Spreadsheet.Cell(text: value)
            case "b": cell = Spreadsheet.Cell(text: value == "1" ? "VRAI" : "FAUX")
            default: cell = value.isEmpty ? Spreadsheet.Cell(text: "") : SpreadsheetReader.numberCell(value)
            }
            if !cell.text.isEmpty { cells[column] = cell }
        case "row":
            do { try builder.add(rowNumber, cells) } catch let e as SpreadsheetError { fail(parser, e) } catch {}
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { if inValue { value += string } }
}

// MARK: - ODS handler

/// `content.xml` of an ODS: `table:table` sheets of `table:table-row`s of `table:table-cell`s,
/// with their repeat counts; the text of a cell is its `text:p` paragraphs joined by newlines.
final class ODSHandler: NSObject, XMLParserDelegate, FailingHandler {
    let source: String
    let limits: SpreadsheetLimits
    var sheets: [Spreadsheet.Sheet] = []
    var failure: SpreadsheetError?
    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) { parser.abortParsing() }
    private var builder: SheetBuilder?
    private var filled = 0
    private var rowNumber = 0, rowRepeat = 1
    private var cells: [Int: Spreadsheet.Cell] = [:]
    private var column = 0
    // The cell being read.
    private var cellRepeat = 1, cellValue: Spreadsheet.Cell?, text = "", paragraphs = 0, textDepth = 0
    private var inCell = false
    /// Inside a cell's comment (`office:annotation`), whose paragraphs are not the cell's text.
    private var annotationDepth = 0

    init(source: String, limits: SpreadsheetLimits) {
        self.source = source
        self.limits = limits
    }

    private func fail(_ parser: XMLParser, _ e: SpreadsheetError) {
        if failure == nil { failure = e }
        parser.abortParsing()
    }
    private func attr(_ a: [String: String], _ n: String) -> String? { SpreadsheetReader.attribute(a, n) }
    private func count(_ a: [String: String], _ n: String) -> Int { max(1, attr(a, n).flatMap { Int($0) } ?? 1) }

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        switch SpreadsheetReader.localName(name) {
        case "table":
            builder = SheetBuilder(
                source: source, name: attr(attributes, "name") ?? "Feuille\(sheets.count + 1)", limits: limits)
            rowNumber = 0
        case "table-row":
            rowRepeat = count(attributes, "number-rows-repeated")
            cells = [:]
            column = 0
        case "table-cell", "covered-table-cell":
            guard let b = builder else { return }
            inCell = true
            cellRepeat = count(attributes, "number-columns-repeated")
            text = ""
            paragraphs = 0
            let type = attr(attributes, "value-type") ?? ""
            switch type {
            case "float", "percentage", "currency":
                cellValue = attr(attributes, "value").map(SpreadsheetReader.numberCell)
            case "date": cellValue = attr(attributes, "date-value").map { Spreadsheet.Cell(text: $0) }
            case "boolean":
                cellValue = attr(attributes, "boolean-value").map {
                    Spreadsheet.Cell(text: $0 == "true" ? "VRAI" : "FAUX")
                }
            default: cellValue = nil
            }
            let spanCols = count(attributes, "number-columns-spanned")
            let spanRows = count(attributes, "number-rows-spanned")
            if spanCols > 1 || spanRows > 1 {
                let r = rowNumber + 1
                builder?.merges.append(
                    (r, column, min(r + spanRows - 1, 1_048_576), min(column + spanCols - 1, b.limits.maxColumns)))
            }
        case "annotation": annotationDepth += 1
        case "p":
            if inCell && annotationDepth == 0 {
                if paragraphs > 0 { text += "\n" }
                paragraphs += 1
                textDepth += 1
            }
        case "s":
            if inCell && textDepth > 0 { text += String(repeating: " ", count: min(count(attributes, "c"), 1000)) }
        case "tab": if inCell && textDepth > 0 { text += "\t" }
        case "line-break": if inCell && textDepth > 0 { text += "\n" }
        default: break
        }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch SpreadsheetReader.localName(name) {
        case "annotation": annotationDepth -= 1
        case "p": if inCell && annotationDepth == 0 { textDepth -= 1 }
        case "table-cell", "covered-table-cell":
            guard builder != nil, inCell else { return }
            inCell = false
            let cell = cellValue ?? Spreadsheet.Cell(text: text)
            if cell.text.isEmpty {
                // Empty cells (LibreOffice repeats them to the last column) only move the column.
                column = min(column + cellRepeat, limits.maxColumns)
                return
            }
            if column + cellRepeat > limits.maxColumns {
                return fail(parser, builder!.error(rowNumber + 1, column, "plus de \(limits.maxColumns) colonnes"))
            }
            for _ in 0..<cellRepeat {
                cells[column] = cell
                column += 1
            }
        case "table-row":
            guard builder != nil else { return }
            if cells.isEmpty {
                // Empty rows (repeated to the end of the sheet) are skipped without being built.
                rowNumber = min(rowNumber + rowRepeat, 1_048_577)
                return
            }
            if rowNumber + rowRepeat > 1_048_576 {
                return fail(parser, builder!.error(rowNumber + 1, nil, "lignes au-delà de 1 048 576"))
            }
            do {
                for _ in 0..<rowRepeat {
                    rowNumber += 1
                    try builder!.add(rowNumber, cells)
                }
            } catch let e as SpreadsheetError { fail(parser, e) } catch {}
        case "table":
            guard var b = builder else { return }
            do { sheets.append(try b.finish(filled: &filled)) } catch let e as SpreadsheetError {
                fail(parser, e)
            } catch {}
            builder = nil
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { if inCell && textDepth > 0 { text += string } }
}
