public import Foundation
import PerimetreGeometry

extension CSVReader {
    /// A table file's bytes (size-limited), its refusal as a ``CSVError`` naming the file.
    public static func contents(of path: String, maxBytes: Int = 512 << 20) throws -> Data {
        do { return try InputFile.read(path, maxBytes: maxBytes, kind: "une table") } catch {
            throw CSVError(source: path, line: error.line, message: error.message, code: error.code)
        }
    }

    /// Streams the rows of a table to `body` without building a table: `field(k)` decodes, on
    /// demand, column `select(header)[k]` of the current row, and nothing else is decoded. For
    /// the 35,000-row composition tables, of which a lookup needs 2 or 3 of 8 columns (and a
    /// grouping's name once, not on each of its rows). Same rules and messages as
    /// ``parse(_:source:separator:)``: BOM, CRLF, separator from the header, quoted
    /// fields with doubled quotes (over several lines too), blank lines skipped, the field count
    /// checked on every row.
    ///
    /// ```swift
    /// try CSVReader.scan(bytes, source: "t.csv", select: { h in [h.firstIndex(of: "insee")!] }) { field, line in
    ///     print(field(0))
    /// }
    /// ```
    /// Returns the header.
    @discardableResult
    public static func scan(
        _ bytes: [UInt8], source: String, select: ([String]) throws -> [Int],
        _ body: (_ field: (Int) -> String, _ line: Int) throws -> Void
    ) throws -> [String] {
        try bytes.withUnsafeBufferPointer { try scan(buffer: $0, source: source, select: select, body) }
    }

    /// As ``scan(_:source:select:_:)`` on a file's bytes as read (no copy). `keep`, when given,
    /// sees the bytes of the first selected field (unquoted) and skips the row when false, before
    /// any field is decoded: a table of 35,000 rows of which a lookup keeps a few is then read
    /// without a string per row.
    @discardableResult
    public static func scan(
        _ data: Data, source: String, select: ([String]) throws -> [Int],
        keep: ((UnsafeBufferPointer<UInt8>) -> Bool)? = nil,
        _ body: (_ field: (Int) -> String, _ line: Int) throws -> Void
    ) throws -> [String] {
        try data.withUnsafeBytes {
            try scan(buffer: $0.bindMemory(to: UInt8.self), source: source, select: select, keep: keep, body)
        }
    }

    static func scan(
        buffer buf: UnsafeBufferPointer<UInt8>, source: String, select: ([String]) throws -> [Int],
        keep: ((UnsafeBufferPointer<UInt8>) -> Bool)? = nil,
        _ body: (_ field: (Int) -> String, _ line: Int) throws -> Void
    ) throws -> [String] {
        var start = 0
        if buf.count >= 3, buf[0] == 0xEF, buf[1] == 0xBB, buf[2] == 0xBF { start = 3 }
        guard buf[start...].contains(where: { $0 != 10 && $0 != 13 && $0 != 32 }) else {
            throw CSVError(source: source, line: 1, message: "le fichier est vide", code: "empty_file")
        }
        // The separator is told by the first lines (the header, or a quoted header over several lines).
        let sep = detectSeparator(ArraySlice(buf[start..<min(buf.count, start + 65536)]))
        // The cursor and the row are plain locals passed `inout`, never captured by a closure: a
        // captured `var` is boxed and every access to it checked for exclusivity at run time, which
        // was a quarter of the time of reading the composition tables.
        var cursor = ScanCursor(position: start, line: 1)
        var row = ScanRow()
        var header: [String] = []
        while (try nextRow(buf, sep: sep, cursor: &cursor, row: &row, source: source)) != nil {
            if row.isBlank(in: buf) { continue }
            header = row.ranges.indices.map { row.value($0, in: buf).trimmingCharacters(in: .whitespaces) }
            break
        }
        guard !header.isEmpty else {
            throw CSVError(source: source, line: 1, message: "le fichier est vide", code: "empty_file")
        }
        let selected = try select(header)
        while let rowLine = try nextRow(buf, sep: sep, cursor: &cursor, row: &row, source: source) {
            // A line of one blank field is skipped, as parse does.
            if row.isBlank(in: buf) { continue }
            guard row.ranges.count == header.count else {
                throw CSVError(
                    source: source, line: rowLine,
                    message:
                        "\(row.ranges.count) champs là où l'en-tête en a \(header.count) (séparateur « \(Character(UnicodeScalar(sep))) »)",
                    code: "wrong_field_count")
            }
            if let keep, !row.withField(selected[0], in: buf, keep) { continue }
            let current = row
            try body({ current.value(selected[$0], in: buf) }, rowLine)
        }
        return header
    }

    private struct ScanCursor {
        var position: Int
        var line: Int
    }

    /// The fields of one row: bytes a..<b of the buffer (unquoted, or inside plain quotes), or
    /// (-1, k) for `quoted[k]` (a quoted field with doubled quotes or bytes after its closing
    /// quote, unescaped).
    private struct ScanRow {
        var ranges: [(Int, Int)] = []
        var quoted: [[UInt8]] = []

