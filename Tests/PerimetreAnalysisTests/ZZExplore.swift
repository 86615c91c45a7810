import Foundation
import Testing
import PerimetreGeometry
import PerimetreData
import PerimetreAnalysis

@Test func explore() throws {
    let l = try Lambert93()
    let nfc = ["200065647", "200069052", "200069060", "247000722", "249000241"]
    for i in 0..<nfc.count { for j in (i+1)..<nfc.count {
        print("NFC", nfc[i], nfc[j], try l.sharedBorder(try l.metric(code: nfc[i]), try l.metric(code: nfc[j])), try l.distance(nfc[i], nfc[j]))
    } }
    print("cantal", try l.distance("241500230", "200066660"))
    print("oleron nb", try l.neighbours(of: "241700624"))
    let ole = try l.metric(code: "241700624")
    var best: [(String, Double)] = []
    let oe = try etalabShape("241700624").envelope.expanded(by: 0.3)
    for (c, s) in try etalab() where c != "241700624" && s.envelope.intersects(oe) {
        best.append((c, try ole.distance(try l.metric(s))))
    }
    print("oleron dist", best.sorted { $0.1 < $1.1 }.prefix(4))
    for c in ["200067932", "242900074", "241700624", "200036077"] {
        let s = try etalabShape(c); print("parts", c, s.polygons.count, s.polygons.map { GeodesicMeasure.area(of: .polygon($0)) / 1e6 }.sorted(by: >).prefix(6))
    }
    for (a, b) in [("200069052", "200066033"), ("200069060", "246800676"), ("200069060", "246800205"), ("249000241", "200066033"), ("249000241", "200066041"), ("200011773", "247400690"), ("240100750", "247400690"), ("200011773", "240100750")] {
        print("adj", a, b, try l.sharedBorder(try l.metric(code: a), try l.metric(code: b)))
    }
    // enclave candidates in central France
    let all = try etalab()
    var n = 0
    for (c, s) in all.sorted(by: { $0.key < $1.key }) where s.envelope.minX > 1 && s.envelope.maxX < 4.5 && s.envelope.minY > 45.3 && s.envelope.maxY < 47.5 {
        let g = try l.metric(s)
        let perim = try g.boundary().length()
        let nb = try l.neighbours(of: c)
        var shared = 0.0
        for o in nb { shared += try l.sharedBorder(g, try l.metric(code: o)) }
        if shared > 0.98 * perim && nb.count <= 5 { print("enclave cand", c, nb, perim, shared, GeodesicMeasure.area(of: s) / 1e6); n += 1 }
        if n > 8 { break }
    }
}
