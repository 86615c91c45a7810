public import PerimetreData
public import PerimetreGeometry

/// An input the analysis cannot work on (no member resolved, an invalid drawn perimeter…).
/// Its French wording is here, in ``message``, in one place for the analysis layer.
public enum CheckError: CodedError, Sendable, Equatable {
    /// Both member codes and a drawn polygon were given.
    case membersAndPolygon
    /// The drawn GeoJSON holds no polygon.
    case emptyPolygon
    /// The drawn polygon covers no French commune.
    case noFrenchCommune
    /// No member could be resolved; each line says which code, where it came from and why.
    case noMemberResolved(reasons: [String])
    /// The drawn polygon spans more than 180° of longitude.
    case polygonTooWide(degrees: Int, minX: Double, maxX: Double)
    /// The reference GeoPackage lacks the lakes layer (built by an older perimetre).
    case noLakesLayer(path: String)
    /// The reference data has no geometry for an EPCI it lists: the GeoPackage is inconsistent.
    case noEPCIGeometry(code: String)
    /// A server or command configuration refused (two layers with one id…), already worded.
    case configuration(String)

    /// Stable English code for scripts (JSON `error_code`).
    public var code: String {
        switch self {
        case .membersAndPolygon: "members_and_polygon"
        case .emptyPolygon: "empty_polygon"
        case .noFrenchCommune: "no_french_commune"
        case .noMemberResolved: "no_member_resolved"
        case .polygonTooWide: "polygon_too_wide"
        case .noLakesLayer: "outdated_geodata"
        case .noEPCIGeometry: "inconsistent_geodata"
        case .configuration: "invalid_configuration"
        }
    }

    /// True for inconsistent reference data only: perimetre's fault, not the input's.
    public var isInternal: Bool { if case .noEPCIGeometry = self { true } else { false } }

    /// The French message.
    public var message: String {
        switch self {
        case .membersAndPolygon: "donnez soit des membres, soit un polygone (--geometry), pas les deux"
        case .emptyPolygon: "le polygone du périmètre est vide (aucun polygone dans le GeoJSON)"
        case .noFrenchCommune:
            "le polygone ne couvre aucune commune française (aucune commune des données de référence n'a son point intérieur dedans)"
        case .noMemberResolved(let reasons):
            "aucun membre du périmètre n'a pu être résolu"
                + (reasons.isEmpty ? " (liste vide)" : " :\n  " + reasons.joined(separator: "\n  "))
        case .polygonTooWide(let degrees, let minX, let maxX):
            "le polygone s'étend sur \(degrees)° de longitude (de \(minX) à \(maxX)) : il traverse l'antiméridien ou fait le tour "
                + "du globe, ce qui n'est pas pris en charge ; dessinez-le sur moins de 180° de longitude"
        case .noLakesLayer(let path):
            "le GeoPackage \(path) n'a pas de couche des lacs (construit par une version antérieure de perimetre) : "
                + "reconstruisez-le avec `perimetre data build` pour découper un périmètre dessiné hors de France"
        case .noEPCIGeometry(let code): "pas de géométrie pour l'EPCI \(code) dans les données de référence"
        case .configuration(let text): text
        }
    }

    /// The French message.
    public var description: String { message }
}

