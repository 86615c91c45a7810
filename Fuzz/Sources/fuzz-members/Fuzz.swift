import FuzzSupport
import PerimetreAnalysis
import PerimetreData

/// Member lists as `perimetre check --members` reads them: CSV (one column, a code column, the
/// ANCT territory layout with or without --id), JSON; and the CSV reader underneath.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMembers(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = fuzzBytes(data, count)
    if let t = try? CSVReader.parse(bytes, source: "fuzz.csv") {
        require(t.rows.count == t.lines.count, "one line number per row")
        require(t.rows.allSatisfy { $0.count == t.header.count }, "every row has the header's width")
        require(zip(t.lines, t.lines.dropFirst()).allSatisfy { $0 < $1 }, "line numbers increase")
        require(t.lines.allSatisfy { $0 >= 2 }, "rows start after the header")
    }
    for territory in [nil, "1"] as [String?] {
        do {
            let m = try MemberFile.parse(bytes, source: "fuzz.csv", territory: territory)
            require(m.members.allSatisfy { $0.origin.hasPrefix("fuzz.csv") }, "every member names its origin")
        } catch let e as CSVError {
            require(e.source == "fuzz.csv", "the error names the file")
        } catch {
            fatalError("unexpected error type \(type(of: error)): \(error)")
        }
    }
    return 0
}
