/// Values computed once per key for every task of a process, emptied rather than grown past
/// `limit` (a long-running server meets any key). A value is computed outside the lock: two
/// tasks missing the same key may both compute it, to the same result.
///
/// ```swift
/// let cache = BoundedCache<Int>(limit: 256)
/// let n = try cache.value(for: "a") { 42 }   // computed
/// let m = try cache.value(for: "a") { 0 }    // 42, from the cache
/// ```
public final class BoundedCache<Value: Sendable>: Sendable {
    private let values = Locked<[String: Value]>([:])
    private let limit: Int

    /// A cache holding at most `limit` values.
    public init(limit: Int) { self.limit = limit }

    /// The value of `key`, made by `make` on its first request.
    public func value(for key: String, make: () throws -> Value) rethrows -> Value {
        if let known = values.withLock({ $0[key] }) { return known }
        let made = try make()
        values.withLock { cache in
            if cache.count >= limit { cache.removeAll() }
            cache[key] = made
        }
        return made
    }
}