/// `perimetre check`: the complete analysis of one proposed Territoire d'industrie.
///
/// ```swift
/// let data = try GeoData.open()
/// let req = PerimeterRequest(id: "opt-1", name: "Option 1",
///                            members: ["200000172", "200035442"].map { MemberInput(code: $0, origin: "argument") })
/// let result = try PerimeterCheck.run(req, data: data)
/// print(result.contiguity.contiguous, result.figures.areaKm2)
/// ```
public enum PerimeterCheck {
    /// Runs every analysis of `perimetre check` on one perimeter.
    ///
    /// ```swift
    /// let data = try GeoData.open()
    /// let members = ["200065647", "200069052"].map { MemberInput(code: $0, origin: "argument") }
    /// let result = try PerimeterCheck.run(PerimeterRequest(id: "opt", name: "Option", members: members), data: data)
    /// result.findings.filter { $0.severity == .bloquant }
    /// ```
    ///
    /// - Parameters:
    ///   - req: The perimeter: member codes or a drawn polygon, and the options.
    ///   - data: The reference data.
    ///   - compositions: Tables tracing older EPCI, commune SIREN and EPT to communes.
    ///   - against: Layers (CRTE, other TI) to compare the perimeter with.
    ///   - session: A read session on `data` to reuse (the audit's workers pass theirs); nil opens one.
    /// - Returns: The members, figures, contiguity, enclaves, span, border, overlaps, findings and remedies.
    /// - Throws: ``CheckError`` when the input cannot be analysed (no member resolved, an invalid
    ///   polygon); `GeometryError` or `GeoPackageError` on an internal failure of GEOS, PROJ or the data.
    public static func run(
        _ req: PerimeterRequest, data: GeoData, compositions: CompositionTables = .init(),
        against: [ResolvedLayer] = [], session: GeoDataSession? = nil
    ) throws -> CheckResult {
        let session = try session ?? data.session()
        let resolution =
            req.geometry == nil
            ? try resolve(req, data: data, compositions: compositions, session: session) : nil
        return try run(req, resolved: resolution, data: data, against: against, session: session)
    }

    /// The members of `req` resolved to communes, as the check starts from them (the audit
    /// resolves every candidature first, to know the members each claims before any is reported).
    ///
    /// Without `keepCommunes`, the communes by code are not kept when they need not be (see
    /// ``claims(_:data:compositions:session:)``).
    ///
    /// - Throws: ``CheckError/noMemberResolved(reasons:)`` when none is, with each code's reason.
    static func resolve(
        _ req: PerimeterRequest, data: GeoData, compositions: CompositionTables, session: GeoDataSession,
        keepCommunes: Bool = true
    ) throws -> Resolution {
        var clock = Profile.start()
        let resolution = try Resolution.resolve(
            req.members, data: data, session: session, compositions: compositions, keepCommunes: keepCommunes)
        guard !resolution.members.isEmpty else {
            throw CheckError.noMemberResolved(
                reasons: resolution.unresolved.map { "\($0.origin) : \($0.code) : \($0.reason)" })
        }
        Profile.lap(&clock, "resolution")
        return resolution
    }

    /// What the members of `req` claim (its members resolved and the EPCI of their communes), as
    /// ``resolve(_:data:compositions:session:)`` resolves them, without keeping the communes by code.
    ///
    /// - Throws: ``CheckError/noMemberResolved(reasons:)`` when no member is resolved.
    static func claims(
        _ req: PerimeterRequest, data: GeoData, compositions: CompositionTables, session: GeoDataSession
    ) throws -> (members: [ResolvedMember], epci: [String]) {
        let r = try resolve(req, data: data, compositions: compositions, session: session, keepCommunes: false)
        return (r.members, r.epciOfCommunes)
    }

    /// The check of `req` from its members resolved (nil for a drawn polygon).
    private static func run(
        _ req: PerimeterRequest, resolved: Resolution?, data: GeoData, against: [ResolvedLayer],
        session: GeoDataSession
    ) throws -> CheckResult {
        var clock = Profile.start()
        let check = Run(req: req, data: data, session: session, ctx: GeosContext(), against: against)
        let start: GeometricStart
        if let shape = req.geometry {
            start = try check.drawn(shape)
        } else {
            guard let resolution = resolved else { preconditionFailure("members given and not resolved") }
            if let result = try check.fromTopology(resolution, clock: &clock) { return result }
            start = GeometricStart(resolution: resolution, members: try check.geometries(resolution))
        }
        Profile.lap(&clock, "resolution+geometries")
        return try check.fromGeometry(start, clock: &clock)
    }

    /// What the geometric path starts from: the perimeter resolved, its members' geometries, and
    /// the findings on a drawn polygon repaired.
    private struct GeometricStart {
        var resolution: Resolution
        var members: [(code: String, geometry: Geometry)]
        var repairFindings: [Finding] = []
    }

