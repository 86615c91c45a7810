public import Foundation
import PerimetreGeometry

#if canImport(Glibc)
import Glibc
#endif

/// Writes files atomically: to a temporary file in the same folder, then renamed over the
/// target, so an interrupted run (Ctrl-C, disk full) never leaves a half-written output and an
/// existing file stays untouched on failure.
public enum AtomicFile {
    /// Writes `bytes` to `path` atomically.
    ///
    /// - Parameters:
    ///   - bytes: The bytes.
    ///   - path: The file to write (its folder must exist).
    /// - Throws: ``FileWriteError`` (folder missing, disk full); the target is then untouched.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        try write(pieces: [bytes], to: path)
    }

    /// Writes `data` to `path` atomically.
    ///
    /// - Parameters:
    ///   - data: The bytes.
    ///   - path: The file to write (its folder must exist).
    /// - Throws: ``FileWriteError`` (folder missing, disk full); the target is then untouched.
    public static func write(_ data: Data, to path: String) throws {
        try write(to: path) { file in
            file.reserve(data.count)
            try data.withUnsafeBytes { try file.append($0) }
        }
    }

    /// Writes the concatenation of `pieces` to `path` atomically, without joining them first: a
    /// report of 15 MB written in pieces (``AuditReport/jsonPieces(_:scope:)``) is not copied into
    /// one buffer.
    ///
    /// ```swift
    /// try AtomicFile.write(pieces: [Array("[1,".utf8), Array("2]".utf8)], to: "a.json")   // [1,2]
    /// ```
    /// - Parameters:
    ///   - pieces: The bytes, in order.
    ///   - path: The file to write (its folder must exist).
    /// - Throws: ``FileWriteError`` (folder missing, disk full); the target is then untouched.
    public static func write(pieces: [[UInt8]], to path: String) throws {
        try write(to: path) { file in
            file.reserve(pieces.reduce(0) { $0 + $1.count })
            for p in pieces { try p.withUnsafeBytes { try file.append($0) } }
        }
    }

    /// Writes to `path` atomically what `body` appends to the ``Sink`` it is given, as it comes:
    /// a report written while it is computed, never whole in memory. When `body` throws, the
    /// temporary file is removed and `path` is untouched.
    ///
    /// ```swift
    /// try AtomicFile.write(streamingTo: "a.json") { sink in
    ///     try sink.append(Array("[1,".utf8))
    ///     try sink.append(Array("2]".utf8))
    /// }
    /// ```
    /// - Parameters:
    ///   - path: The file to write (its folder must exist).
    ///   - body: Appends the bytes, from any thread, one call at a time or not.
    /// - Returns: What `body` returns.
    /// - Throws: ``FileWriteError`` (folder missing, disk full), or what `body` throws.
    public static func write<R>(streamingTo path: String, _ body: (Sink) throws -> R) throws -> R {
        var result: R?
        try write(to: path) { file in
            let sink = Sink(file)
            defer { file = sink.file.withLock { $0 } }
            result = try body(sink)
            try sink.file.withLock { try $0.reserveAhead(final: true) }
        }
        return result!
    }

    /// Bytes appended to a file being written by ``write(streamingTo:_:)``, in the order of the calls.
    public final class Sink: Sendable {
        fileprivate let file: Locked<BufferedFile>
        fileprivate init(_ file: BufferedFile) { self.file = Locked(file) }

        /// Appends `bytes` to the file.
        ///
        /// - Throws: ``FileWriteError`` when the file cannot be written (disk full…).
        public func append(_ bytes: [UInt8]) throws {
            try file.withLock { f in
                try bytes.withUnsafeBytes { try f.append($0) }
                try f.reserveAhead(final: false)
            }
        }
    }

    /// Opens the temporary file, lets `body` fill it, then renames it over `path`; on any
    /// failure the temporary file is removed and `path` is untouched.
    private static func write(to path: String, _ body: (inout BufferedFile) throws -> Void) throws {
        let url = URL(fileURLWithPath: path)
        let tmp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
            .path
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw FileWriteError(path: path, errno: errno) }
        var file = BufferedFile(fd: fd, path: path)
        do {
            try body(&file)
            try file.flush()
            let closed = close(fd)
            file.fd = -1
            guard closed == 0 else { throw FileWriteError(path: path, errno: errno) }
            guard rename(tmp, path) == 0 else { throw FileWriteError(path: path, errno: errno) }
        } catch {
            if file.fd >= 0 { close(file.fd) }
            unlink(tmp)
            throw error
        }
    }
}

