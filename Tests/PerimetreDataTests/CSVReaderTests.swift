import Foundation
import PerimetreData
import Testing

private func parse(_ text: String, separator: UInt8? = nil) throws -> CSVTable {
    try CSVReader.parse(Array(text.utf8), source: "test.csv", separator: separator)
}

/// The CSVError thrown by `body`, or nil (and a recorded issue) when none is.
private func csvError(_ body: () throws -> CSVTable) -> CSVError? {
    do {
        let t = try body()
        Issue.record("expected a CSVError, parsed \(t.rows.count) rows")
        return nil
    } catch let e as CSVError {
        return e
    } catch {
        Issue.record("expected a CSVError, got \(error)")
        return nil
    }
}

@Suite("CSVReader")
struct CSVReaderTests {
    @Test("A plain comma-separated table, rows with their line numbers")
    func plain() throws {
        let t = try parse("code,nom\n01001,L'Abergement-Clémenciat\n2A004,Ajaccio\n")
        #expect(t.header == ["code", "nom"])
        #expect(t.rows == [["01001", "L'Abergement-Clémenciat"], ["2A004", "Ajaccio"]])
        #expect(t.lines == [2, 3])
        #expect(t.separator == ",")
        #expect(t.column("NOM") == 1)
        #expect(t.column("absent") == nil)
    }

    @Test("A UTF-8 byte order mark is not part of the first column name")
    func bom() throws {
        let t = try CSVReader.parse(
            [0xEF, 0xBB, 0xBF] + Array("siren;nom\n200000172;Faucigny-Glières\n".utf8), source: "bom.csv")
        #expect(t.header == ["siren", "nom"])
        #expect(try t.requireColumn("siren") == 0)
        #expect(t.rows == [["200000172", "Faucigny-Glières"]])
    }

    @Test(
        "The separator is detected from the header line",
        arguments: [
            ("a;b;c\n1;2;3\n", Character(";")),
            ("a,b,c\n1,2,3\n", Character(",")),
            ("a\tb\tc\n1\t2\t3\n", Character("\t")),
            // Semicolons in the data rows do not count, nor separators inside quotes.
            ("a,b,c\n1;x,2;y,3\n", Character(",")),
            ("\"x;y;z\",b\n1,2\n", Character(",")),
            ("nom;\"a,b,c\"\n1;2\n", Character(";")),
        ])
    func separator(text: String, expected: Character) throws {
        let t = try parse(text)
        #expect(t.separator == expected)
        #expect(t.header.count == (text.hasPrefix("a") ? 3 : 2))
        #expect(t.rows.count == 1)
    }

    @Test("The separator given overrides detection")
    func explicitSeparator() throws {
        let t = try parse("a;b,c\n1;2,3\n", separator: UInt8(ascii: ","))
        #expect(t.header == ["a;b", "c"])
        #expect(t.rows == [["1;2", "3"]])
    }

    @Test("CRLF line ends, and a last line without one")
    func crlf() throws {
        let t = try parse("a,b\r\n1,2\r\n3,4")
        #expect(t.rows == [["1", "2"], ["3", "4"]])
        #expect(t.lines == [2, 3])
        #expect(!t.rows.joined().contains { $0.contains("\r") })
    }

