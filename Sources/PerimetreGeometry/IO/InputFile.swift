public import Foundation

/// Reads a whole input file, refusing first what must not be loaded: a file over `maxBytes`
/// (not loaded blindly into memory) or an empty one. Each reader turns the refusal into its own
/// error type (CSV line, GeoJSON feature), so the messages stay the same everywhere.
///
/// ```swift
/// do { data = try InputFile.read(path, maxBytes: 64 << 20, kind: "a member list") }
/// catch { throw CSVError(source: path, line: error.line, message: error.message) }
/// ```
public enum InputFile {
    /// Why the file was not read; `line` is 1 for an empty file, 0 for the whole file.
    public struct Refusal: Error, Sendable {
        public var line: Int
        public var message: String
    }

    public static func read(_ path: String, maxBytes: Int, kind: String) throws(Refusal) -> Data {
        let attrs = try? FileManager.default.attributesOfItem(atPath: path)
        if let size = attrs?[.size] as? Int, size > maxBytes {
            throw Refusal(line: 0, message: "file is \(size) bytes, over the \(maxBytes)-byte limit for \(kind)")
        }
        // Not read at all: Foundation leaks a buffer reading an empty file (LeakSanitizer).
        if attrs?[.type] as? FileAttributeType == .typeRegular, attrs?[.size] as? Int == 0 {
            throw Refusal(line: 1, message: "the file is empty")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Refusal(line: 0, message: "cannot read the file")
        }
        return data
    }
}