/// An output file that could not be written: its path and the system's reason.
///
/// ```swift
/// // perimetre: erreur : impossible d'écrire /tmp/absent/audit.json : dossier introuvable
/// ```
public struct FileWriteError: Error, CustomStringConvertible, Sendable {
    /// The file asked for.
    public var path: String
    /// The system's error number (`errno`).
    public var errno: Int32

    /// An error on `path` with the system's error number.
    public init(path: String, errno: Int32) {
        self.path = path
        self.errno = errno
    }

    /// The French message; the system's own words for a reason not translated here.
    public var description: String {
        let reason =
            switch errno {
            case ENOENT, ENOTDIR: "dossier introuvable"
            case EACCES, EPERM: "permission refusée"
            case ENOSPC, EDQUOT: "disque plein"
            case EISDIR: "un dossier porte ce nom"
            case EROFS: "système de fichiers en lecture seule"
            default: "erreur système \(errno) (\(String(cString: strerror(errno))))"
            }
        return "impossible d'écrire \(path) : \(reason)"
    }
}

/// A file descriptor written through a buffer of 1 MiB: many small pieces make few system
/// calls, and a piece larger than the buffer is written as it is.
struct BufferedFile {
    var fd: Int32
    let path: String
    private var buffer: [UInt8] = []
    private static let capacity = 1 << 20

    init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
        buffer.reserveCapacity(Self.capacity)
    }

    /// Bytes handed to the file so far (written or buffered), and allocated on disk ahead.
    private var appended = 0
    private var allocated = 0
    /// The step of the allocation ahead of a file whose size is not known in advance.
    private static let allocationStep = 8 << 20

    /// For a file written as it is computed: its blocks allocated ahead of the bytes, 8 MiB at a
    /// time (see ``reserve(_:)``), and, at the end (`final`), the allocation beyond them cut.
    mutating func reserveAhead(final: Bool) throws {
        if final {
            try flush()
            if allocated > appended { _ = ftruncate(fd, off_t(appended)) }
            return
        }
        guard appended + Self.capacity > allocated else { return }
        let size = allocated + Self.allocationStep
        if posix_fallocate(fd, off_t(allocated), off_t(size - allocated)) == 0 {
            allocated = size
        } else {
            allocated = .max  // the file system cannot allocate ahead: the file is written as usual
        }
    }

    /// Allocates the file's `size` bytes on disk before they are written. Renamed over an
    /// existing file, a file whose blocks are not yet allocated is allocated then and there
    /// (ext4's `auto_da_alloc`): 8 ms in the rename for a report of 15 MB. A file system that
    /// cannot allocate ahead simply writes as usual.
    func reserve(_ size: Int) {
        if size > 0 { _ = posix_fallocate(fd, 0, off_t(size)) }
    }

    mutating func append(_ bytes: UnsafeRawBufferPointer) throws {
        appended += bytes.count
        if buffer.count + bytes.count > Self.capacity { try flush() }
        if bytes.count >= Self.capacity {
            try writeAll(bytes)
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    mutating func flush() throws {
        try buffer.withUnsafeBytes { try writeAll($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress else { return }
        var done = 0
        while done < bytes.count {
            let n = Glibc.write(fd, base + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw FileWriteError(path: path, errno: errno)
            }
            done += n
        }
    }
}
