/// Keeps `objects` alive until the process ends, for a command that exits once its report is
/// written: freeing the reference data (1,250 EPCI, the topology's dictionaries) and closing its
/// SQLite connections would only add time, the system reclaims it all at exit.
func keepUntilExit(_ objects: AnyObject...) {
    for o in objects { _ = Unmanaged.passRetained(o) }
}

/// Keeps a value (an audit's results, its report's text) alive until the process ends: freeing
/// the results of 1,000 options took 30 ms, after the report was written.
func keepUntilExit<T>(value: T) {
    _ = Unmanaged.passRetained(Kept(value))
}

/// A value held for ``keepUntilExit(value:)``.
private final class Kept<T> {
    let value: T
    init(_ value: T) { self.value = value }
}
