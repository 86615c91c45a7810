import PerimetreData
import PerimetreGeometry
import PerimetreTestSupport
import Testing

/// The PROJ pipelines `data build` stores (metadata `proj_pipeline …`), from which every run builds
/// its transformations to the local metric CRS without searching proj.db.
@Suite("PROJ pipelines of the local CRS in GeoData")
struct ProjPipelineTests {
    @Test("One pipeline per official local CRS, the operation PROJ chooses today")
    func stored() throws {
        let data = try TestData.openGeoData()
        for crs in LocalCRS.official {
            let stored = try #require(
                data.metadata[GeoData.pipelineKey(from: "EPSG:4326", to: crs.code)], "\(crs.code)")
            #expect(stored.hasPrefix("+proj=pipeline"))
            let fresh = try CoordinateTransformer.pipeline(from: "EPSG:4326", to: crs.code)
            #expect(fresh == stored, "\(crs.code)")
        }
    }

    @Test("Transformations built from them: Paris in Lambert-93, and back; Saint-Denis in UTM 40S")
    func transforms() throws {
        _ = try TestData.openGeoData()  // registers the pipelines
        let t = try CoordinateTransformer(from: "EPSG:4326", to: "EPSG:2154")
        // The Panthéon (2.3461 E, 48.8463 N) lies about 652.0 km E, 6,860.9 km N in Lambert-93.
        let p = try t.transform(Coordinate(2.3461, 48.8463))
        #expect(abs(p.x - 652_000) < 300 && abs(p.y - 6_860_900) < 300, "\(p)")
        let back = try CoordinateTransformer(from: "EPSG:2154", to: "EPSG:4326").transform(p)
        #expect(abs(back.x - 2.3461) < 1e-9 && abs(back.y - 48.8463) < 1e-9)
        // La Réunion's UTM 40S: Saint-Denis (55.45 E, 20.88 S) about 339 km E, 7,690 km N.
        let r = try CoordinateTransformer(from: "EPSG:4326", to: "EPSG:2975").transform(Coordinate(55.45, -20.88))
        #expect(abs(r.x - 338_000) < 5_000 && abs(r.y - 7_690_000) < 5_000, "\(r)")
    }
}

/// `epci_metric`: the EPCI projected at `data build` to their local metric CRS, read by the
/// distances between members instead of projecting at run time.
@Suite("EPCI in their local metric CRS (epci_metric)")
struct MetricEPCITests {
    @Test("Every EPCI, in the CRS of its facts, with the very coordinates a projection at run time gives")
    func sameCoordinates() throws {
        let data = try TestData.openGeoData()
        let session = try data.session()
        let topo = try data.epciTopology()
        let codes = data.epci.keys.sorted()
        let stored = try session.epciMetricGeometries(codes)
        #expect(stored.count == codes.count)
        // One EPCI in ten, and every EPCI of the DROM (their own UTM CRS).
        let sample = codes.enumerated().filter {
            $0.offset % 10 == 0 || topo.facts[$0.element]?.crs != LocalCRS.lambert93.code
        }.map(\.element)
        #expect(sample.contains { topo.facts[$0]?.crs == LocalCRS.reunion.code })
        let lonlat = try session.epciGeometries(sample)
        let ctx = GeosContext()
        for code in sample {
            let m = try #require(stored[code], "\(code)")
            let crs = try #require(topo.facts[code]?.crs)
            #expect(m.crs == crs, "\(code)")
            let projected = try CoordinateTransformer(from: "EPSG:4326", to: crs).transform(
                try ctx.readWKB(try #require(lonlat[code])))
            #expect(
                try projected.wkb().bytes == m.geometry.bytes,
                "\(code): stored coordinates differ from a projection now")
        }
    }
}
