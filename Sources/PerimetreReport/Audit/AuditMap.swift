public import PerimetreAnalysis
public import PerimetreData
import PerimetreGeometry

/// The audit's map, drawn with the national poster's layout and canvas (``NationalPoster``):
/// the selected candidatures coloured by verdict (those kept for a relation too), with the
/// legend, région and département outlines (the selected ones in bold; the EPCI too on a
/// selection's map) and a scale bar. For a selection, one frame shows
/// the selected régions and départements with their surroundings at a scale that shows the EPCI
/// (a frame per part of France they are in: metropolitan France, a DROM); for the national
/// report, metropolitan France with the five DROM in insets.
public enum AuditMap {
    /// The SVG (a page of `page`'s size; ids `territory-<id>` on each candidature's path).
    public static func svg(
        _ a: AuditResult, scope: AuditScope, data: GeoData, page: PosterPage = .a4Landscape,
        title: String? = nil, sources: String
    ) throws -> (svg: String, report: NationalPoster.Report) {
        var drawn = a
        drawn.territories = a.territories + scope.relatedOutcomes
        var mapOptions = MapOptions()
        mapOptions.roundFeatures = false
        let map = try NationalMap.build(drawn, options: mapOptions)
        var bg = try NationalPoster.background(data, simplifyMetres: nil)
        if !scope.isNational { bg = window(bg, selection: scope.selection, label: scope.label) }
        var o = NationalPoster.Options()
        o.page = page
        o.colorBy = .verdict
        o.title = title ?? scope.title
        o.subtitle =
            scope.isNational
            ? "couleur : verdict de l'audit"
            : "couleur : verdict de l'audit · cadré sur la sélection et ses alentours"
        // Ids fit on a régional map; 183 of them would hide the national one (the page shows names on hover).
        o.labels = scope.isNational ? nil : .id
        o.sources = sources
        if !scope.isNational {
            let admin = bg.admin
            o.emphasis =
                admin.regions.filter { scope.selection.regions.contains($0.code) }.map(\.shape)
                + admin.departements.filter { scope.selection.departements.contains($0.code) }.map(\.shape)
            // The EPCI in each window, thinly: the scale is chosen to show them.
            let session = try data.session()
            let ctx = GeosContext()
            var epci: [String: WKBGeometry] = [:]
            for f in bg.frames {
                guard let w = f.window else { continue }
                for e in try session.epci(intersecting: w) { epci[e.code] = e.geometry }
            }
            o.outlines = try epci.sorted { $0.key < $1.key }.map { try ctx.readWKB($0.value).shape() }
        }
        return try NationalPoster.render(map: map, audit: drawn, background: bg, options: o)
    }

    /// The background reduced to the frames holding the selection, each showing the selected
    /// régions and départements it holds, widened by a fifth on each side (the neighbours).
    static func window(
        _ bg: NationalPoster.Background, selection: AuditSelection, label: String
    ) -> NationalPoster.Background {
        let units =
            bg.admin.regions.filter { selection.regions.contains($0.code) }
            + bg.admin.departements.filter { selection.departements.contains($0.code) }
        var frames: [PosterFrameSpec] = []
        var countries: [[Shape]] = []
        for (f, spec) in bg.frames.enumerated() {
            let box = spec.land.envelope.expanded(by: 0.5)
            let inside = units.map(\.shape.envelope).filter { box.contains($0.center) }
            guard !inside.isEmpty else { continue }
            let e = inside.reduce(Envelope.empty) { $0.union($1) }
            var s = spec
            s.window = Envelope(
                minX: e.minX - e.width / 5, minY: e.minY - e.height / 5, maxX: e.maxX + e.width / 5,
                maxY: e.maxY + e.height / 5)
            if spec.code == "FXX" { s.name = label }
            frames.append(s)
            countries.append(f < bg.countries.count ? bg.countries[f] : [])
        }
        guard !frames.isEmpty else { return bg }
        return NationalPoster.Background(
            frames: frames, admin: bg.admin, adminTopology: bg.adminTopology, countries: countries)
    }
}
