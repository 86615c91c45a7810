import Dispatch
import PerimetreGeometry

extension CompositionTables {
    /// Loads several tables, parsed in parallel (each is a few megabytes of CSV), merged in the
    /// order given: a code found in two tables takes the later table's entry, as sequential
    /// loading would.
    ///
    /// - Parameters:
    ///   - paths: The table files (DGCL, BANATIC, EPT layouts, detected from their headers).
    ///   - only: The codes to keep (see ``Resolution/compositionCodes(_:data:)``); nil keeps every row.
    /// - Returns: The merged lookups.
    /// - Throws: `CSVError` naming the file and line of an unreadable table or an unknown layout.
    public static func load(_ paths: [String], only: Set<String>? = nil) throws -> CompositionTables {
        let parts = Locked<[Result<CompositionTables, any Error>?]>(Array(repeating: nil, count: paths.count))
        DispatchQueue.concurrentPerform(iterations: paths.count) { i in
            let r = Result { () throws -> CompositionTables in
                var t = CompositionTables()
                try t.load(paths[i], only: only)
                return t
            }
            parts.withLock { $0[i] = r }
        }
        var out = CompositionTables()
        for r in parts.withLock({ $0 }) {
            let t = try r!.get()
            // Most tables fill one lookup only: taken whole rather than merged key by key.
            if out.groupings.isEmpty {
                out.groupings = t.groupings
            } else {
                out.groupings.merge(t.groupings) { _, new in new }
            }
            if out.communeBySIREN.isEmpty {
                out.communeBySIREN = t.communeBySIREN
            } else {
                out.communeBySIREN.merge(t.communeBySIREN) { _, new in new }
            }
            out.sources += t.sources
            out.rowCount += t.rowCount
        }
        return out
    }
}
