import PerimetreData
import PerimetreGeometry
import PerimetreTestSupport
import Testing

@testable import PerimetreAnalysis

/// The chained coverage union (shared segments cancelled, the rest chained and nested) against
/// GEOS's own, on the reference data: EPCI dissolved from their communes, and generated options
/// dissolved from their EPCI, as the analyses do.
@Suite("Coverage dissolve on the reference data")
struct CoverageDissolveTests {
    /// The same shape both ways: topologically equal, the same polygons, holes and area. True
    /// when the chained union was accepted (valid, its area the parts' sum, as `coverageUnion` requires).
    func expectSame(_ parts: [Geometry], _ ctx: GeosContext, _ label: String) throws -> Bool {
        let reference = try ctx.coverageUnion(parts, chained: false)
        #expect(try ctx.coverageUnion(parts).geometry.equalsTopologically(reference.geometry), "\(label)")
        let sum = try parts.reduce(0.0) { $0 + (try $1.area()) }
        guard let chained = try ctx.chainedCoverageUnion(parts), try chained.isValid(),
            abs(try chained.area() - sum) <= 1e-9 * sum
        else {
            // Refused (not edge-matched, or overlapping parts): GEOS's coverage union must refuse it too.
            #expect(reference.usedFallback, "\(label): chained union refused an input GEOS's accepts")
            return false
        }
        #expect(try chained.equalsTopologically(reference.geometry), "\(label)")
        #expect(try chained.polygons().count == reference.geometry.polygons().count, "\(label) polygons")
        #expect(try chained.holes().count == reference.geometry.holes().count, "\(label) holes")
        let (a, b) = (try chained.area(), try reference.geometry.area())
        #expect(abs(a - b) <= 1e-12 * b, "\(label) area \(a) vs \(b)")
        return true
    }

    @Test("300 generated options of 1 to 8 neighbouring EPCI: the same union both ways")
    func generatedOptions() throws {
        let data = try geoData()
        let session = try data.session()
        let ctx = GeosContext()
        var chained = 0
        let groups = try RandomGroupings.make(data, count: 300, seed: 21)
        for (k, g) in groups.enumerated() {
            let wkb = try session.epciGeometries(g)
            let parts = try g.map { try ctx.readWKB(try #require(wkb[$0])) }
            if try expectSame(parts, ctx, "option \(k + 1)") { chained += 1 }
        }
        // The reference EPCI are edge-matched: nearly every option takes the chained way.
        #expect(chained >= 270, "\(chained) of 300 options dissolved by chaining")
    }

    @Test("Every eighth EPCI dissolved from its communes: the same union both ways")
    func epciFromCommunes() throws {
        let data = try geoData()
        let session = try data.session()
        let ctx = GeosContext()
        let codes = data.epci.keys.sorted().enumerated().filter { $0.offset % 8 == 0 }.map(\.element)
        var chained = 0
        for (code, communes) in try session.communesByEPCI(codes).sorted(by: { $0.key < $1.key }) {
            let rows = try session.communes(codes: communes.map(\.code))
            let parts = try rows.keys.sorted().compactMap { c in try rows[c]?.1.map { try ctx.readWKB($0) } }
            if try expectSame(parts, ctx, code) { chained += 1 }
        }
        #expect(chained >= codes.count * 9 / 10, "\(chained) of \(codes.count) EPCI dissolved by chaining")
    }
}
