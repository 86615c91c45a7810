import Foundation
import PerimetreAnalysis
import PerimetreData
import PerimetreGeometry
import PerimetreTestSupport
import Testing

/// French grouping of thousands with a narrow no-break space, written here.
func frenchThousands(_ n: Int) -> String {
    let digits = Array(String(n))
    var out = ""
    for (i, ch) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { out.append("\u{202F}") }
        out.append(ch)
    }
    return out
}

/// The first number followed by `unit` in a French message ("172,6 km²" → 172.6).
func number(before unit: String, in message: String) -> Double? {
    guard let range = message.range(of: unit) else { return nil }
    let head = message[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
    let token = head.reversed().prefix { $0.isNumber || $0 == "," || $0 == "\u{202F}" }
    return Double(
        String(token.reversed()).replacingOccurrences(of: "\u{202F}", with: "").replacingOccurrences(of: ",", with: ".")
    )
}

@Suite("check: programme rules (FAQ)", .enabled(if: TestPaths.hasSharedData, "\(TestPaths.noSharedData)"))
struct RulesTests {
    @Test("a single EPCI: single_epci (attention, FAQ 2.2) with its population, area and communes")
    func singleEPCI() throws {
        let oleron = "241700624"
        let communes = try #require(try dgcl().communesByEPCI[oleron])
        let population = try geoDataCommunes(communes).values.reduce(0) { $0 + $1.population }
        let r = try check([oleron])
        let f = try #require(r.findings.first { $0.rule == .singleEPCI })
        #expect(f.severity == .attention && f.faq == "2.2")
        #expect(f.message.contains(frenchThousands(population) + " hab."), "\(f.message)")
        #expect(f.message.contains("\(communes.count) communes"))
        let km2 = try #require(number(before: "km²", in: f.message))
        #expect(within(km2, try etalabAreaKm2(oleron), rel: 0.02), "\(km2) km²")
        #expect(!r.findings.contains { $0.rule == .metropole })
    }

    @Test("a métropole: metropole (attention, FAQ 2.4)")
    func metropole() throws {
        let rouen = "200023414"
        // DGCL nature juridique: METRO (MET69 for the Métropole de Lyon).
        #expect(try dgcl().natureByEPCI[rouen] == "METRO", "Métropole Rouen Normandie is a métropole in the DGCL table")
        let r = try check([rouen])
        let f = try #require(r.findings.first { $0.rule == .metropole })
        #expect(f.severity == .attention && f.faq == "2.4" && f.message.contains("Rouen"))
        #expect(r.findings.contains { $0.rule == .singleEPCI })
        // A plain CC is no métropole.
        #expect(!(try check(nordFrancheComte)).findings.contains { $0.rule == .metropole })
    }

    @Test("non_contiguous (FAQ 2.1) names the gap")
    func nonContiguous() throws {
        let r = try check([aurillac, saintFlour])
        let f = try #require(r.findings.first { $0.rule == .nonContiguous })
        #expect(f.severity == .attention && f.faq == "2.1")
        let km = try #require(number(before: "km de", in: f.message))
        let expected = try Lambert93().distance(aurillac, saintFlour) / 1000
        #expect(abs(km - expected) < 0.35, "\(km) km vs Etalab \(expected) km")
    }

    @Test("interdepartemental, interregional, cross_border are info, FAQ 2.5")
    func faq25() throws {
        let nfc = try check(nordFrancheComte)
        #expect(
            nfc.findings.first { $0.rule == .interdepartemental }.map { $0.severity == .info && $0.faq == "2.5" }
                == true)
        let geneva = try check(genevois)
        #expect(
            geneva.findings.first { $0.rule == .crossBorder }.map { $0.severity == .info && $0.faq == "2.5" } == true)
        let inter = try check(["200069052", "200066033"])
        #expect(
            inter.findings.first { $0.rule == .interregional }.map { $0.severity == .info && $0.faq == "2.5" } == true)
    }

    @Test("findings are sorted bloquant > attention > info")
    func sorted() throws {
        // A perimeter with many findings: unresolved, corrected, non-contiguous, cut, island, span.
        let r = try check(["241700624", "1001", "123456789", aurillac, "17093", "2A004"])
        let rank: [Finding.Severity: Int] = [.bloquant: 2, .attention: 1, .info: 0]
        let ranks = r.findings.map { rank[$0.severity]! }
        #expect(Set(r.findings.map(\.severity)).count >= 2)
        #expect(ranks == ranks.sorted(by: >), "\(r.findings.map(\.rule))")
        #expect(r.findings.allSatisfy { !$0.message.isEmpty })
        // The unresolved code is the bloquant finding, and it comes first.
        #expect(r.hasBlockingFinding && r.findings.first?.rule == .unresolvedCode)
    }
}
