import ArgumentParser
import Foundation
import PerimetreAnalysis
import PerimetreData
import PerimetreGeometry
import PerimetreReport

/// Runs a command body, turning errors into a French message on stderr: input errors exit 2,
/// internal failures (GEOS, PROJ, an inconsistent reference data) exit 70 (`EX_SOFTWARE`).
func reportingErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let e as ExitCode {
        throw e
    } catch let e as CleanExit {
        throw e
    } catch {
        let (text, code) = CLIMessages.failure(error)
        FileHandle.standardError.write(Data((text + "\n").utf8))
        throw ExitCode(code)
    }
}

/// The command line's own wording, in one place.
enum CLIMessages {
    /// The exit code for input errors.
    static let badInput: Int32 = 2
    /// The exit code for internal failures (sysexits' `EX_SOFTWARE`).
    static let internalFailure: Int32 = 70

    /// The message and exit code for an error that ends a command.
    static func failure(_ error: any Error) -> (text: String, exitCode: Int32) {
        if let e = error as? any CodedError, e.isInternal {
            return (
                "perimetre: erreur interne : \(e) — signalez-le avec la commande et le fichier qui l'ont produite",
                internalFailure
            )
        }
        return ("perimetre: erreur : \(error)", badInput)
    }
}

/// Writes to stderr.
func note(_ s: String) {
    FileHandle.standardError.write(Data((s + "\n").utf8))
}

/// Whether stderr is a terminal (for progress displays).
var stderrIsTerminal: Bool { isatty(2) == 1 }

/// Writes `bytes` to `path` atomically, or to stdout, as ``emit(_:to:)`` does a text.
func emit(bytes: [UInt8], to path: String?) throws {
    try emit(pieces: [bytes], to: path)
}

/// Writes the concatenation of `pieces` as ``emit(bytes:to:)`` does, without joining them.
func emit(pieces: [[UInt8]], to path: String?) throws {
    guard let path, path != "-" else {
        // One copy into the Data written, not a joined array copied again.
        var d = Data(capacity: pieces.reduce(0) { $0 + $1.count })
        for p in pieces { d.append(contentsOf: p) }
        FileHandle.standardOutput.write(d)
        return
    }
    try AtomicFile.write(pieces: pieces, to: path)
}

/// Writes `text` to `path` atomically (temporary file in the same folder, then rename), or to
/// stdout when `path` is nil or `-`. An interrupted run leaves no half-written file.
func emit(_ text: String, to path: String?) throws {
    try emit(bytes: Array(text.utf8), to: path)
}
