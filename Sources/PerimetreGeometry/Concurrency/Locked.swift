import Foundation

/// A value guarded by a pthread mutex (`NSLock`).
///
/// Used instead of `Synchronization.Mutex`: on Linux `Mutex` is built on futexes, which
/// ThreadSanitizer does not see, so it reports the accesses inside `withLock` as races (CI's
/// TSan job failed on the GeoPackage's topology cache). A pthread mutex is intercepted by
/// TSan, so a real race still shows.
///
/// ```swift
/// let cache = Locked<[String: Int]>([:])
/// cache.withLock { $0["a"] = 1 }
/// ```
public final class Locked<Value>: @unchecked Sendable {  // all access to `value` is under `lock`
    private let lock = NSLock()
    private var value: Value

    /// A lock guarding `value`.
    public init(_ value: Value) { self.value = value }

    /// Runs `body` with exclusive access to the value.
    public func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
