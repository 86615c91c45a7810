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

    /// Time per territory of a batch (an audit).
    static let territories = Locked<[(id: String, seconds: Double)]>([])

    static func territory(_ id: String, since watch: Stopwatch) {
        guard enabled else { return }
        var w = watch
        let s = w.lap()
        territories.withLock { $0.append((id, s)) }
    }

    /// Wall-clock instants of a command's steps, from its first milestone: the critical path,
    /// which the phase totals (summed over all cores) do not show.
    static let origin = ContinuousClock.now
    static let milestones = Locked<[(label: String, at: Double)]>([])

    /// The totals, slowest first, then the slowest territories of a batch, then the milestones.
    static func report() -> String {
        let phases = totals.withLock { t in
            t.sorted { $0.value > $1.value }.map { String(format: "%-28@ %8.3f s", $0.key as NSString, $0.value) }
        }
        let slowest = territories.withLock { t in
            t.sorted { $0.seconds > $1.seconds }.prefix(10).map {
                String(format: "  %-26@ %8.3f s", $0.id as NSString, $0.seconds)
            }
        }
        let steps = milestones.withLock { m in
            m.map { String(format: "  %8.1f ms  %@", $0.at * 1000, $0.label as NSString) }
        }
        return
            (phases + (slowest.isEmpty ? [] : ["territoires les plus longs :"] + slowest)
            + (steps.isEmpty ? [] : ["jalons (temps écoulé) :"] + steps)).joined(separator: "\n")
    }
}

/// Records that a command reached step `label` (when the profile is enabled): the report lists
/// the wall-clock time of each from the first.
///
/// ```swift
/// profileMilestone("entrées lues")
/// ```
public func profileMilestone(_ label: String) {
    guard Profile.enabled else { return }
    let at = (ContinuousClock.now - Profile.origin).seconds
    Profile.milestones.withLock { $0.append((label, at)) }
}

/// Prints the profile (when enabled), its last milestone "fin" — called by the CLI at the end of a command.
public func printProfileIfEnabled() {
    guard Profile.enabled else { return }
    if !Profile.milestones.withLock(\.isEmpty) { profileMilestone("fin") }
    FileHandle.standardError.write(Data(("profil :\n" + Profile.report() + "\n").utf8))
}