    @Test("Quoted fields: embedded separators, newlines and doubled quotes, with the lines of the rows after")
    func quoted() throws {
        let text = "id,texte\n1,\"hello\nworld\"\n2,\"dit \"\"bonjour\"\", puis part\"\n3,\"a\r\nb\r\nc\"\n4,fin\n"
        let t = try parse(text)
        #expect(
            t.rows == [
                ["1", "hello\nworld"], ["2", "dit \"bonjour\", puis part"], ["3", "a\r\nb\r\nc"], ["4", "fin"],
            ])
        // Row 1 spans lines 2–3, row 3 spans lines 5–7.
        #expect(t.lines == [2, 4, 5, 8])
    }

    @Test("Empty fields and blank lines")
    func emptyFields() throws {
        let t = try parse("a,b,c\n\n1,,\n\"\",x,\n\n")
        #expect(t.rows == [["1", "", ""], ["", "x", ""]])
        #expect(t.lines == [3, 4])
    }

    @Test("Latin-1 input is read rather than refused")
    func latin1() throws {
        let t = try CSVReader.parse(Array("nom\nB".utf8) + [0xE9] + Array("ziers\n".utf8), source: "latin1.csv")
        #expect(t.rows == [["Béziers"]])
    }

    @Test("A ragged row is an error naming its line")
    func ragged() {
        let e = csvError { try parse("a,b\n1,2\n3\n4,5\n") }
        #expect(e?.line == 3)
        #expect(e?.source == "test.csv")
        #expect(e?.message.contains("1 champs là où l'en-tête en a 2") == true)
        #expect(e?.description.hasPrefix("test.csv:3:") == true)
        // After a multi-line quoted field, the line is still right.
        let e2 = csvError { try parse("a,b\n1,\"x\ny\nz\"\n2,3,4\n") }
        #expect(e2?.line == 5)
    }

    @Test("An empty file is an error", arguments: ["", "\n\n", "  \r\n", "\u{FEFF}"])
    func empty(text: String) {
        let e = csvError { try parse(text) }
        #expect(e?.message.contains("vide") == true)
        #expect(e?.line == 1)
    }

    @Test("An unterminated quote is an error naming the line where its row starts")
    func unterminatedQuote() {
        let e = csvError { try parse("a,b\n1,2\n3,\"never closed\n4,5\n") }
        #expect(e?.line == 3)
        #expect(e?.message.contains("jamais refermé") == true)
    }

    @Test("A missing column is an error listing the columns found")
    func missingColumn() throws {
        let t = try parse("insee,siren_epci\n01001,200069193\n")
        let e = csvError {
            _ = try t.requireColumn("siren_membre")
            return t
        }
        #expect(e?.message.contains("siren_membre") == true)
        #expect(e?.message.contains("insee, siren_epci") == true)
    }

    @Test("Reading a file: missing file and size limit")
    func files() throws {
        let missing = "/nonexistent/\(UUID().uuidString).csv"
        let e = csvError { try CSVReader.read(contentsOf: missing) }
        #expect(e?.source == missing)

        let path = FileManager.default.temporaryDirectory.appendingPathComponent("csv-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data("a;b\n1;2\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(try CSVReader.read(contentsOf: path).rows == [["1", "2"]])
        let big = csvError { try CSVReader.read(contentsOf: path, maxBytes: 4) }
        #expect(big?.message.contains("limit") == true)
    }
}

// MARK: - XZ

private let hasXZ =
    FileManager.default.isExecutableFile(atPath: "/usr/bin/xz")
    || FileManager.default.isExecutableFile(atPath: "/usr/local/bin/xz")
    || FileManager.default.isExecutableFile(atPath: "/bin/xz")

/// `input` compressed by the `xz` command-line tool.
private func xzCompress(_ input: [UInt8]) throws -> [UInt8] {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xz-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("table.csv")
    try Data(input).write(to: file)
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["xz", "-z", "-6", file.path]  // writes table.csv.xz
    try p.run()
    p.waitUntilExit()
    try #require(p.terminationStatus == 0, "xz exited with status \(p.terminationStatus)")
    return [UInt8](try Data(contentsOf: dir.appendingPathComponent("table.csv.xz")))
}

@Suite("XZ")
struct XZTests {
    static let sample: [UInt8] = {
        var s = "code,nom,population\n"
        for i in 0..<3_000 { s += "\(String(format: "%05d", i)),Commune n° \(i),\(i * 37 % 10_000)\n" }
        return Array(s.utf8)
    }()

    @Test("Round trip of a file compressed by the xz tool", .enabled(if: hasXZ, "the xz command-line tool is absent"))
    func roundTrip() throws {
        let compressed = try xzCompress(Self.sample)
        #expect(compressed.count < Self.sample.count / 3)
        #expect(Array(compressed.prefix(6)) == [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00])  // the xz magic
        let out = try XZ.decompress(compressed, source: "table.csv.xz")
        #expect(out == Self.sample)
        let t = try CSVReader.parse(out, source: "table.csv.xz")
        #expect(t.rows.count == 3_000)
        #expect(t.rows[7] == ["00007", "Commune n° 7", "259"])
    }

    @Test(
        "Concatenated xz streams decode to the concatenation", .enabled(if: hasXZ, "the xz command-line tool is absent")
    )
    func concatenated() throws {
        let a = Array("premier\n".utf8)
        let b = Array("second\n".utf8)
        let out = try XZ.decompress(try xzCompress(a) + xzCompress(b), source: "two.xz")
        #expect(out == a + b)
    }

