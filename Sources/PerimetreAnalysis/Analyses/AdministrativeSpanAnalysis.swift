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
            Dictionary(grouping: communes, by: key).map { code, cs in
                let a = cs.reduce(0) { $0 + $1.areaKm2 }
                let p = cs.reduce(0) { $0 + $1.population }
                return .init(
                    code: code, name: name(code), areaKm2: a, population: p,
                    areaShare: totalArea > 0 ? a / totalArea : 0,
                    populationShare: totalPop > 0 ? Double(p) / Double(totalPop) : 0,
                    communeCount: cs.count, prefecture: prefecture(code))
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