    /// One perimeter's analysis: what every step reads.
    private struct Run {
        let req: PerimeterRequest
        let data: GeoData
        let session: GeoDataSession
        let ctx: GeosContext
        let against: [ResolvedLayer]

        /// Around a perimeter, the neighbouring EPCI drawn on its map (metres).
        static let neighbourSearchMetres = 15_000.0

        var drawn: Bool { req.geometry != nil }

        func geometries(_ resolution: Resolution) throws -> [(code: String, geometry: Geometry)] {
            try PerimeterCheck.geometries(resolution.members, ctx: ctx, session: session)
        }

        func workspace(_ members: [(code: String, geometry: Geometry)]) throws -> Workspace {
            try Workspace(ctx: ctx, data: data, session: session, options: req.options, members: members)
        }

        /// A drawn polygon: checked, repaired when invalid, and the communes it covers.
        func drawn(_ shape: Shape) throws -> GeometricStart {
            if !req.members.isEmpty { throw CheckError.membersAndPolygon }
            try validateDrawn(shape)
            var g = try ctx.multiPolygon([try ctx.geometry(shape)])
            if g.isEmpty { throw CheckError.emptyPolygon }
            var repairFindings: [Finding] = []
            if !(try g.isValid()) {
                let reason = try g.validityReason()
                g = try ctx.multiPolygon([try g.makeValid()])
                repairFindings.append(
                    Finding(
                        rule: .repairedGeometry, severity: .attention, faq: nil,
                        message: "Le polygone fourni était invalide (\(reason)) : il a été réparé avant l'analyse."))
            }
            let resolution = try coveredCommunes(g, id: req.id, session: session)
            if resolution.members.isEmpty {
                throw CheckError.noFrenchCommune
            }
            return GeometricStart(
                resolution: resolution, members: [(resolution.members[0].code, g)], repairFindings: repairFindings)
        }

        /// A perimeter of whole EPCI, no shapes asked: answered from the reference topology; nil
        /// when it needs the geometric path.
        func fromTopology(_ resolution: Resolution, clock: inout Stopwatch) throws -> CheckResult? {
            let communes = resolution.communesByCode
            guard
                let t = try TopologyPath.run(
                    resolution, communes: communes, data: data, session: session,
                    options: req.options, against: against)
            else { return nil }
            Profile.lap(&clock, "topology")
            let holes: (enclaves: [Enclave], slivers: [Sliver])
            // The dissolve's workspace, when one was built, serves the remedies too.
            var dissolveWorkspace: Workspace? = nil
            if let h = t.holes {
                holes = h
            } else {
                // Only the dissolve can say the holes here (a neighbour's detached part, a coverage not edge-matched).
                let w = try workspace(try geometries(resolution))
                holes = try EnclaveAnalysis.run(w, members: Set(resolution.communes.keys))
                dissolveWorkspace = w
                Profile.lap(&clock, "topology: dissolve")
            }
            let span = AdministrativeSpanAnalysis.run(communes, data: data)
            let (overlaps, crte) = try OverlapAnalysis.run(
                against, communes: resolution.communes, members: resolution.members,
                perimeter: nil, shapeOf: nil)
            let findings =
                RulesAnalysis.run(
                    resolution, figures: t.figures, contiguity: t.contiguity, enclaves: holes.enclaves,
                    span: span, border: t.border, data: data, drawn: false)
                + RulesAnalysis.overlapFindings(crte, data: data)
            Profile.lap(&clock, "span+overlaps+rules")
            // Remedies build geometry only when there is something to remedy.
            let remedies =
                req.options.remedies
                ? try RemediesAnalysis.run(
                    { [dissolveWorkspace] in try dissolveWorkspace ?? workspace(try geometries(resolution)) },
                    data: data, session: session, options: req.options, resolution: resolution,
                    contiguity: t.contiguity, enclaves: holes.enclaves, crte: crte,
                    against: against, span: span, drawn: false)
                : []
            Profile.lap(&clock, "remedies")
            var result = CheckResult(
                id: req.id, name: req.name, members: resolution.members, unresolved: resolution.unresolved,
                duplicates: resolution.duplicates, cutEPCI: resolution.cutEPCI, figures: t.figures,
                contiguity: t.contiguity,
                enclaves: holes.enclaves, slivers: holes.slivers, span: span, border: t.border,
                findings: ranked(findings),
                overlaps: overlaps, crte: crte,
                shapes: PerimeterShapes(
                    perimeter: .multiPolygon([]), components: [], members: [:], detachedParts: [],
                    frenchPart: nil, neighbourEPCI: [:], borders: []),
                metricCRS: t.crs.description, options: req.options, layers: against.map(\.resolution))
            result.fromTopology = true
            result.dissolved = t.holes == nil
            result.remedies = remedies
            return result
        }

