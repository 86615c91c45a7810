import FuzzSupport
import PerimetreAnalysis
import PerimetreData

/// The workbench's request bodies: `POST /api/check|analyse|export` (CheckRequestBody, exactly
/// what Workbench.checkBody runs) and `POST /api/members` (a member file, MemberFile.parse).
/// The first byte picks the route; the rest is the body.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzServer(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = fuzzBytes(data, count)
    guard let route = bytes.first else { return 0 }
    let body = Array(bytes.dropFirst())
    if route & 1 == 0 {
        do {
            let b = try CheckRequestBody.parse(body, knownLayers: ["crte", "ti-2019"], maxMembers: 2000)
            require(!b.members.isEmpty && b.members.count <= 2000, "members bounded")
            require(b.members.allSatisfy { !$0.isEmpty && $0.count <= 40 }, "codes bounded")
            require(b.against.allSatisfy { ["crte", "ti-2019"].contains($0) }, "only loaded layers")
            require(b.toleranceMetres.isFinite && (0...10_000).contains(b.toleranceMetres), "tolerance bounded")
            require(b.id.count <= 200 && b.name.count <= 200, "texts bounded")
        } catch let e as CheckRequestBody.Failure {
            require(!e.code.isEmpty && !e.message.isEmpty, "a coded client error")
        } catch {
            fatalError("unexpected error type \(type(of: error)): \(error)")
        }
    } else {
        _ = try? MemberFile.parse(body, source: "fichier")
    }
    return 0
}
