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
