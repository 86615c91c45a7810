import Dispatch

/// A value computed in the background from its creation, waited for where it is needed: work
/// that its caller can overlap with other work (an audit resolves its `--against` layers while
/// it resolves the candidatures, which need them only once analysed).
///
/// ```swift
/// let layers = Deferred { try resolveLayers(files) }   // starts now
/// let prepared = try prepare(candidatures)              // meanwhile
/// let against = try layers.get()                        // waits, or returns at once
/// ```
///
/// A deferred value is always waited for before its owner returns, on every path (a `defer`
/// calling ``wait()``): the work is not left running at exit.
public final class Deferred<Value: Sendable>: Sendable {
    private let group = DispatchGroup()
    private let result = Locked<Result<Value, any Error>?>(nil)

    /// Starts `work` on a global queue.
    public init(_ work: @escaping @Sendable () throws -> Value) {
        group.enter()
        DispatchQueue.global().async { [group, result] in
            let r = Result { try work() }
            result.withLock { $0 = r }
            group.leave()
        }
    }

    /// A value already known.
    public init(value: Value) { result.withLock { $0 = .success(value) } }

    /// The value, once computed.
    ///
    /// - Throws: The error `work` threw.
    public func get() throws -> Value {
        group.wait()
        return try result.withLock { $0! }.get()
    }

    /// Waits for the work to end, whatever its result.
    public func wait() { group.wait() }
}