        func isBlank(in buf: UnsafeBufferPointer<UInt8>) -> Bool {
            ranges.count == 1 && ranges[0].0 >= 0
                && UnsafeBufferPointer(rebasing: buf[ranges[0].0..<ranges[0].1]).allSatisfy { $0 == 32 || $0 == 9 }
        }

        func withField<R>(
            _ c: Int, in buf: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> R
        ) -> R {
            let (a, b) = ranges[c]
            return a < 0 ? quoted[b].withUnsafeBufferPointer(body) : body(UnsafeBufferPointer(rebasing: buf[a..<b]))
        }

        func value(_ c: Int, in buf: UnsafeBufferPointer<UInt8>) -> String {
            let (a, b) = ranges[c]
            return a < 0
                ? CSVReader.decodeField(quoted[b]) : CSVReader.decodeField(UnsafeBufferPointer(rebasing: buf[a..<b]))
        }
    }

    /// Reads the next row into `row`; returns the line it starts on, nil at the end of the buffer.
    private static func nextRow(
        _ buf: UnsafeBufferPointer<UInt8>, sep: UInt8, cursor: inout ScanCursor,
        row: inout ScanRow, source: String
    ) throws -> Int? {
        let n = buf.count
        var i = cursor.position
        guard i < n else { return nil }
        let rowLine = cursor.line
        var line = cursor.line
        row.ranges.removeAll(keepingCapacity: true)
        row.quoted.removeAll(keepingCapacity: true)
        while true {
            let fieldStart = i
            if i < n && buf[i] == 34 {
                try quotedField(buf, sep: sep, at: &i, line: &line, rowLine: rowLine, row: &row, source: source)
            } else {
                i = fieldEnd(buf, from: i, sep: sep)
                row.ranges.append((fieldStart, i))
            }
            if i < n && buf[i] == sep {
                i += 1
                continue
            }
            break
        }
        if i < n { i += (buf[i] == 13 && i + 1 < n && buf[i + 1] == 10) ? 2 : 1 }
        cursor = ScanCursor(position: i, line: line + 1)
        return rowLine
    }

    /// The end of the unquoted field starting at `start`: its separator or line end, or the end of
    /// the buffer. Sixteen bytes are compared at a time (the composition tables are 4 MB); the
    /// first match is the lowest set byte of the lanes read as two little-endian words.
    @inline(__always)
    static func fieldEnd(_ buf: UnsafeBufferPointer<UInt8>, from start: Int, sep: UInt8) -> Int {
        let n = buf.count
        var i = start
        if let base = buf.baseAddress {
            let (s, lf, cr) = (
                SIMD16<UInt8>(repeating: sep), SIMD16<UInt8>(repeating: 10), SIMD16<UInt8>(repeating: 13)
            )
            while i + 16 <= n {
                let v = UnsafeRawPointer(base + i).loadUnaligned(as: SIMD16<UInt8>.self)
                let hit = (v .== s) .| (v .== lf) .| (v .== cr)
                if !any(hit) {
                    i += 16
                    continue
                }
                let words = unsafeBitCast(
                    SIMD16<UInt8>(repeating: 0).replacing(with: 1, where: hit), to: SIMD2<UInt64>.self)
                let low = UInt64(littleEndian: words[0])
                let high = UInt64(littleEndian: words[1])
                return i + (low != 0 ? low.trailingZeroBitCount / 8 : 8 + high.trailingZeroBitCount / 8)
            }
        }
        while i < n, buf[i] != sep, buf[i] != 10, buf[i] != 13 { i += 1 }
        return i
    }

    /// Reads the quoted field starting at `i` (on its opening quote) into `row`: doubled quotes,
    /// line ends inside; what follows the closing quote is kept. Nearly all are plain (no doubled
    /// quote, nothing after): a range of the buffer then, as an unquoted field, and only the
    /// others are copied.
    private static func quotedField(
        _ buf: UnsafeBufferPointer<UInt8>, sep: UInt8, at i: inout Int, line: inout Int, rowLine: Int,
        row: inout ScanRow, source: String
    ) throws {
        let n = buf.count
        i += 1
        let inner = i
        var end = i
        var bytes: [UInt8]? = nil
        var closed = false
        while i < n {
            let b = buf[i]
            if b == 34 {
                if i + 1 < n && buf[i + 1] == 34 {
                    if bytes == nil { bytes = Array(buf[inner..<i]) }
                    bytes!.append(34)
                    i += 2
                    continue
                }
                end = i
                i += 1
                closed = true
                break
            }
            if b == 10 { line += 1 }
            bytes?.append(b)
            i += 1
        }
        if !closed {
            throw CSVError(
                source: source, line: rowLine, message: "un champ entre guillemets n'est jamais refermé",
                code: "unclosed_quote")
        }
        if bytes == nil && (i == n || buf[i] == sep || buf[i] == 10 || buf[i] == 13) {
            row.ranges.append((inner, end))
        } else {
            var copied = bytes ?? Array(buf[inner..<end])
            while i < n, buf[i] != sep, buf[i] != 10, buf[i] != 13 {
                copied.append(buf[i])
                i += 1
            }
            row.ranges.append((-1, row.quoted.count))
            row.quoted.append(copied)
        }
    }
}
