import Foundation
import PerimetreGeometry
import Testing

/// The GeoJSONError thrown when reading `text`, or nil.
func readError(_ text: String) -> GeoJSONError? {
    thrownError { try GeoJSONReader.read(data: Data(text.utf8), source: "test.geojson") } as? GeoJSONError
}

/// A FeatureCollection of one good feature followed by `bad` (feature index 1).
func secondFeature(_ bad: String) -> String {
    #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":null,"geometry":{"type":"Point","coordinates":[2,48]}},"#
        + bad + "]}"
}

func secondFeatureGeometry(_ geometry: String) -> String {
    secondFeature(#"{"type":"Feature","properties":{},"geometry":"# + geometry + "}")
}

@Suite("GeoJSON reading")
struct GeoJSONReaderTests {
    @Test func propertiesAreKept() throws {
        let text = #"""
            {"type":"FeatureCollection","features":[
              {"type":"Feature","id":"59350",
               "properties":{"nom":"Lille","population":236234,"densite":6782.5,"chef_lieu":true,"note":null,
                             "codes":["59","HDF"],"epci":{"siren":"200093201","membres":95}},
               "geometry":{"type":"Polygon","coordinates":[[[3,50.6],[3.1,50.6],[3.1,50.7],[3,50.7],[3,50.6]]]}},
              {"type":"Feature","properties":{},"geometry":null}
            ]}
            """#
        let fs = try GeoJSONReader.read(data: Data(text.utf8), source: "lille.geojson")
        #expect(fs.count == 2)
        let p = fs[0].properties
        #expect(fs[0].id == .string("59350"))
        #expect(p["nom"] == .string("Lille"))
        #expect(p["population"] == .int(236234))
        #expect(p["densite"] == .number(6782.5))
        #expect(p["chef_lieu"] == .bool(true))
        #expect(p["note"] == .null)
        #expect(p["codes"] == .array([.string("59"), .string("HDF")]))
        #expect(p["epci"]?["siren"] == .string("200093201"))
        #expect(p["epci"]?["membres"] == .int(95))
        #expect(p["absent"] == nil)
        #expect(p.keys.count == 7)
        #expect(
            fs[0].geometry
                == .polygon([
                    [
                        Coordinate(3, 50.6), Coordinate(3.1, 50.6), Coordinate(3.1, 50.7),
                        Coordinate(3, 50.7), Coordinate(3, 50.6),
                    ]
                ]))
        #expect(fs[1].geometry == nil)
        #expect(fs[1].properties.keys.isEmpty)
    }

    @Test func singleFeatureBareGeometryAndFile() throws {
        let feature =
            #"{"type":"Feature","properties":{"a":1},"geometry":{"type":"Point","coordinates":[-61.5,16.25]}}"#
        #expect(
            try GeoJSONReader.read(data: Data(feature.utf8), source: "f").map(\.geometry) == [
                .point(Coordinate(-61.5, 16.25))
            ])
        let bare = #"{"type":"MultiLineString","coordinates":[[[0,0],[1,1]],[[2,2],[3,3]]]}"#
        #expect(
            try GeoJSONReader.geometry(fromJSON: bare)
                == .multiLineString([[Coordinate(0, 0), Coordinate(1, 1)], [Coordinate(2, 2), Coordinate(3, 3)]]))
        let collection =
            #"{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[1,2]},{"type":"MultiPoint","coordinates":[[3,4]]}]}"#
        #expect(
            try GeoJSONReader.geometry(fromJSON: collection)
                == .collection([.point(Coordinate(1, 2)), .multiPoint([Coordinate(3, 4)])]))
        // A crs naming CRS84 (lon/lat) is fine.
        let crs84 =
            #"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}},"features":[]}"#
        #expect(try GeoJSONReader.read(data: Data(crs84.utf8), source: "c").isEmpty)

        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "perimetre-geom-\(UUID().uuidString).geojson")
        try Data(feature.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let fromFile = try GeoJSONReader.read(contentsOf: url.path)
        #expect(fromFile.count == 1 && fromFile[0].properties["a"] == .int(1))
        let missing = thrownError { try GeoJSONReader.read(contentsOf: url.path + ".absent") } as? GeoJSONError
        #expect(missing?.message.contains("illisible") == true)
    }

    @Test func invalidJSON() throws {
        let e = try #require(readError(#"{"type":"FeatureCollection","features":[}"#))
        #expect(e.feature == nil)
        #expect(e.message.contains("JSON invalide"))
        #expect(e.description.hasPrefix("test.geojson: "))
        #expect(try #require(readError("")).message.contains("vide"))
    }

    @Test func notAnObject() throws {
        let e = try #require(readError("[1, 2, 3]"))
        #expect(e.feature == nil)
        #expect(e.message.contains("objet"))
        let noType = try #require(readError(#"{"features":[]}"#))
        #expect(noType.message.contains("type"))
        // A feature that is not an object: its index is named.
        let e2 = try #require(readError(secondFeature("42")))
        #expect(e2.feature == 1)
        #expect(e2.description.contains("entité 2"))
        #expect(e2.message.contains("pas un objet Feature"))
    }

    @Test func missingGeometryMember() throws {
        let e = try #require(readError(secondFeature(#"{"type":"Feature","properties":{}}"#)))
        #expect(e.feature == 1)
        #expect(e.description == "test.geojson: entité 2 : membre « geometry » manquant")
    }

    @Test func wrongTypes() throws {
        // features not an array
        let e1 = try #require(readError(#"{"type":"FeatureCollection","features":{}}"#))
        #expect(e1.message.contains("features"))
        // properties neither object nor null
        let e2 = try #require(readError(secondFeature(#"{"type":"Feature","properties":[1],"geometry":null}"#)))
        #expect(e2.feature == 1 && e2.message.contains("properties"))
        // coordinates a string
        let e3 = try #require(readError(secondFeatureGeometry(#"{"type":"Point","coordinates":"2,48"}"#)))
        #expect(e3.feature == 1 && e3.description.contains("entité 2"))
        #expect(e3.message.contains("liste de coordonnées"))
        // positions made of strings
        let e4 = try #require(
            readError(secondFeatureGeometry(#"{"type":"LineString","coordinates":[["2","48"],["3","49"]]}"#)))
        #expect(e4.feature == 1 && e4.message.contains("deux nombres"))
        // a one-number position
        let e5 = try #require(readError(secondFeatureGeometry(#"{"type":"Point","coordinates":[2]}"#)))
        #expect(e5.message.contains("deux nombres"))
        // geometry not an object, unknown type, missing coordinates
        #expect(try #require(readError(secondFeatureGeometry("[2,48]"))).message.contains("objet"))
        #expect(
            try #require(readError(secondFeatureGeometry(#"{"type":"Circle","coordinates":[2,48]}"#))).message.contains(
                "Circle"))
        #expect(try #require(readError(secondFeatureGeometry(#"{"type":"Polygon"}"#))).message.contains("coordinates"))
    }

    @Test func unclosedRing() throws {
        let e = try #require(
            readError(
                secondFeatureGeometry(
                    #"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}"#)))
        #expect(e.feature == 1)
        #expect(e.message.contains("pas fermé"))
        // A hole (ring 2) left open is named as such.
        let e2 = try #require(
            readError(
                secondFeatureGeometry(
                    #"{"type":"Polygon","coordinates":[[[0,0],[4,0],[4,4],[0,4],[0,0]],[[1,1],[2,1],[2,2],[1,2]]]}"#)))
        #expect(e2.message.contains("anneau 2"))
    }

    @Test func ringWithTooFewPositions() throws {
        let e = try #require(
            readError(
                secondFeatureGeometry(
                    #"{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}"#)))
        #expect(e.feature == 1)
        #expect(e.message.contains("3 positions"))
        #expect(e.message.contains("au moins 4"))
        let multi = try #require(
            readError(
                secondFeatureGeometry(
                    #"{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[[[0,0],[0,0]]]]}"#)))
        #expect(multi.message.contains("au moins 4"))
    }

    @Test func lambert93CoordinatesAreRefused() throws {
        let e = try #require(readError(secondFeatureGeometry(#"{"type":"Point","coordinates":[652000,6862000]}"#)))
        #expect(e.feature == 1)
        #expect(e.message.contains("pas en lon/lat"))
        #expect(e.message.contains("652000"))
        // Latitude alone out of range too.
        #expect(
            try #require(readError(secondFeatureGeometry(#"{"type":"Point","coordinates":[2,91]}"#))).message.contains(
                "pas en lon/lat"))
        // Bounds are inclusive.
        #expect(readError(secondFeatureGeometry(#"{"type":"Point","coordinates":[-180,90]}"#)) == nil)
    }

    @Test func nonFiniteNumbersAreRefused() throws {
        // JSON has no NaN or Infinity literal; an overflowing number is the nearest thing.
        for bad in [#"[1e400,2]"#, #"[NaN,2]"#, #"[Infinity,2]"#, #"[-1e999,2]"#] {
            let e = readError(secondFeatureGeometry(#"{"type":"Point","coordinates":"# + bad + "}"))
            #expect(e != nil, "\(bad) was accepted")
        }
        // The overflowing number is named as such, not as a type mismatch.
        let e = try #require(readError(secondFeatureGeometry(#"{"type":"Point","coordinates":[1e400,2]}"#)))
        #expect(e.message.contains("JSON invalide"))
        #expect(e.message.contains("hors des limites d'un Double"), "\(e.message)")
    }

    @Test func crsOtherThanLonLatIsRefused() throws {
        let text =
            #"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::2154"}},"features":[]}"#
        let e = try #require(readError(text))
        #expect(e.feature == nil)
        #expect(e.message.contains("EPSG::2154"))
        #expect(e.message.contains("reprojetez"))
        let short =
            #"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:2154"}},"features":[]}"#
        #expect(readError(short) != nil)
    }
}
