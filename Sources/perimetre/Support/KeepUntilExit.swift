/// Keeps `objects` alive until the process ends, for a command that exits once its report is
/// written: freeing the reference data (1,250 EPCI, the topology's dictionaries) and closing its
/// SQLite connections would only add time, the system reclaims it all at exit.
func keepUntilExit(_ objects: AnyObject...) {
    for o in objects { _ = Unmanaged.passRetained(o) }
}
