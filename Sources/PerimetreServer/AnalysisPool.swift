import Foundation

/// Where the workbench's analyses run: at most `width` at once (one per core), at most
/// `queueLimit` waiting for a turn, in arrival order. A request beyond that is refused at once
/// with ``Busy`` (the server answers 503 with `Retry-After`) instead of piling up until clients
/// time out: a burst costs bounded memory and every request gets an answer.
actor AnalysisPool {
    /// The pool is full: `running` analyses run and `waiting` wait.
    struct Busy: Error, Sendable {
        var running: Int
        var waiting: Int
    }

    /// How many analyses run at once.
    let width: Int
    /// How many analyses may wait for a turn.
    let queueLimit: Int
    private var running = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(width: Int, queueLimit: Int) {
        self.width = max(1, width)
        self.queueLimit = max(0, queueLimit)
    }

    /// Runs `work` (CPU-bound: GEOS, SQLite) on a Dispatch thread once a turn is free, never on
    /// the cooperative pool that serves the connections.
    /// - Throws: ``Busy`` when `width` analyses run and `queueLimit` wait; otherwise what `work` throws.
    nonisolated func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await admit()
        let outcome: Result<T, any Error> = await withCheckedContinuation { c in
            DispatchQueue.global(qos: .userInitiated).async { c.resume(returning: Result { try work() }) }
        }
        await release()
        return try outcome.get()
    }

    /// Figures for tests and logs: analyses running and waiting now.
    var load: (running: Int, waiting: Int) { (running, waiting.count) }

    private func admit() async throws {
        if running < width {
            running += 1
            return
        }
        guard waiting.count < queueLimit else { throw Busy(running: running, waiting: waiting.count) }
        // The turn is handed over by `release` (running stays counted for the waiter).
        await withCheckedContinuation { waiting.append($0) }
    }

    private func release() {
        if waiting.isEmpty {
            running -= 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}
