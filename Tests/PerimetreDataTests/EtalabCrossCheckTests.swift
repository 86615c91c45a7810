import Foundation
import PerimetreData
import PerimetreGeometry
import PerimetreTestSupport
import Testing

/// The EPCI layer against an independent source: Etalab's 2024 EPCI contours (derived from IGN
/// ADMIN EXPRESS, simplified at 100 m), measured here with the same geodesic method.
@Suite(
    "Etalab cross-check",
    .enabled(
        if: TestData.hasEtalab,
        "../shared/data/epci-contours-etalab-2024 is absent: Etalab cross-check skipped"))
struct EtalabCrossCheckTests {
    struct EtalabEPCI: Sendable {
        var code: String
        var name: String
        var territory: String
        var areaKm2: Double
        var shape: Shape
    }

    /// Etalab's 1,255 EPCI of 2024 with their geodesic areas, read once for the suite.
    static let etalab: Result<[EtalabEPCI], any Error> = Result { try readEtalabFile() }
    static func readEtalab() throws -> [EtalabEPCI] { try etalab.get() }

    static func readEtalabFile() throws -> [EtalabEPCI] {
        let features = try GeoJSONReader.read(contentsOf: TestPaths.etalabEPCI)
        // The DROM régions: 01 Guadeloupe, 02 Martinique, 03 Guyane, 04 La Réunion, 06 Mayotte.
        let dromOfRegion = ["01": "971", "02": "972", "03": "973", "04": "974", "06": "976"]
        return try features.enumerated().map { i, f in
            let code = try #require(f.properties["code"]?.stringValue, "feature \(i) without code")
            var region = ""
            if case .array(let rs)? = f.properties["regions"], let first = rs.first?.stringValue { region = first }
            let shape = try #require(f.geometry, "EPCI \(code) without geometry")
            return EtalabEPCI(
                code: code, name: f.properties["nom"]?.stringValue ?? "", territory: dromOfRegion[region] ?? "FXX",
                areaKm2: GeodesicMeasure.area(of: shape) / 1e6, shape: shape)
        }
    }

    /// The 2025 composition of every EPCI (DGCL BANATIC), SIREN → commune codes, to explain outliers.
    static func readDGCL() throws -> [String: Set<String>] {
        guard FileManager.default.fileExists(atPath: TestPaths.dgclCommuneEPCI) else { return [:] }
        let t = try CSVReader.read(contentsOf: TestPaths.dgclCommuneEPCI)
        let insee = try t.requireColumn("insee")
        let siren = try t.requireColumn("siren_epci")
        var out: [String: Set<String>] = [:]
        for r in t.rows { out[r[siren], default: []].insert(r[insee]) }
        return out
    }

    @Test("EPCI areas: median relative difference with Etalab 2024 under 1 %; outliers listed")
    func epciAreas() throws {
        let data = try TestData.openGeoData()
        let etalab = try Self.readEtalab()
        #expect(etalab.count == 1_255)
        let common = etalab.filter { data.epci[$0.code] != nil }
        // A year of mergers changes a few dozen EPCI: most codes must be in both.
        #expect(common.count > 1_150, "only \(common.count) EPCI codes in both")

        let diffs = common.map { e in (e, relativeDifference(data.epci[e.code]!.areaKm2, e.areaKm2)) }
        let med = median(diffs.map { abs($0.1) })
        print(
            String(
                format: "Etalab 2024: %d EPCI, %d codes in both, median |relative difference| %.3f %%",
                etalab.count, common.count, 100 * med))
        #expect(med < 0.01)

        // Outliers (> 5 %): name and commune list compared, to tell a change of perimeter from a
        // geometry defect.
        let dgcl = try Self.readDGCL()
        let s = try data.session()
        let outliers = diffs.filter { abs($0.1) > 0.05 }.sorted { abs($0.1) > abs($1.1) }
        print("Outliers (> 5 %): \(outliers.count)")
        for (e, d) in outliers {
            let ours = data.epci[e.code]!
            let members = Set(try s.communes(ofEPCI: [e.code], geometry: false).map(\.0.code))
            var line = String(
                format: "  %@  %.1f km² here (%@), %.1f km² Etalab 2024 (%@), %+.1f %%",
                e.code, ours.areaKm2, ours.name, e.areaKm2, e.name, 100 * d)
            if let old = dgcl[e.code] {
                line += " — communes 2026 vs 2025: \(members.count) vs \(old.count)"
                let added = members.subtracting(old)
                let removed = old.subtracting(members)
                if !added.isEmpty { line += ", +\(added.count) (\(added.sorted().prefix(6).joined(separator: " ")))" }
                if !removed.isEmpty {
                    line += ", −\(removed.count) (\(removed.sorted().prefix(6).joined(separator: " ")))"
                }
            }
            print(line)
            for m in try Self.movedCommunes(e, session: s) { print("      " + m) }
        }
        // Outliers are perimeter changes, not geometry defects: few of them.
        #expect(outliers.count < 60, "\(outliers.count) EPCI differ by more than 5 %")
    }

    /// The communes that make the perimeter differ, by area: the part of a commune of this EPCI
    /// outside its Etalab 2024 polygon (`+`), and the part of that polygon now in a commune of
    /// another EPCI (`−`), over 1 km².
    static func movedCommunes(_ e: EtalabEPCI, session s: GeoDataSession) throws -> [String] {
        let ctx = GeosContext()
        var theirs = try ctx.geometry(e.shape)
        if try !theirs.isValid() { theirs = try theirs.makeValid() }
        let prepared = try PreparedGeometry(theirs)
        var out: [String] = []
        for (c, w) in try s.communes(intersecting: e.shape.envelope) {
            let g = try ctx.readWKB(w)
            let shared = try prepared.intersects(g) ? try g.intersection(theirs).geodesicArea() / 1e6 : 0
            if c.epci == e.code, c.areaKm2 - shared > 1 {
                out.append(
                    String(
                        format: "+ %@ %@: %.1f of its %.1f km² outside the 2024 polygon", c.code, c.name,
                        c.areaKm2 - shared, c.areaKm2))
            } else if c.epci != e.code, shared > 1 {
                out.append(
                    String(
                        format: "− %@ %@ (now in %@): %.1f km² of the 2024 polygon", c.code, c.name,
                        c.epci ?? "no EPCI", shared))
            }
        }
        return out
    }

    @Test("Total EPCI area of metropolitan France and of each DROM within 1 % of Etalab 2024")
    func territoryTotals() throws {
        let data = try TestData.openGeoData()
        let etalab = try Self.readEtalab()
        var theirs: [String: Double] = [:]
        for e in etalab { theirs[e.territory, default: 0] += e.areaKm2 }
        var ours: [String: Double] = [:]
        for e in data.epci.values {
            let t = Territory(departement: try #require(e.departements.first)).rawValue
            ours[t, default: 0] += e.areaKm2
        }
        #expect(Set(ours.keys) == ["FXX", "971", "972", "973", "974", "976"])
        #expect(Set(theirs.keys) == Set(ours.keys))
        for t in ours.keys.sorted() {
            let d = relativeDifference(ours[t]!, theirs[t] ?? 0)
            print(
                String(
                    format: "EPCI total %@: %.1f km² here, %.1f km² Etalab 2024 (%+.3f %%)", t, ours[t]!,
                    theirs[t] ?? 0, 100 * d))
            // EPCI perimeters changed between 2024 and 2026, but not the coverage of a territory.
            #expect(abs(d) < 0.01, "\(t): \(ours[t]!) km² here, \(theirs[t] ?? 0) km² in Etalab 2024")
        }
    }
}
