import Foundation
import PerimetreAnalysis
import PerimetreData
import PerimetreGeometry
import PerimetreTestSupport
import Testing

/// CC de la Marche Berrichonne (Indre): inland, wholly surrounded by 5 EPCI of the Indre and Creuse.
let marcheBerrichonne = "200007052"

@Suite("check: enclaves", .enabled(if: TestPaths.hasSharedData, "\(TestPaths.noSharedData)"))
struct EnclaveTests {
    @Test("the neighbours of an EPCI, without it, enclave it: enclave ≈ its area, enclaved_epci finding")
    func enclavedEPCI() throws {
        let l = try Lambert93()
        // Its neighbours on the Etalab contours, and a check that they surround it: their shared
        // borders cover its whole outline.
        let neighbours = try l.neighbours(of: marcheBerrichonne)
        #expect(neighbours.count >= 3)
        let x = try l.metric(code: marcheBerrichonne)
        var covered = 0.0
        for n in neighbours { covered += try l.sharedBorder(x, try l.metric(code: n)) }
        let outline = try x.boundary().length()
        #expect(covered > 0.98 * outline, "neighbours cover \(covered) m of \(outline) m")
        let expectedArea = try etalabAreaKm2(marcheBerrichonne)
        let expectedCommunes = try #require(try dgcl().communesByEPCI[marcheBerrichonne])

        let r = try check(neighbours)
        #expect(r.contiguity.contiguous)
        #expect(r.enclaves.count == 1)
        let e = try #require(r.enclaves.first)
        let x2 = try #require(e.epci.first { $0.code == marcheBerrichonne })
        #expect(x2.whole)
        #expect(e.epci.count == 1)
        // Same IGN outline simplified differently: within 2 %.
        #expect(within(e.areaKm2, expectedArea, rel: 0.02), "enclave \(e.areaKm2) km² vs Etalab \(expectedArea) km²")
        #expect(e.communes.map(\.code) == expectedCommunes)
        #expect(e.widthMetres > 1000)
        let f = try #require(r.findings.first { $0.rule == .enclavedEPCI })
        #expect(f.severity == .attention && f.faq == "2.1" && f.message.contains(marcheBerrichonne))
        #expect(r.findings.contains { $0.rule == .enclave && $0.severity == .attention })

        // With X in, no enclave is left and the area adds up.
        let all = try check(neighbours + [marcheBerrichonne])
        #expect(all.enclaves.isEmpty)
        #expect(within(all.figures.areaKm2, r.figures.areaKm2 + e.areaKm2, rel: 0.001))
    }

    @Test("a contiguous perimeter without holes has no enclave")
    func noEnclave() throws {
        let r = try check(nordFrancheComte)
        #expect(r.enclaves.isEmpty)
        #expect(!r.findings.contains { $0.rule == .enclave || $0.rule == .enclavedEPCI })
    }
}
