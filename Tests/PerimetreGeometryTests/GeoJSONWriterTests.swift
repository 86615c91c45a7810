import Foundation
import PerimetreGeometry
import Testing

/// Parses JSON text with Foundation (independently of the layer's own JSON reader).
func foundationJSON(_ text: String) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
}

/// Rings of a Polygon geometry object parsed by Foundation, as (x, y) pairs.
func polygonRings(_ geometry: Any?) throws -> [[(Double, Double)]] {
    let g = try #require(geometry as? [String: Any])
    let rings = try #require(g["coordinates"] as? [[[Double]]])
    return rings.map { $0.map { ($0[0], $0[1]) } }
}

@Suite("GeoJSON writing (RFC 7946)")
struct GeoJSONWriterTests {
    @Test func ringsAreReorientedExteriorCCWHolesCW() throws {
        // Exterior clockwise, hole counter-clockwise: the writer must flip both.
        let shape = Shape.polygon([clockwiseRing(0, 0, 10, 10), counterClockwiseRing(2, 2, 4, 4)])
        let text = try GeoJSONWriter().feature(Feature(geometry: shape))
        let obj = try #require(try foundationJSON(text) as? [String: Any])
        let rings = try polygonRings(obj["geometry"])
        #expect(rings.count == 2)
        #expect(shoelace(rings[0]) == 100)
        #expect(shoelace(rings[1]) == -4)
        // Same point set: first = last, 5 positions each.
        #expect(rings.allSatisfy { $0.count == 5 && $0.first! == $0.last! })

        // Already conforming input is left as it is; a multipolygon is oriented part by part.
        let multi = Shape.multiPolygon([
            [counterClockwiseRing(0, 0, 1, 1)],
            [clockwiseRing(5, 5, 9, 9), clockwiseRing(6, 6, 7, 7)],
        ])
        let m = try #require(try foundationJSON(try GeoJSONWriter().geometry(multi)) as? [String: Any])
        let polys = try #require(m["coordinates"] as? [[[[Double]]]])
        let areas = polys.map { $0.map { shoelace($0.map { ($0[0], $0[1]) }) } }
        #expect(areas == [[1], [16, -1]])
    }

    @Test func precisionDefaultsToSixDecimals() throws {
        let p = Shape.point(Coordinate(2.123456789, 48.5))
        #expect(try GeoJSONWriter().geometry(p) == #"{"type":"Point","coordinates":[2.123457,48.5]}"#)
        #expect(try GeoJSONWriter(precision: 2).geometry(p) == #"{"type":"Point","coordinates":[2.12,48.5]}"#)
        #expect(try GeoJSONWriter(precision: 0).geometry(p) == #"{"type":"Point","coordinates":[2,49]}"#)
        // Whole numbers without decimals, tiny negatives without a "-0", leading zeros kept.
        let q = Shape.point(Coordinate(-1.0000004, -0.0000004))
        #expect(try GeoJSONWriter().geometry(q) == #"{"type":"Point","coordinates":[-1,0]}"#)
        let r = Shape.point(Coordinate(0.000123, -45.05))
        #expect(try GeoJSONWriter().geometry(r) == #"{"type":"Point","coordinates":[0.000123,-45.05]}"#)
        let line = Shape.lineString([Coordinate(1, 2), Coordinate(3.5, 4.25)])
        #expect(try GeoJSONWriter().geometry(line) == #"{"type":"LineString","coordinates":[[1,2],[3.5,4.25]]}"#)
    }

    @Test func largeCoordinatesAtHighPrecisionDoNotOverflow() throws {
        // 6862000.25 x 10^15 exceeds Int64: the writer must still print the value.
        let p = Shape.point(Coordinate(652000.5, 6862000.25))
        let text = try GeoJSONWriter(precision: 15).geometry(p)
        #expect(text == #"{"type":"Point","coordinates":[652000.5,6862000.25]}"#)
    }