        /// Every analysis on the members' geometries.
        func fromGeometry(_ start: GeometricStart, clock: inout Stopwatch) throws -> CheckResult {
            let resolution = start.resolution
            let w = try workspace(start.members)
            Profile.lap(&clock, "workspace")
            let communes = resolution.communesByCode
            let (contiguity, componentShapes, detachedShapes) = try ContiguityAnalysis.run(w)
            Profile.lap(&clock, "contiguity")
            let (enclaves, slivers) = try EnclaveAnalysis.run(w, members: Set(resolution.communes.keys))
            Profile.lap(&clock, "enclaves")
            let span = AdministrativeSpanAnalysis.run(communes, data: data)
            let (border, frenchPart, borderShapes, abroadShapes) = try BorderAnalysis.run(w, drawn: drawn)
            Profile.lap(&clock, "span+border")
            let figures = try FiguresAnalysis.run(w, communes: communes)
            let (overlaps, crte) = try OverlapAnalysis.run(
                against, communes: resolution.communes, members: resolution.members,
                perimeter: w.perimeterLonLat, shapeOf: req.options.mapContext ? unionShape : nil)
            let findings =
                start.repairFindings
                + RulesAnalysis.run(
                    resolution, figures: figures, contiguity: contiguity, enclaves: enclaves,
                    span: span, border: border, data: data, drawn: drawn)
                + RulesAnalysis.overlapFindings(crte, data: data)
            Profile.lap(&clock, "figures+overlaps+rules")
            let neighbours = try neighbourShapes(w)
            var members: [String: Shape] = [:]
            for (i, code) in w.codes.enumerated() { members[code] = try w.lonlat[i].shape() }
            let perimeterShape = try w.perimeterShape()
            Profile.lap(&clock, "shapes")
            let remedies =
                req.options.remedies
                ? try RemediesAnalysis.run(
                    { w }, data: data, session: session, options: req.options, resolution: resolution,
                    contiguity: contiguity, enclaves: enclaves, crte: crte,
                    against: against, span: span, drawn: drawn)
                : []
            Profile.lap(&clock, "remedies")
            var result = CheckResult(
                id: req.id, name: req.name, members: resolution.members, unresolved: resolution.unresolved,
                duplicates: resolution.duplicates, cutEPCI: resolution.cutEPCI, figures: figures,
                contiguity: contiguity, enclaves: enclaves, slivers: slivers, span: span, border: border,
                findings: ranked(findings),
                overlaps: overlaps, crte: crte,
                shapes: PerimeterShapes(
                    perimeter: perimeterShape, components: componentShapes, members: members,
                    detachedParts: detachedShapes, frenchPart: frenchPart, neighbourEPCI: neighbours,
                    borders: borderShapes, abroadParts: abroadShapes.countries,
                    seaPart: abroadShapes.sea, lakePart: abroadShapes.lake),
                metricCRS: w.crs.description, options: req.options, layers: against.map(\.resolution))
            result.remedies = remedies
            if req.options.mapContext { result.remedyShapes = try RemediesAnalysis.shapes(remedies, w) }
            return result
        }

