import Foundation
import PerimetreGeometry

/// Time per analysis phase, summed over a run, printed at exit when `PERIMETRE_PROFILE=1`.
/// For finding where a batch spends its time; off (one branch per phase) otherwise.
enum Profile {
    static let enabled = ProcessInfo.processInfo.environment["PERIMETRE_PROFILE"] == "1"
    static let totals = Locked<[String: Double]>([:])

    static func start() -> Stopwatch { Stopwatch() }

    static func lap(_ watch: inout Stopwatch, _ phase: String) {
        guard enabled else { return }
        let s = watch.lap()
        totals.withLock { $0[phase, default: 0] += s }
    }

    /// The totals, slowest first.
    static func report() -> String {
        totals.withLock { t in
            t.sorted { $0.value > $1.value }.map { String(format: "%-28@ %8.3f s", $0.key as NSString, $0.value) }.joined(separator: "\n")
        }
    }
}

/// Prints the profile (when enabled) — called by the CLI at the end of a command.
public func printProfileIfEnabled() {
    guard Profile.enabled else { return }
    FileHandle.standardError.write(Data(("profil :\n" + Profile.report() + "\n").utf8))
}