    @Test("Garbage, truncated and empty input are errors naming the source")
    func garbage() throws {
        #expect(throws: XZ.Failure.self) {
            try XZ.decompress(Array("this is not xz at all".utf8), source: "garbage.xz")
        }
        do {
            _ = try XZ.decompress([0x00, 0x01, 0x02, 0x03, 0xFF], source: "garbage.xz")
            Issue.record("garbage decompressed")
        } catch let e as XZ.Failure {
            #expect(e.source == "garbage.xz")
            #expect(e.description.contains("garbage.xz"))
        }
        #expect(throws: XZ.Failure.self) { try XZ.decompress([], source: "empty.xz") }
        if hasXZ {
            let c = try xzCompress(Self.sample)
            #expect(throws: XZ.Failure.self) { try XZ.decompress(Array(c.prefix(c.count / 2)), source: "truncated.xz") }
        }
    }

    @Test(
        "scan streams the same fields and lines as parse, and the same errors",
        arguments: [
            "a,b,c\n1,2,3\n4,5,6\n",
            "\u{FEFF}insee;siren\r\n01001;210100012\r\n\r\n  \r\n01002;210100020",
            "k,v\n1,\"hello\nworld\"\n2,\"dit \"\"bonjour\"\", puis part\"\n3,x",
            "k\tv\n1\t\n\t2\n",
            // Plain quoted fields (taken in place), empty ones, bytes after a closing quote, the last at the end.
            "\"id\",\"nom\"\n\"1\",\"Saint-Étienne\"\n\"2\",\"\"\n\"3\",\"x\"y\n\"4\",\"fin\"",
            "a;b\n\"q\";\"multi\nligne\"\n\"\";1\r\n\"a \"\"b\"\" c\";\"\"\"\"\n",
            "k\n\"\"\n1\n\"  \"\n2",
        ])
    func scanMatchesParse(_ text: String) throws {
        let t = try parse(text)
        var rows: [[String]] = []
        var lines: [Int] = []
        let header = try CSVReader.scan(Array(text.utf8), source: "test.csv", select: { Array($0.indices) }) {
            field, line in
            rows.append((0..<t.header.count).map(field))
            lines.append(line)
        }
        #expect(header == t.header)
        #expect(rows == t.rows)
        #expect(lines == t.lines)
        // Only the columns asked for: the last one.
        var last: [String] = []
        try CSVReader.scan(Array(text.utf8), source: "test.csv", select: { [$0.count - 1] }) { field, _ in
            last.append(field(0))
        }
        #expect(last == t.rows.map { $0[$0.count - 1] })
        // `keep` sees the first selected field's bytes, unquoted, and skips the row before decoding.
        for odd in [true, false] {
            var kept: [String] = []
            try CSVReader.scan(
                Data(text.utf8), source: "test.csv", select: { [0, $0.count - 1] },
                keep: { ($0.count % 2 == 1) == odd }
            ) { field, _ in kept.append(field(1)) }
            #expect(kept == t.rows.filter { ($0[0].utf8.count % 2 == 1) == odd }.map { $0[$0.count - 1] })
        }
    }

    @Test("scan finds each field's end 16 bytes at a time: long and short fields at every offset, as parse reads them")
    func scanLongFields() throws {
        // Fields of 0 to 40 bytes, so that separators and line ends fall at every position of a
        // 16-byte block, the last block of the file short; some quoted; the three separators.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let alphabet = Array("abcdéfghij klmnop-'0123456789".utf8)
        for table in 0..<120 {
            let sep = [",", ";", "\t"][table % 3]
            let eol = table % 2 == 0 ? "\n" : "\r\n"
            let columns = 1 + next(6)
            var text = (0..<columns).map { "c\($0)" }.joined(separator: sep) + eol
            for _ in 0..<(1 + next(12)) {
                let fields = (0..<columns).map { _ -> String in
                    let f = String(decoding: (0..<next(41)).map { _ in alphabet[next(alphabet.count)] }, as: UTF8.self)
                    return next(5) == 0 ? "\"" + f + "\"" : f
                }
                text += fields.joined(separator: sep) + eol
            }
            if table % 4 == 3 { text.removeLast(eol.count) }  // no line end after the last row
            let t = try parse(text)
            var rows: [[String]] = []
            try CSVReader.scan(Array(text.utf8), source: "test.csv", select: { Array($0.indices) }) { field, _ in
                rows.append((0..<t.header.count).map(field))
            }
            #expect(rows == t.rows, "table \(table)")
            #expect(rows.contains { $0.contains { $0.utf8.count >= 16 } } || columns * rows.count < 4)
        }
    }

    @Test("scan: a ragged row names its line, an unclosed quote its row, Latin-1 is read")
    func scanErrors() throws {
        func scanError(_ text: [UInt8]) -> CSVError? {
            do {
                try CSVReader.scan(text, source: "t.csv", select: { Array($0.indices) }) { _, _ in }
                return nil
            } catch { return error as? CSVError }
        }
        #expect(scanError(Array("a,b\n1,2\n3\n".utf8))?.line == 3)
        #expect(scanError(Array("a,b\n1,2\n3\n".utf8))?.message.contains("1 champs là où l'en-tête en a 2") == true)
        #expect(scanError(Array("a,b\n1,\"open\n2,3\n".utf8))?.line == 2)
        var names: [String] = []
        try CSVReader.scan([0x6E, 0x6F, 0x6D, 10, 0x4C, 0xE9, 0x6F, 10], source: "t.csv", select: { _ in [0] }) {
            f, _ in names.append(f(0))
        }
        #expect(names == ["Léo"])
    }
}