        /// The union of communes, for an overlap's map. In code order: a union's coordinates
        /// depend on its parts' order.
        func unionShape(_ codes: [String]) throws -> Shape? {
            let found = try session.communes(codes: codes)
            let parts = try codes.compactMap { found[$0]?.1 }.map { try ctx.readWKB($0) }
            return parts.isEmpty ? nil : try ctx.coverageUnion(parts).geometry.shape()
        }

        /// The EPCI around the perimeter, for its map (none unless the map context is asked).
        func neighbourShapes(_ w: Workspace) throws -> [String: Shape] {
            var neighbours: [String: Shape] = [:]
            guard req.options.mapContext else { return neighbours }
            let memberCodes = Set(w.codes)
            for (code, wkb) in try session.epci(intersecting: w.searchEnvelope(Self.neighbourSearchMetres))
            where !memberCodes.contains(code) {
                neighbours[code] = try ctx.readWKB(wkb).shape()
            }
            return neighbours
        }
    }

    /// Findings the most severe first, in their order within a severity.
    private static func ranked(_ findings: [Finding]) -> [Finding] {
        findings.enumerated().sorted {
            ($1.element.severity, $0.offset) < ($0.element.severity, $1.offset)
        }.map(\.element)
    }

    /// Refuses a drawn polygon the analysis cannot attribute correctly: one spanning more than
    /// 180° of longitude crosses the antimeridian or wraps the globe, and its planar overlays in
    /// lon/lat would cover the wrong side of the Earth (France included). No French commune of
    /// the reference data lies near ±180°, so nothing is lost.
    public static func validateDrawn(_ shape: Shape) throws {
        let e = shape.envelope
        guard !e.isEmpty else { return }
        if e.maxX - e.minX > 180 {
            throw CheckError.polygonTooWide(degrees: Int((e.maxX - e.minX).rounded()), minX: e.minX, maxX: e.maxX)
        }
    }

    /// Member geometries: the dissolved EPCI for an EPCI, the union of its communes otherwise.
    static func geometries(
        _ members: [ResolvedMember], ctx: GeosContext, session: GeoDataSession
    ) throws -> [(code: String, geometry: Geometry)] {
        let epci = try session.epciGeometries(members.filter { $0.kind == .epci }.map(\.code))
        let listed = members.filter { $0.kind != .epci }.flatMap(\.communes)
        let communes = try session.communes(codes: listed)
        var out: [(String, Geometry)] = []
        for m in members {
            if m.kind == .epci, let wkb = epci[m.code] {
                out.append((m.code, try ctx.readWKB(wkb)))
            } else {
                let parts = try m.communes.compactMap { communes[$0]?.1 }.map { try ctx.readWKB($0) }
                if parts.isEmpty { continue }
                // One commune is its own polygon, parts in the stored order (as its topology facts).
                let g = parts.count == 1 ? parts[0] : try ctx.coverageUnion(parts).geometry
                out.append((m.code, try ctx.multiPolygon([g])))
            }
        }
        return out
    }

    /// For a drawn perimeter: the French communes whose interior point it covers.
    static func coveredCommunes(_ g: Geometry, id: String, session: GeoDataSession) throws -> Resolution {
        let ctx = g.context
        let prepared = try PreparedGeometry(g)
        var r = Resolution()
        for (c, wkb) in try session.communes(intersecting: g.envelope()) {
            let p = try ctx.geometry(.point(try ctx.readWKB(wkb).interiorPoint()))
            if try prepared.covers(p) { r.communes[c.code] = c }
        }
        let cs = r.communesByCode
        if !cs.isEmpty {
            r.members = [
                ResolvedMember(
                    code: id.isEmpty ? "polygone" : id, input: "polygone", kind: .polygon, name: "Périmètre dessiné",
                    status: .resolved,
                    detail: "communes dont un point intérieur est dans le polygone", communes: cs.map(\.code),
                    population: cs.reduce(0) { $0 + $1.population }, areaKm2: cs.reduce(0) { $0 + $1.areaKm2 },
                    nature: nil)
            ]
        }
        return r
    }
}
