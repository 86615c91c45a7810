import Foundation
import FuzzSupport
import PerimetreData
import PerimetreGeometry

/// Shapefiles (`data build`'s Natural Earth input), read with shapelib. The input is split into
/// the three files: bytes 0–1 and 2–3 are the little-endian lengths of the .shp and the .shx
/// (cut to what is there), the rest is the .dbf. Files go to a private folder in /dev/shm.
let folder: String = {
    let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
    let dir = base + "/perimetre-fuzz-shp-\(getpid())"
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    atexit { try? FileManager.default.removeItem(atPath: "/dev/shm/perimetre-fuzz-shp-\(getpid())") }
    return dir
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzShapefile(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = fuzzBytes(data, count)
    guard bytes.count >= 4 else { return 0 }
    var rest = bytes[4...]
    let shpLength = min(Int(bytes[0]) | Int(bytes[1]) << 8, rest.count)
    let shp = rest.prefix(shpLength)
    rest = rest.dropFirst(shpLength)
    let shxLength = min(Int(bytes[2]) | Int(bytes[3]) << 8, rest.count)
    let shx = rest.prefix(shxLength)
    rest = rest.dropFirst(shxLength)
    let path = folder + "/f.shp"
    _ = FileManager.default.createFile(atPath: path, contents: Data(shp))
    _ = FileManager.default.createFile(atPath: folder + "/f.shx", contents: Data(shx))
    _ = FileManager.default.createFile(atPath: folder + "/f.dbf", contents: Data(rest))
    do {
        for r in try ShapefileReader.read(path: path) {
            for p in r.shape?.polygons ?? [] {
                for ring in p { require(ring.count >= 4 && ring.first == ring.last, "rings are closed") }
            }
        }
    } catch is ShapefileError {
    } catch {
        fatalError("unexpected error type \(type(of: error)): \(error)")
    }
    return 0
}
