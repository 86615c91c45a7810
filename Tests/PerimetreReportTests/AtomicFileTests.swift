import Foundation
import PerimetreReport
import Testing

/// ``AtomicFile``: the file appears whole or not at all, and a failure names the file in French.
@Suite("AtomicFile")
struct AtomicFileTests {
    func scratch() throws -> URL {
        let u = FileManager.default.temporaryDirectory.appendingPathComponent("perimetre-atomic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
        return u
    }

    @Test("Pieces are written one after the other, over an existing file, with no temporary file left")
    func piecesInOrder() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("out.json").path
        try AtomicFile.write(Data("old bytes\n".utf8), to: path)
        // Small pieces gathered, one larger than the 1 MiB buffer written as it is, empty ones.
        let big = [UInt8]((0..<(3 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let pieces: [[UInt8]] = [Array("[1,".utf8), [], big, Array("2]".utf8)] + (0..<5000).map { [UInt8($0 % 200)] }
        try AtomicFile.write(pieces: pieces, to: path)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(pieces.joined()))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out.json"])
    }

    @Test("A missing folder or a folder in the way: a French error naming the file, nothing left behind")
    func failures() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let missing = dir.appendingPathComponent("absent/out.json").path
        #expect {
            try AtomicFile.write(pieces: [Array("{}".utf8)], to: missing)
        } throws: { e in
            "\(e)" == "impossible d'écrire \(missing) : dossier introuvable"
        }
        // The target is a folder: the rename fails, the folder and its content stay, the
        // temporary file is removed.
        let folder = dir.appendingPathComponent("report.json")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
        try Data("keep".utf8).write(to: folder.appendingPathComponent("inside"))
        #expect {
            try AtomicFile.write(Array("{}".utf8), to: folder.path)
        } throws: { e in
            "\(e)" == "impossible d'écrire \(folder.path) : un dossier porte ce nom"
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["report.json"])
        #expect(try Data(contentsOf: folder.appendingPathComponent("inside")) == Data("keep".utf8))
    }
}

/// ``AtomicFile/write(streamingTo:_:)``: bytes appended as they come, the allocation ahead cut
/// at the end, and nothing left when the writer fails midway.
@Suite("AtomicFile, streamed")
struct AtomicFileStreamTests {
    @Test("Appended from several threads one at a time: the file is their concatenation, at its size")
    func streamed() throws {
        let dir = try AtomicFileTests().scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("out.json").path
        try AtomicFile.write(Data("old".utf8), to: path)
        // 20 MiB in pieces of 1 byte to 2 MiB: past the 8 MiB steps allocated ahead.
        var expected: [UInt8] = []
        let count = try AtomicFile.write(streamingTo: path) { sink in
            var n = 0
            var size = 1
            while expected.count < 20 << 20 {
                let piece = [UInt8](repeating: UInt8(n % 251), count: size)
                try sink.append(piece)
                expected += piece
                n += 1
                size = size >= 2 << 20 ? 1 : size * 3
            }
            return n
        }
        #expect(count > 20)
        let written = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(written.count == expected.count, "the allocation ahead is cut at the bytes written")
        #expect(written == Data(expected))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out.json"])
    }

    @Test("The writer fails after 3 MiB: the old file stays, no temporary file is left")
    func failsMidway() throws {
        struct Stop: Error {}
        let dir = try AtomicFileTests().scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("out.json").path
        try AtomicFile.write(Data("old".utf8), to: path)
        #expect(throws: Stop.self) {
            try AtomicFile.write(streamingTo: path) { sink in
                for _ in 0..<3 { try sink.append([UInt8](repeating: 65, count: 1 << 20)) }
                throw Stop()
            }
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data("old".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out.json"])
    }
}
