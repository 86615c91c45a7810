import FuzzSupport
import PerimetreData
import PerimetreGeometry

/// GeoPackage geometry blobs: the GP header, then the WKB through GEOS (as every layer read
/// does), and the encoder's WKB scan (R-tree envelopes) on the same bytes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGeoPackageBlob(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = fuzzBytes(data, count)
    // Raw WKB too: the scanner walks it for the header's envelope.
    _ = GeoPackageBlob.encode(WKBGeometry(bytes), srsID: 4326, envelope: nil)
    do {
        let (_, _, wkb) = try GeoPackageBlob.decode(bytes)
        require(wkb.startIndex >= 8 && wkb.endIndex == bytes.count, "the WKB is the blob's tail")
        let ctx = GeosContext()
        if let g = try? ctx.readWKB(wkb) {
            _ = try? g.shape()
            let again = GeoPackageBlob.encode(WKBGeometry(Array(wkb)), srsID: 4326, envelope: nil)
            _ = try GeoPackageBlob.decode(again)
        }
    } catch is GeoPackageError {
    } catch {
        fatalError("unexpected error type \(type(of: error)): \(error)")
    }
    return 0
}
