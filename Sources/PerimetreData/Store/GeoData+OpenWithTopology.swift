import Dispatch
import PerimetreGeometry

extension GeoData {
    /// Opens the reference data as ``open(_:)`` does while another thread reads the EPCI
    /// topology: a command that needs it (the `check` or `diff` of whole EPCI) then gets both in
    /// the time of the longer, instead of reading the topology after the small tables. When the
    /// topology cannot be read, nothing is kept: ``epciTopology()`` reads it again and says why.
    ///
    /// ```swift
    /// let data = try GeoData.openWithEPCITopology()
    /// let topology = try data.epciTopology()   // already read
    /// ```
    ///
    /// - Parameter path: The GeoPackage; nil for ``resolvePath(_:)``'s default.
    /// - Returns: The data, with its small tables and its EPCI topology read.
    /// - Throws: `GeoPackageError` as ``open(_:)``.
    public static func openWithEPCITopology(_ path: String? = nil) throws -> GeoData {
        let path = resolvePath(path)
        let read = Locked<Topology?>(nil)
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) {
            let topology = try? readTopology(path: path, level: "epci")
            read.withLock { $0 = topology }
        }
        // Waited for even when opening fails: no read outlives the call.
        defer { group.wait() }
        let data = try GeoData(path: path)
        group.wait()
        if let topology = read.withLock({ $0 }) {
            data.topologyCache.withLock { cache in
                if cache["epci"] == nil { cache["epci"] = topology }
            }
        }
        return data
    }
}
