public import Foundation

/// Reads a whole input file, refusing first what must not be loaded: a file over `maxBytes`
/// (not loaded blindly into memory) or an empty one. Each reader turns the refusal into its own
/// error type (CSV line, GeoJSON feature), so the messages stay the same everywhere.
///
/// ```swift
/// do { data = try InputFile.read(path, maxBytes: 64 << 20, kind: "une liste de membres") }
/// catch { throw CSVError(source: path, line: error.line, message: error.message) }
/// ```
public enum InputFile {
    /// Why the file was not read (the French wording of each case is `message`).
    public enum Refusal: Error, Sendable, Equatable {
        /// Larger than the limit for this kind of input (`kind` in French: "une liste de membres").
        case tooLarge(bytes: Int, limit: Int, kind: String)
        /// The file is empty.
        case empty
        /// Missing, a folder, or not readable.
        case unreadable

        /// 1 for an empty file, 0 for the whole file.
        public var line: Int { self == .empty ? 1 : 0 }
        /// Stable English code for scripts.
        public var code: String {
            switch self {
            case .tooLarge: "file_too_large"
            case .empty: "empty_file"
            case .unreadable: "unreadable_file"
            }
        }
        /// The French message.
        public var message: String {
            switch self {
            case .tooLarge(let bytes, let limit, let kind):
                "le fichier fait \(bytes) octets, au-delà de la limite de \(limit) octets pour \(kind)"
            case .empty: "le fichier est vide"
            case .unreadable: "fichier introuvable ou illisible"
            }
        }
    }

    /// Reads a whole file, refusing first one too large or empty.
    ///
    /// - Parameters:
    ///   - path: The file.
    ///   - maxBytes: Larger files are refused before being read.
    ///   - kind: What the file should be, in French ("une liste de membres"), for the message.
    /// - Returns: The file's bytes.
    /// - Throws: ``Refusal`` when the file is too large, empty, missing or unreadable.
    public static func read(_ path: String, maxBytes: Int, kind: String) throws(Refusal) -> Data {
        var st = stat()
        let isRegular = stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
        if isRegular, Int(st.st_size) > maxBytes {
            throw .tooLarge(bytes: Int(st.st_size), limit: maxBytes, kind: kind)
        }
        // Not read at all: Foundation leaks a buffer reading an empty file (LeakSanitizer).
        if isRegular, st.st_size == 0 { throw .empty }
        // A regular file is mapped, not copied into a fresh buffer: the composition tables
        // (4 MB) were read mostly in zeroing and copying pages. A pipe or a device is read.
        if isRegular, let data = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) {
            return data
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable }
        return data
    }
}
