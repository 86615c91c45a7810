import Foundation
import PerimetreAnalysis
import PerimetreData
import PerimetreGeometry
import PerimetreReport
import PerimetreTestSupport
import Testing

@Suite("check: report formats")
struct ReportFormatTests {
    @Test("JSON: documented keys and types, values consistent with the result")
    func json() throws {
        let r = try check(nordFrancheComte)
        let o = try jsonObject(try JSONReport.render(r))
        for k in [
            "schema", "id", "name", "members", "unresolved", "duplicates", "epci_cut", "area_km2", "perimeter_km",
            "population",
            "commune_count", "epci_count", "polsby_popper", "bbox", "contiguity", "enclaves", "slivers", "departements",
            "regions",
            "interdepartemental", "interregional", "border", "findings", "metric_crs",
        ] {
            #expect(o[k] != nil, "missing key \(k)")
        }
        #expect(o["schema"] as? String == "perimetre/check/1")
        #expect(o["id"] as? String == "test")
        let members = try #require(o["members"] as? [[String: Any]])
        #expect(members.map { $0["code"] as? String } == nordFrancheComte)
        for m in members {
            #expect(
                m["kind"] as? String == "epci" && m["status"] as? String == "resolved"
                    && (m["name"] as? String)?.isEmpty == false)
            #expect((m["communes"] as? [String])?.count == m["commune_count"] as? Int)
        }
        #expect((o["unresolved"] as? [Any])?.isEmpty == true)
        let area = try #require(o["area_km2"] as? Double)
        #expect(abs(area - r.figures.areaKm2) < 0.001)
        #expect(o["population"] as? Int == r.figures.population)
        let c = try #require(o["contiguity"] as? [String: Any])
        #expect(c["contiguous"] as? Bool == true)
        #expect((c["components"] as? [[String]])?.count == 1)
        #expect(c["tolerance_m"] as? Int == 100)
        for k in ["edges", "point_contacts", "gaps", "islands", "detached_parts"] {
            #expect(c[k] is [Any], "contiguity.\(k)")
        }
        #expect(o["enclaves"] is [Any])
        for key in ["departements", "regions"] {
            let entries = try #require(o[key] as? [[String: Any]])
            #expect(!entries.isEmpty)
            for e in entries {
                #expect(e["code"] is String && e["name"] is String)
                #expect(e["area_share"] is NSNumber && e["population_share"] is NSNumber)
            }
        }
        #expect((o["regions"] as? [[String: Any]])?.first?["prefecture"] is String)
        #expect(o["interdepartemental"] as? Bool == true && o["interregional"] as? Bool == false)
        let border = try #require(o["border"] as? [String: Any])
        #expect(border["frontalier"] is Bool && border["neighbours"] is [String])
        let findings = try #require(o["findings"] as? [[String: Any]])
        #expect(findings.count == r.findings.count)
        for f in findings {
            #expect(f["rule"] is String && f["message"] is String)
            #expect(["bloquant", "attention", "info"].contains(f["severity"] as? String ?? ""))
            #expect(f["faq"] is String || f["faq"] is NSNull)
        }
    }

    @Test(
        "GeoJSON: every feature has a role; exteriors counter-clockwise, holes clockwise (RFC 7946); deterministic",
        .enabled(if: TestPaths.hasSharedData, "\(TestPaths.noSharedData)"))
    func geojson() throws {
        // A perimeter with a hole (the enclave of the Marche Berrichonne).
        let neighbours = try Lambert93().neighbours(of: marcheBerrichonne)
        let r = try check(neighbours)
        let text = try GeoJSONReport.render(r)
        #expect(text == (try GeoJSONReport.render(r)))
        let o = try jsonObject(text)
        #expect(o["type"] as? String == "FeatureCollection")
        let features = try #require(o["features"] as? [[String: Any]])
        let roles = features.compactMap { ($0["properties"] as? [String: Any])?["role"] as? String }
        #expect(roles.count == features.count)
        #expect(
            Set(roles).isSubset(of: ["perimeter", "member", "component", "enclave", "detached_part", "french_part"]))
        #expect(roles.filter { $0 == "perimeter" }.count == 1)
        #expect(roles.filter { $0 == "member" }.count == neighbours.count)
        #expect(roles.contains("enclave"))
        var holes = 0
        for f in features {
            let g = try #require(f["geometry"] as? [String: Any])
            let type = g["type"] as? String
            let polys: [[[[Double]]]]
            if type == "Polygon" {
                polys = [try #require(g["coordinates"] as? [[[Double]]])]
            } else if type == "MultiPolygon" {
                polys = try #require(g["coordinates"] as? [[[[Double]]]])
            } else {
                continue
            }
            for p in polys {
                for (i, ring) in p.enumerated() {
                    let cs = ring.map { Coordinate($0[0], $0[1]) }
                    #expect(cs.first == cs.last, "closed ring")
                    if i == 0 {
                        #expect(shoelace(cs) > 0, "exterior ring not counter-clockwise")
                    } else {
                        #expect(shoelace(cs) < 0, "hole not clockwise")
                        holes += 1
                    }
                }
            }
        }
        #expect(holes >= 1, "the perimeter has the enclave as a hole")
    }

    @Test("HTML: self-contained, with an inline SVG map and the findings")
    func html() throws {
        let r = try check(genevois)
        let h = HTMLReport.render(r)
        #expect(h.hasPrefix("<!DOCTYPE html>"))
        #expect(h.contains("<svg"))
        #expect(h.contains("lang=\"fr\""))
        // No external resource: no src/href/url()/@import pointing to http(s).
        let external = try Regex(#"(?i)(src|href)\s*=\s*["']?\s*(https?:)?//|url\(\s*["']?\s*(https?:)?//|@import"#)
        #expect(h.firstMatch(of: external) == nil)
        #expect(!h.contains("<script src") && !h.contains("<link"))
        for f in r.findings {
            #expect(
                h.contains(
                    f.message.replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "<", with: "&lt;")
                ))
        }
    }

    @Test("text: French report, findings first")
    func text() throws {
        let r = try check([aurillac, saintFlour])
        let t = TextReport.render(r)
        let constats = try #require(t.range(of: "CONSTATS"))
        let chiffres = try #require(t.range(of: "CHIFFRES"))
        #expect(constats.lowerBound < chiffres.lowerBound)
        let firstFinding = try #require(r.findings.first)
        let at = try #require(t.range(of: firstFinding.message))
        #expect(at.lowerBound > constats.lowerBound && at.lowerBound < chiffres.lowerBound)
        for word in ["Surface", "Population", "habitants", "Périmètre NON contigu", "MEMBRES", "FRONTIÈRES"] {
            #expect(t.contains(word), "missing \(word)")
        }
        #expect(t.contains("Attention"))
    }
}
