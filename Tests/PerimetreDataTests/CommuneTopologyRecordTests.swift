import Foundation
import PerimetreGeometry
import Testing

@testable import PerimetreData

/// The packed commune topology of each EPCI (`epci_commune_topology`), against the rows of the
/// three commune tables it is made from.
@Suite("Commune topology records")
struct CommuneTopologyRecordTests {
    @Test("Each EPCI's record holds its communes' facts and every pair touching them, as the three commune tables do")
    func recordsAsTables() throws {
        let data = try TestData.openGeoData()
        let session = try data.session()
        let codes = data.epci.keys.sorted()
        // The tables read the long way, then grouped by EPCI here.
        let rows = try session.readCommuneTopology(ofEPCI: codes)
        var expected: [String: GeoDataSession.CommuneTopology] = [:]
        let empty = GeoDataSession.CommuneTopology(facts: [:], adjacency: [], epci: [:])
        for (c, f) in rows.facts {
            let e = try #require(rows.epci[c])
            expected[e, default: empty].facts[c] = f
            expected[e, default: empty].epci[c] = e
        }
        for p in rows.adjacency {
            for e in Set([rows.epci[p.a], rows.epci[p.b]].compactMap { $0 }) {
                expected[e, default: empty].adjacency.append(p)
                expected[e, default: empty].epci[p.a] = rows.epci[p.a]
                expected[e, default: empty].epci[p.b] = rows.epci[p.b]
            }
        }
        #expect(rows.facts.count > 34_000 && rows.adjacency.count > 90_000)
        var pairs = 0
        for e in codes {
            let t = try session.communeTopology(ofEPCI: [e])
            #expect(t == expected[e] ?? empty, "EPCI \(e)")
            pairs += t.adjacency.count
        }
        // A pair between two EPCI is in both records.
        #expect(pairs > rows.adjacency.count)
    }

    @Test("A record cut short, or followed by bytes, is an error naming the EPCI, never a crash")
    func truncated() throws {
        let oleron = "241700624"
        let t = try TestData.openGeoData().session().communeTopology(ofEPCI: [oleron])
        #expect(t.facts.count == 8 && !t.adjacency.isEmpty)
        let bytes = try CommuneTopologyRecord.encode(t)
        #expect(try bytes.withUnsafeBytes { try CommuneTopologyRecord.decode($0, epci: oleron, path: "t.gpkg") } == t)
        for cut in [Array(0..<bytes.count), [bytes.count + 1]].joined() {
            let bad = cut <= bytes.count ? Array(bytes[..<cut]) : bytes + [0]
            let error = #expect(throws: GeoPackageError.self) {
                try bad.withUnsafeBytes { try CommuneTopologyRecord.decode($0, epci: oleron, path: "t.gpkg") }
            }
            #expect(error?.message.contains("EPCI \(oleron)") == true && error?.path == "t.gpkg")
        }
    }
}
