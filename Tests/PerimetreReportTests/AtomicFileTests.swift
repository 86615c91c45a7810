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
