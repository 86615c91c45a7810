import FuzzSupport
import PerimetreAnalysis
import PerimetreData

/// `--composition` tables: DGCL EPCI composition, BANATIC SIREN↔INSEE, INSEE EPT, detected from the header.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzComposition(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = fuzzBytes(data, count)
    var tables = CompositionTables()
    do {
        try tables.load(bytes: bytes, source: "fuzz.csv")
        for g in tables.groupings.values {
            require(g.communes == g.communes.sorted(), "communes are sorted")
        }
    } catch let e as CSVError {
        require(e.source == "fuzz.csv", "the error names the file")
    } catch {
        fatalError("unexpected error type \(type(of: error)): \(error)")
    }
    return 0
}
