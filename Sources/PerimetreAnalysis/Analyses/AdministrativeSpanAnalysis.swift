import PerimetreData

/// Administrative span: the départements and régions of the perimeter's communes, each with its
/// share of area and population; the régions (and their préfecture) to involve in the steering.
enum AdministrativeSpanAnalysis {
    static func run(_ communes: [Commune], data: GeoData) -> AdministrativeSpan {
        let totalArea = communes.reduce(0) { $0 + $1.areaKm2 }
        let totalPop = communes.reduce(0) { $0 + $1.population }
        func entries(
            _ key: (Commune) -> String, name: (String) -> String, prefecture: (String) -> String?
        ) -> [AdministrativeSpan.Entry] {
            // Summed per key in the communes' order, in a short list (a perimeter spans a few
            // départements): the communes are not copied into groups.
            var sums: [(code: String, area: Double, population: Int, count: Int)] = []
            for c in communes {
                let k = key(c)
                if let i = sums.firstIndex(where: { $0.code == k }) {
                    sums[i].area += c.areaKm2
                    sums[i].population += c.population
                    sums[i].count += 1
                } else {
                    sums.append((k, 0 + c.areaKm2, 0 + c.population, 1))
                }
            }
            return sums.map { code, a, p, n in
                .init(
                    code: code, name: name(code), areaKm2: a, population: p,
                    areaShare: totalArea > 0 ? a / totalArea : 0,
                    populationShare: totalPop > 0 ? Double(p) / Double(totalPop) : 0,
                    communeCount: n, prefecture: prefecture(code))
            }.sorted { ($1.areaShare, $0.code) < ($0.areaShare, $1.code) }
        }
        return AdministrativeSpan(
            departements: entries(
                { $0.departement }, name: { data.departements[$0]?.name ?? $0 }, prefecture: { _ in nil }),
            regions: entries(
                { $0.region }, name: { data.regions[$0]?.name ?? $0 },
                prefecture: { data.regions[$0].map { "\($0.chefLieuName) (\($0.chefLieu))" } }))
    }
}
