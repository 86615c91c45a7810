import PerimetreData

/// Administrative span: the départements and régions of the perimeter's communes, each with its
/// share of area and population; the régions (and their préfecture) to involve in the steering.
enum AdministrativeSpanAnalysis {
    static func run(_ communes: [Commune], data: GeoData) -> AdministrativeSpan {
        var totalArea = 0.0
        var totalPop = 0
        for j in communes.indices {
            totalArea += communes[j].areaKm2
            totalPop += communes[j].population
        }
        func entries(
            _ key: (Int) -> String, name: (String) -> String, prefecture: (String) -> String?
        ) -> [AdministrativeSpan.Entry] {
            // Summed per key in the communes' order, in a short list (a perimeter spans a few
            // départements), the previous commune's first: the communes are not copied into groups,
            // nor one by one (a copy retains each of their strings).
            var sums: [(code: String, area: Double, population: Int, count: Int)] = []
            var last = 0
            for j in communes.indices {
                let k = key(j)
                let i: Int
                if last < sums.count, sums[last].code == k {
                    i = last
                } else if let found = sums.firstIndex(where: { $0.code == k }) {
                    i = found
                } else {
                    sums.append((k, 0, 0, 0))
                    i = sums.count - 1
                }
                sums[i].area += communes[j].areaKm2
                sums[i].population += communes[j].population
                sums[i].count += 1
                last = i
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
                { communes[$0].departement }, name: { data.departements[$0]?.name ?? $0 }, prefecture: { _ in nil }),
            regions: entries(
                { communes[$0].region }, name: { data.regions[$0]?.name ?? $0 },
                prefecture: { data.regions[$0].map { "\($0.chefLieuName) (\($0.chefLieu))" } }))
    }
}
