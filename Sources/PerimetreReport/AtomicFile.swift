public import Foundation

/// Writes files atomically: to a temporary file in the same folder, then renamed over the
/// target, so an interrupted run (Ctrl-C, disk full) never leaves a half-written output and an
/// existing file stays untouched on failure.
public enum AtomicFile {
    /// Writes `data` to `path` atomically.
    ///
    /// - Parameters:
    ///   - data: The bytes.
    ///   - path: The file to write (its folder must exist).
    /// - Throws: The file system's error (folder missing, disk full); the target is then untouched.
    public static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent()
        let tmp = dir.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
        do {
            try data.write(to: tmp)
            if rename(tmp.path, url.path) != 0 {
                throw CocoaError(
                    .fileWriteUnknown,
                    userInfo: [
                        NSFilePathErrorKey: path,
                        NSLocalizedDescriptionKey:
                            "cannot rename \(tmp.path) to \(path): \(String(cString: strerror(errno)))",
                    ])
            }
        } catch {
            try? FileManager.default.removeItem(at: tmp)
            throw error
        }
    }
}
