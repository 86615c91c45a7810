import PerimetreData
import PerimetreGeometry

/// Figures: geodesic area and perimeter, population, communes and EPCI counts, compactness
/// (Polsby-Popper 4πA/P²) and bounding box.
enum FiguresAnalysis {
    static func run(_ w: Workspace, communes: [Commune]) throws -> Figures {
        let shape = try w.perimeterShape()
        let (area, perimeter) = GeodesicMeasure.areaAndPerimeter(of: shape)
        return Figures(
            areaKm2: area / 1e6, perimeterKm: perimeter / 1000,
            population: communes.reduce(0) { $0 + $1.population }, communeCount: communes.count,
            epciCount: Set(communes.compactMap(\.epci)).count,
            epciCodes: Set(communes.compactMap(\.epci)).sorted(),
            polsbyPopper: perimeter > 0 ? 4 * .pi * area / (perimeter * perimeter) : 0,
            bbox: shape.envelope)
    }
}
