public import Foundation

/// Writes files atomically: to a temporary file in the same folder, then renamed over the
/// target, so an interrupted run (Ctrl-C, disk full) never leaves a half-written output and an
/// existing file stays untouched on failure.
public enum AtomicFile {
    /// Writes `bytes` to `path` atomically.
    ///
    /// - Parameters:
    ///   - bytes: The bytes.
    ///   - path: The file to write (its folder must exist).
    /// - Throws: The file system's error (folder missing, disk full); the target is then untouched.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        // Data over the array's own storage: a report of megabytes is not copied to be written.
        try bytes.withUnsafeBytes { b in
            guard let base = b.baseAddress else { return try write(Data(), to: path) }
            try write(
                Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: base), count: b.count, deallocator: .none), to: path
            )
        }
    }

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
