import ArgumentParser
import Foundation
import PerimetreData
import PerimetreGeometry
import PerimetreAnalysis
import PerimetreReport

/// Runs a command body, turning input errors into a clear message on stderr and exit code 2.
func reportingErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let e as ExitCode {
        throw e
    } catch let e as CleanExit {
        throw e
    } catch {
        FileHandle.standardError.write(Data("perimetre: erreur : \(error)\n".utf8))
        throw ExitCode(2)
    }
}

/// Writes to stderr.
func note(_ s: String) {
    FileHandle.standardError.write(Data((s + "\n").utf8))
}

/// Whether stderr is a terminal (for progress displays).
var stderrIsTerminal: Bool { isatty(2) == 1 }

/// Writes `text` to `path` atomically (temporary file in the same folder, then rename), or to
/// stdout when `path` is nil or `-`. An interrupted run leaves no half-written file.
func emit(_ text: String, to path: String?) throws {
    guard let path, path != "-" else {
        FileHandle.standardOutput.write(Data(text.utf8))
        return
    }
    try AtomicFile.write(Data(text.utf8), to: path)
}
