import Dispatch
import Foundation
import Synchronization

/// Maps `items` on all cores, giving each worker its own ``GeosContext`` (GEOS contexts are
/// never shared across threads). Results keep the input order; the first error is rethrown.
///
/// ```swift
/// let areas = try parallelMap(wkbs) { ctx, wkb in try ctx.readWKB(wkb).geodesicArea() }
/// ```
public func parallelMap<T: Sendable, R: Sendable>(
    _ items: [T], workers: Int? = nil, _ body: @Sendable (GeosContext, T) throws -> R
) throws -> [R] {
    try parallelMap(items, workers: workers, makeState: { GeosContext() }) { (ctx: inout GeosContext, item: T) in
        try body(ctx, item)
    }
}

/// Maps `items` on all cores with a per-worker state made by `makeState` on the worker's own
/// thread (a GEOS context, a database session…), never shared between workers.
/// `progress` is called after each item with the number done (from worker threads).
/// `order` lists the indices of `items` in the order to start them (the longest first keeps a
/// long item from starting last while the other cores idle); results stay in input order.
public func parallelMap<S, T: Sendable, R: Sendable>(
    _ items: [T], workers: Int? = nil, order: [Int]? = nil, makeState: @Sendable () throws -> S,
    progress: (@Sendable (Int) -> Void)? = nil, _ body: @Sendable (inout S, T) throws -> R
) throws -> [R] {
    precondition(order.map { $0.count == items.count } ?? true, "order must list every item once")
    if items.isEmpty { return [] }
    let n = min(max(workers ?? ProcessInfo.processInfo.activeProcessorCount, 1), items.count)
    let results = Locked<[R?]>(Array(repeating: nil, count: items.count))
    let firstError = Locked<(index: Int, error: any Error)?>(nil)
    let next = Atomic<Int>(0)
    let done = Atomic<Int>(0)
    DispatchQueue.concurrentPerform(iterations: n) { _ in
        var state: S
        do { state = try makeState() } catch {
            firstError.withLock { e in if e == nil { e = (-1, error) } }
            return
        }
        while true {
            let k = next.wrappingAdd(1, ordering: .relaxed).oldValue
            if k >= items.count { break }
            let i = order?[k] ?? k
            if firstError.withLock({ $0 != nil }) { break }
            do {
                let r = try body(&state, items[i])
                results.withLock { $0[i] = r }
                progress?(done.wrappingAdd(1, ordering: .relaxed).newValue)
            } catch {
                firstError.withLock { e in if e == nil || e!.index > i { e = (i, error) } }
            }
        }
    }
    if let e = firstError.withLock({ $0 }) { throw e.error }
    return results.withLock { $0.map { $0! } }
}

/// Like ``parallelMap(_:workers:order:makeState:progress:_:)``, but each result is handed to
/// `emit` in input order as soon as it and every result before it are done, then dropped: a
/// long run's results reach their file while later ones are computed, and are never all held.
///
/// `emit` is called from the workers' threads, one call at a time, in input order; the results
/// waiting for an earlier one are the only ones held. Start the items near input order (`order`
/// reordered within short windows, see ``windowedOrder(count:window:cost:)``), or most results
/// wait. The first error, of `body` or of `emit`, stops the work and is rethrown; no result
/// after it is emitted.
///
/// ```swift
/// let out = Locked<[String]>([])
/// try parallelForEachInOrder(words, makeState: {}, { _, w in w.uppercased() }) { i, w in
///     out.withLock { $0.append("\(i) \(w)") }
/// }
/// ```
public func parallelForEachInOrder<S, T: Sendable, R: Sendable>(
    _ items: [T], workers: Int? = nil, order: [Int]? = nil, makeState: @Sendable () throws -> S,
    progress: (@Sendable (Int) -> Void)? = nil, _ body: @Sendable (inout S, Int, T) throws -> R,
    emit: @Sendable (Int, R) throws -> Void
) throws {
    precondition(order.map { $0.count == items.count } ?? true, "order must list every item once")
    if items.isEmpty { return }
    let n = min(max(workers ?? ProcessInfo.processInfo.activeProcessorCount, 1), items.count)
    let firstError = Locked<(index: Int, error: any Error)?>(nil)
    let failed: @Sendable () -> Bool = { firstError.withLock { $0 != nil } }
    @Sendable func fail(_ i: Int, _ error: any Error) {
        firstError.withLock { e in if e == nil || e!.index > i { e = (i, error) } }
    }
    let inOrder = InOrder<R>()
    let next = Atomic<Int>(0)
    let done = Atomic<Int>(0)
    DispatchQueue.concurrentPerform(iterations: n) { _ in
        var state: S
        do { state = try makeState() } catch {
            fail(-1, error)
            return
        }
        while true {
            let k = next.wrappingAdd(1, ordering: .relaxed).oldValue
            if k >= items.count || failed() { break }
            let i = order?[k] ?? k
            do {
                let r = try body(&state, i, items[i])
                progress?(done.wrappingAdd(1, ordering: .relaxed).newValue)
                inOrder.deliver(i, r, stopped: failed) { i, r in
                    do { try emit(i, r) } catch {
                        fail(i, error)
                        return false
                    }
                    return true
                }
            } catch {
                fail(i, error)
            }
        }
    }
    if let e = firstError.withLock({ $0 }) { throw e.error }
}

/// The results not yet handed over, and the worker handing them over: whoever delivers the next
/// one in input order becomes it, the others only leave theirs.
private final class InOrder<R: Sendable>: Sendable {
    private let pending = Locked<(waiting: [Int: R], next: Int, emitting: Bool)>(([:], 0, false))

    /// Leaves result `i`; hands over, in order, the results ready when no other worker does.
    /// `emit` returns false to stop.
    func deliver(_ i: Int, _ r: R, stopped: () -> Bool, emit: (Int, R) -> Bool) {
        let mine = pending.withLock { p -> Bool in
            p.waiting[i] = r
            guard !p.emitting, p.waiting[p.next] != nil else { return false }
            p.emitting = true
            return true
        }
        guard mine else { return }
        while !stopped() {
            // Taken under the lock, handed over outside it; the flag drops in the same step
            // that finds nothing ready, so a result left meanwhile finds it down.
            let ready: [(Int, R)] = pending.withLock { p in
                var out: [(Int, R)] = []
                while let r = p.waiting.removeValue(forKey: p.next) {
                    out.append((p.next, r))
                    p.next += 1
                }
                if out.isEmpty { p.emitting = false }
                return out
            }
            if ready.isEmpty { return }
            for (i, r) in ready where !emit(i, r) { return }
        }
    }
}

/// Indices `0..<count` in windows of `window`, each window's indices by decreasing `cost`
/// (input order on a tie): the costliest start first within a window, and results come near
/// input order for ``parallelForEachInOrder(_:workers:order:makeState:progress:_:emit:)``.
public func windowedOrder(count: Int, window: Int, cost: (Int) -> Int) -> [Int] {
    precondition(window > 0, "a window holds at least one index")
    let costs = (0..<count).map(cost)
    return stride(from: 0, to: count, by: window).flatMap { start in
        (start..<min(start + window, count)).sorted { (costs[$1], $0) < (costs[$0], $1) }
    }
}
