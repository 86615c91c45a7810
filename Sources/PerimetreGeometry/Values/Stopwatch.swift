/// Times consecutive phases of a job (data build, map, profile): each `lap()` gives the seconds
/// since the previous lap, or since the stopwatch was made.
///
/// ```swift
/// var watch = Stopwatch()
/// readSources(); timings.append(("read", watch.lap()))
/// ```
public struct Stopwatch: Sendable {
    private var last = ContinuousClock.now

    /// A stopwatch started now.
    public init() {}

    /// Seconds since the previous lap; starts the next one.
    public mutating func lap() -> Double {
        let now = ContinuousClock.now
        defer { last = now }
        return (now - last).seconds
    }
}

extension Duration {
    /// The duration in seconds, for timing reports.
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