    @Test func wholeFeatureText() throws {
        let f = Feature(
            id: "A1", properties: ["nom": "Lille", "code": 59350], geometry: .point(Coordinate(3.06, 50.63)))
        #expect(
            try GeoJSONWriter().feature(f)
                == #"{"type":"Feature","id":"A1","properties":{"nom":"Lille","code":59350},"geometry":{"type":"Point","coordinates":[3.06,50.63]}}"#
        )
        let noGeometry = Feature(properties: [:], geometry: nil)
        #expect(try GeoJSONWriter().feature(noGeometry) == #"{"type":"Feature","properties":{},"geometry":null}"#)
        let fc = try GeoJSONWriter().featureCollection([noGeometry, noGeometry])
        #expect(
            fc == "{\"type\":\"FeatureCollection\",\"features\":[\n"
                + #"{"type":"Feature","properties":{},"geometry":null}"# + ",\n"
                + #"{"type":"Feature","properties":{},"geometry":null}"# + "\n]}\n")
    }

    @Test func anArrayWrittenInPiecesIsSplicedByteForByte() throws {
        // Elements written apart (as on several cores) and spliced give the bytes of the whole
        // tree written at once, pretty or compact, with nested objects, arrays and empty ones.
        let items: [JSONValue] = [
            .object(["id": "a", "list": [1, 2.5, .object(["x": nil])], "empty": .array([])]),
            [], .object([:]), "texte « accentué »\n",
        ]
        let whole: JSONObject = ["schema": "s/1", "items": .array(items), "after": .object(["z": [true]])]
        for pretty in [true, false] {
            let w = JSONWriter(pretty: pretty)
            var holder = whole
            holder["items"] = .null
            for elements in [items, []] {
                var expected = whole
                expected["items"] = .array(elements)
                let pieces = try elements.map { try w.fragment($0, depth: 2) }
                #expect(try w.string(holder, splicing: "items", elements: pieces) == (try w.string(.object(expected))))
            }
            // Two arrays spliced at once (the audit's territories and overlaps), as bytes.
            var both = whole
            both["after"] = .null
            let after: [JSONValue] = [.object(["z": [true]]), 7]
            var expected = whole
            expected["after"] = .array(after)
            let bytes = try w.bytes(
                both,
                splicing: [
                    "items": try items.map { try w.fragment($0, depth: 2) },
                    "after": try after.map { try w.fragment($0, depth: 2) },
                ])
            #expect(String(decoding: bytes, as: UTF8.self) == (try w.string(.object(expected))))
            // In pieces, as the audit writes its file: the same bytes, each element a piece as written.
            let elements = try items.map { try w.fragment($0, depth: 2) }
            let pieces = try w.pieces(both, splicing: ["items": elements, "after": []])
            var noAfter = whole
            noAfter["after"] = .array([])
            #expect(JSONWriter.joined(pieces) == Array(try w.string(.object(noAfter)).utf8))
            #expect(elements.allSatisfy { e in pieces.contains(e) })
            // Through one scratch buffer, longest first then shorter: each fragment as written alone.
            var scratch: [UInt8] = []
            let order = items.sorted {
                (try? w.fragment($0, depth: 2).count) ?? 0 > (try? w.fragment($1, depth: 2).count) ?? 0
            }
            let reused = try order.map { try w.fragment($0, depth: 2, scratch: &scratch) }
            #expect(reused == (try order.map { try w.fragment($0, depth: 2) }))
        }
    }

    @Test("An object with an array of strings appended: the bytes of the same object written as values")
    func fragmentAppendingStrings() throws {
        let objects: [JSONObject] = [
            [:], ["a": "ti-1", "b": "ti-2", "area_km2": 12.25], ["nested": .object(["x": [1, nil]]), "n": -3],
        ]
        let lists: [[String]] = [[], ["01001"], ["2A004", "texte « accentué »", "a\"b\\c\n", ""]]
        for pretty in [true, false] {
            let w = JSONWriter(pretty: pretty)
            for o in objects {
                for strings in lists {
                    for depth in [0, 2, 33] {
                        var whole = o
                        whole["communes"] = .array(strings.map { .string($0) })
                        #expect(
                            try w.fragment(o, appending: "communes", strings: strings, depth: depth)
                                == (try w.fragment(.object(whole), depth: depth)))
                    }
                }
            }
            #expect(throws: GeometryError.self) {
                try w.fragment(["x": .number(.nan)], appending: "c", strings: ["a"], depth: 2)
            }
        }
    }

    @Test("Pretty indentation beyond the prepared depth, and strings escaped or taken whole")
    func deepIndentationAndEscapes() throws {
        // 40 nested arrays: the first 31 levels indented from a prepared run of spaces, the
        // deeper ones space by space; both as the definition (two spaces a level).
        var v: JSONValue = "x"
        for _ in 0..<40 { v = .array([v]) }
        var expected = ""
        for d in 0..<40 { expected += "[\n" + String(repeating: "  ", count: d + 1) }
        expected += "\"x\""
        for d in (0..<40).reversed() { expected += "\n" + String(repeating: "  ", count: d) + "]" }
        #expect(try JSONWriter(pretty: true).string(v) == expected)
        // A long name (not inline), one with every escape, one with non-ASCII letters, none.
        let long = String(repeating: "Communauté d'agglomération ", count: 4)
        let cases: [(String, String)] = [
            (long, "\"" + long + "\""), ("a\"b\\c\nd\re\tf\u{01}", #""a\"b\\c\nd\re\tf\u0001""#),
            ("Île-de-Sein", #""Île-de-Sein""#), ("", "\"\""),
        ]
        for (s, json) in cases { #expect(try JSONWriter().string(.string(s)) == json, "\(s)") }
    }

    @Test func numbersAreNumbersAndKeysKeepTheirOrder() throws {
        let props: JSONObject = [
            "zone": "Z", "population": 12345, "ratio": 0.25, "big": 3e20, "small": 1e-7,
            "flag": true, "nothing": nil, "accents": "Île-de-France \"quoted\"\nline",
            "nested": .object(["b": 1, "a": [1, 2.5, "x"]]),
        ]
        let text = try GeoJSONWriter().feature(Feature(properties: props, geometry: nil))
        #expect(text.contains(#""population":12345,"#))
        #expect(text.contains(#""ratio":0.25,"#))
        #expect(text.contains(#""flag":true,"#))
        #expect(text.contains(#""nothing":null,"#))
        #expect(text.contains(#""nested":{"b":1,"a":[1,2.5,"x"]}"#))
        // Keys in the given order, not sorted.
        let order = ["zone", "population", "ratio", "big", "small", "flag", "nothing", "accents", "nested"]
        let positions = order.map { text.range(of: "\"\($0)\":")!.lowerBound }
        #expect(positions == positions.sorted())
        // Foundation reads every number back as a number, every string as the same string.
        let obj = try #require(try foundationJSON(text) as? [String: Any])
        let p = try #require(obj["properties"] as? [String: Any])
        #expect(p["population"] as? Int == 12345)
        #expect(p["ratio"] as? Double == 0.25)
        #expect(p["big"] as? Double == 3e20)
        #expect(p["small"] as? Double == 1e-7)
        #expect(p["population"] as? String == nil)
        #expect(p["accents"] as? String == "Île-de-France \"quoted\"\nline")
    }

    @Test func outputIsByteIdenticalFromRunToRun() throws {
        func make() throws -> String {
            let features = (0..<20).map { i in
                Feature(
                    id: .int(i), properties: ["name": .string("f\(i)"), "v": .number(Double(i) / 3)],
                    geometry: .polygon([clockwiseRing(Double(i), 0, Double(i) + 0.123456789, 1)]))
            }
            return try GeoJSONWriter().featureCollection(features)
        }
        let a = try make()
        let b = try make()
        #expect(a == b)
        #expect(Data(a.utf8) == Data(b.utf8))
        #expect(a.hasSuffix("\n]}\n"))
        _ = try foundationJSON(a)
    }

    @Test func nonFiniteValuesAreRefused() throws {
        for bad in [Coordinate(.nan, 1), Coordinate(1, .infinity), Coordinate(-.infinity, 0)] {
            let e = thrownError { try GeoJSONWriter().geometry(.lineString([Coordinate(0, 0), bad])) }
            #expect(e is GeometryError, "\(bad)")
        }
        let nested = Shape.collection([
            .point(Coordinate(0, 0)),
            .polygon([
                [
                    Coordinate(0, 0), Coordinate(.nan, 0),
                    Coordinate(1, 1), Coordinate(0, 0),
                ]
            ]),
        ])
        #expect(thrownError { try GeoJSONWriter().feature(Feature(geometry: nested)) } is GeometryError)
        // A NaN property is refused too, never written as NaN or "NaN".
        let f = Feature(properties: ["x": .number(.nan)], geometry: nil)
        #expect(thrownError { try GeoJSONWriter().feature(f) } is GeometryError)
        #expect(thrownError { try JSONWriter().string(.number(.infinity)) } is GeometryError)
    }

    @Test func bboxOption() throws {
        let f = Feature(geometry: .polygon([clockwiseRing(-1.5, 43.25, 7.125, 51)]))
        let with = try GeoJSONWriter(bbox: true).feature(f)
        #expect(with.contains(#""bbox":[-1.5,43.25,7.125,51]"#))
        let obj = try #require(try foundationJSON(with) as? [String: Any])
        #expect(obj["bbox"] as? [Double] == [-1.5, 43.25, 7.125, 51])
        #expect(try !GeoJSONWriter().feature(f).contains("bbox"))
        // No bbox for a feature without geometry.
        #expect(try !GeoJSONWriter(bbox: true).feature(Feature(geometry: nil)).contains("bbox"))
    }

    @Test func featureCollectionMembersAreValidJSON() throws {
        let text = try GeoJSONWriter().featureCollection(
            [Feature(geometry: .point(Coordinate(1, 2)))],
            members: ["name": "bassin", "version": 2])
        #expect(text.hasPrefix(#"{"type":"FeatureCollection","name":"bassin","version":2,"features":["#))
        let obj = try #require(try foundationJSON(text) as? [String: Any])
        #expect(obj["name"] as? String == "bassin")
        #expect((obj["features"] as? [Any])?.count == 1)
    }

    @Test func collectionsAndMultiTypes() throws {
        let shape = Shape.collection([
            .point(Coordinate(1, 2)), .multiPoint([Coordinate(0, 0), Coordinate(1, 1)]),
            .multiLineString([[Coordinate(0, 0), Coordinate(1, 0)]]),
        ])
        #expect(
            try GeoJSONWriter().geometry(shape)
                == #"{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[1,2]},{"type":"MultiPoint","coordinates":[[0,0],[1,1]]},{"type":"MultiLineString","coordinates":[[[0,0],[1,0]]]}]}"#
        )
    }

    @Test func writtenGeoJSONReadsBack() throws {
        let shape = Shape.polygon([counterClockwiseRing(2.25, 48.5, 2.5, 48.75), clockwiseRing(2.3, 48.6, 2.4, 48.7)])
        let f = Feature(id: 7, properties: ["nom": "Paris", "n": 2], geometry: shape)
        let text = try GeoJSONWriter().featureCollection([f])
        let back = try GeoJSONReader.read(data: Data(text.utf8), source: "roundtrip")
        #expect(back.count == 1)
        #expect(back[0].geometry == shape)
        #expect(back[0].id == 7)
        #expect(back[0].properties["nom"] == "Paris")
        #expect(back[0].properties["n"] == 2)
    }
}
