import ArgumentParser
import Foundation
import PerimetreGeometry

// Timing fresh processes, for `perimetre benchmark` and `perimetre map --benchmark`.

/// Runs `argv` and times it from spawn to exit. `posix_spawn` + `waitpid` rather than
/// Foundation's `Process`: its `waitUntilExit` polls a run loop and added up to 50 ms a run.
func timeRun(_ argv: [String]) throws -> (seconds: Double, stdout: String) {
    let r = try timeRunMeasured(argv)
    return (r.seconds, r.stdout)
}

/// As ``timeRun(_:)``, with the child's peak resident memory (bytes, from `wait4`).
func timeRunMeasured(_ argv: [String]) throws -> (seconds: Double, stdout: String, peakBytes: Int) {
    var fds: [Int32] = [0, 0]
    guard pipe(&fds) == 0 else { throw ValidationError("pipe: \(String(cString: strerror(errno)))") }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
    posix_spawn_file_actions_addclose(&actions, fds[0])
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    let cargs = argv.map { strdup($0) } + [nil]
    defer { for a in cargs { free(a) } }
    var pid: pid_t = 0
    let start = ContinuousClock.now
    let rc = posix_spawn(&pid, argv[0], &actions, nil, cargs, environ)
    close(fds[1])
    guard rc == 0 else {
        close(fds[0])
        throw ValidationError("\(argv[0]): cannot start (\(String(cString: strerror(rc))))")
    }
    let out = FileHandle(fileDescriptor: fds[0], closeOnDealloc: true).readDataToEndOfFile()
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) == -1 && errno == EINTR {}
    let t = (ContinuousClock.now - start).seconds
    // Exited normally (low 7 bits 0) with status 0.
    guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else {
        throw ValidationError("\(argv.dropFirst().joined(separator: " ")) failed (wait status \(status))")
    }
    return (t, String(decoding: out, as: UTF8.self), Int(usage.ru_maxrss) * 1024)
}

/// Wall times of `runs` fresh processes of `argv` (at least one run).
struct RunTimes {
    let sorted: [Double]
    /// The largest peak resident memory of the runs (bytes).
    let peakBytes: Int

    init(_ argv: [String], runs: Int) throws {
        let rs = try (0..<max(runs, 1)).map { _ in try timeRunMeasured(argv) }
        sorted = rs.map(\.seconds).sorted()
        peakBytes = rs.map(\.peakBytes).max() ?? 0
    }

    init(times: [Double], peakBytes: Int) {
        sorted = times.sorted()
        self.peakBytes = peakBytes
    }

    init(times: [Double]) { self.init(times: times, peakBytes: 0) }

    /// Two commands run in turns (a b, b a, a b…) rather than one series after the other, so that
    /// a change of load on a shared machine weighs on both: their times, and the medians of the
    /// paired differences b − a and of the paired ratios b / a.
    static func interleaved(
        _ a: [String], _ b: [String], runs: Int
    ) throws -> (a: RunTimes, b: RunTimes, difference: Double, ratio: Double) {
        var ta: [Double] = []
        var tb: [Double] = []
        var differences: [Double] = []
        var ratios: [Double] = []
        for i in 0..<max(runs, 1) {
            let x: Double
            let y: Double
            if i % 2 == 0 {
                x = try timeRun(a).seconds
                y = try timeRun(b).seconds
            } else {
                y = try timeRun(b).seconds
                x = try timeRun(a).seconds
            }
            ta.append(x)
            tb.append(y)
            differences.append(y - x)
            ratios.append(y / max(x, 1e-9))
        }
        return (
            RunTimes(times: ta), RunTimes(times: tb), RunTimes(times: differences).median,
            RunTimes(times: ratios).median
        )
    }

    var median: Double { sorted[sorted.count / 2] }

    /// "médiane 386 ms, min 379 ms, max 413 ms".
    var summary: String {
        String(
            format: "médiane %.0f ms, min %.0f ms, max %.0f ms", median * 1000, sorted[0] * 1000, sorted.last! * 1000)
    }
}
