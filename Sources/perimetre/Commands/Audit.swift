import ArgumentParser
import Foundation
import PerimetreAnalysis
import PerimetreData
import PerimetreGeometry
import PerimetreReport

enum AuditFormat: String, ExpressibleByArgument, CaseIterable {
    case text, csv, json, geojson, html, svg
}

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract:
            "Audit d'un ensemble de candidatures : analyse complète de chacune, conflits, recouvrements, EPCI non couverts.",
        discussion: HelpTexts.audit)

    @Argument(help: "Fichier des candidatures.")
    var candidatures: String
    @Argument(help: "Autres fichiers du même export Démarches Simplifiées (XLSX, ODS, CSV, GeoJSON).")
    var moreExportFiles: [String] = []
    @Option(
        help:
            "Export DS : libellé du champ qui porte le nom du territoire (défaut : premier champ contenant « nom du territoire », puis « territoire »)."
    )
    var dsName: String?
    @Option(
        help:
            "Export DS : libellé d'un champ qui porte des membres (défaut : tous les champs EPCI et commune) ; répétable."
    )
    var dsMembers: [String] = []
    @Option(
        help:
            "Export DS : états retenus, séparés par des virgules (en_construction, en_instruction, accepte, refuse, sans_suite ; défaut : tous sauf refusé et classé sans suite)."
    )
    var dsState: String?
    @Option(name: .customLong("against"), help: "Couche d'autres territoires (CRTE, TI…) ; répétable.")
    var layers: [String] = []
    @Option(
        name: .customLong("region"),
        help:
            "Code d'une région auditée (répétable) : les candidatures ayant une commune dans la région, les autres seulement en lien avec elles (conflits, recouvrements, CRTE partagés) ; EPCI non couverts et CRTE de la région. Vaut pour tous les formats."
    )
    var regions: [String] = []
    @Option(
        name: .customLong("departement"),
        help: "Code d'un département audité (répétable), comme --region.")
    var departements: [String] = []
    @OptionGroup var reference: ReferenceOptions
    @Option(help: "Tolérance de contiguïté, en mètres.")
    var tolerance: Double = 100
    @Option(help: "Format : text, csv, json, geojson, html, svg (affiche nationale colorée par verdict).")
    var format: AuditFormat = .text
    @OptionGroup var poster: PosterCLIOptions
    @Option(name: .shortAndLong, help: "Fichier de sortie (défaut : sortie standard).")
    var output: String?
    @Option(
        help:
            "Avec une couche CRTE : écrit aussi le tableau des CRTE (couverture par les candidatures) en CSV dans ce fichier."
    )
    var crteCsv: String?
    @Flag(help: "Pas d'affichage de progression.")
    var quiet = false
    @Flag(help: "Code de sortie 1 si une candidature a un constat bloquant.")
    var strict = false
    @Flag(name: .customLong("no-remedies"), help: "Sans les pistes (ce qu'il faudrait changer).")
    var noRemedies = false
    @Flag(
        name: .customLong("no-topology"),
        help:
            "Tout depuis la géométrie, sans la topologie de référence (la référence contre laquelle elle est éprouvée ; plus lent, mêmes réponses)."
    )
    var noTopology = false

    func run() throws {
        let blocking = try reportingErrors { () throws -> Bool in
            profileMilestone("début")
            if format == .svg { try poster.check() }
            let data = try reference.open()
            profileMilestone("données ouvertes")
            // The EPCI topology is read meanwhile: every candidature needs it, the first with the others waiting.
            DispatchQueue.global().async { _ = try? data.epciTopology() }
            // Likewise libproj, which the first enclave measured would load with the other workers
            // waiting; its loading is over before the process exits, whatever the path.
            CoordinateTransformer.preloadLibrary()
            defer { CoordinateTransformer.finishPreloading() }
            let selection = try AuditSelection(regions: regions, departements: departements, data: data)
            // One région considered: the audit lists its CRTE even when no candidature reaches it.
            let considered = selection.regionsConsidered(data)
            // The layers first: a national one is then read ahead while the candidatures are read.
            let layerFiles = try reference.layerFiles(layers, data: data)
            defer { _ = try? data.prefetchedCommunesByEPCI() }  // that read ends before the process does
            let cands = try loadCandidatures()
            if cands.territories.isEmpty {
                throw ValidationError("\(candidatures) : aucune candidature dans le fichier")
            }
            // The layers are resolved while the candidatures are.
            let (tables, against) = try reference.tablesAndDeferredLayers(
                for: cands.territories.flatMap(\.members), layers: layerFiles, data: data)
            defer { against.wait() }
            let tty = stderrIsTerminal && !quiet
            let progress: (@Sendable (Int, Int) -> Void)? = tty ? Self.progressDisplay() : nil
            let options = analysisOptions
            let region = considered.count == 1 ? considered[0] : nil
            defer { printProfileIfEnabled() }
            // The national JSON to a file: each candidature reaches it as soon as it and those
            // before it are analysed, and is not kept (standard output gets the whole report at
            // the end: an internal failure midway then leaves nothing half-written there either).
            if format == .json, selection.isEmpty, let path = output, path != "-" {
                let (audit, gists) = try streamJSON(
                    cands, to: path, data: data, tables: tables, against: against, region: region, options: options,
                    progress: progress)
                if tty { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
                if let p = crteCsv { try emit(AuditReport.crteCSV(audit), to: p) }
                keepUntilExit(data)
                keepUntilExit(value: (audit, gists, tables, try against.get(), cands))
                return gists.contains { $0.verdict == .bloquant }
            }
            let audit = try Audit.run(
                cands, data: data, compositions: tables, resolving: against, region: region, options: options,
                progress: progress)
            if tty { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            // The same selection for every format (the national report keeps everything).
            let (shown, scope) = selection.apply(to: audit, data: data)
            // In pieces straight to the file: 1,000 options make 15 MB of JSON.
            let pieces = try report(shown, scope: scope, audit: audit, selection: selection, data: data)
            try emit(pieces: pieces, to: output)
            if let p = crteCsv { try emit(AuditReport.crteCSV(shown), to: p) }
            keepUntilExit(data)
            keepUntilExit(value: (audit, pieces, tables, try against.get(), cands))
            return shown.territories.contains { $0.verdict == .bloquant }
        }
        if strict && blocking { throw ExitCode(1) }
    }

    /// What each candidature's analysis computes: no map context; shapes only for the formats
    /// that draw them.
    var analysisOptions: AnalysisOptions {
        AnalysisOptions(
            toleranceMetres: tolerance, mapContext: false,
            shapes: format == .geojson || format == .html || format == .svg,
            topology: !noTopology, remedies: !noRemedies)
    }

    /// The national JSON report streamed to `path` as the candidatures are analysed
    /// (`Audit.stream`):
    /// the same bytes as the report made whole. Returns the cross-checks and what was kept of
    /// each candidature.
    func streamJSON(
        _ cands: TerritoryLayer, to path: String, data: GeoData, tables: CompositionTables,
        against: Deferred<[ResolvedLayer]>, region: String?, options: AnalysisOptions,
        progress: (@Sendable (Int, Int) -> Void)?
    ) throws -> (AuditResult, [AuditReport.TerritoryGist]) {
        try AtomicFile.write(streamingTo: path) { sink in
            let gists = Locked<[AuditReport.TerritoryGist]>([])
            // Its head names the layers: made with the first candidature, when they are resolved.
            let json = Locked<AuditReport.JSONStream?>(nil)
            let stream = { @Sendable () throws -> AuditReport.JSONStream in
                try json.withLock { j in
                    if j == nil { j = try AuditReport.JSONStream(layers: try against.get().map(\.resolution)) }
                    return j!
                }
            }
            let audit = try Audit.stream(
                cands, data: data, compositions: tables, resolving: against, region: region, options: options,
                progress: progress, render: { o, scratch in try AuditReport.JSONStream.territory(o, scratch: &scratch) }
            ) { piece in
                let first = gists.withLock { g in
                    g.append(piece.gist)
                    return g.count == 1
                }
                try sink.append(first ? try stream().head : try stream().separator)
                try sink.append(piece.json)
            }
            let kept = gists.withLock { $0 }
            for p in try stream().tail(audit, gists: kept) { try sink.append(p) }
            return (audit, kept)
        }
    }

    /// The report of the audit in the format asked, as the bytes of its file, in pieces to write one
    /// after the other (the JSON of 1,000 options is 15 MB).
    func report(
        _ shown: AuditResult, scope: AuditScope, audit: AuditResult, selection: AuditSelection, data: GeoData
    ) throws -> [[UInt8]] {
        switch format {
        case .text: return [Array(AuditReport.text(shown, scope: scope).utf8)]
        case .csv: return [Array(AuditReport.csv(shown).utf8)]
        case .json: return try AuditReport.jsonPieces(shown, scope: scope)
        case .geojson: return [Array(try AuditReport.geojson(shown, scope: scope).utf8)]
        case .html:
            let map = try AuditMap.svg(
                shown, scope: scope, data: data,
                sources: NationalPoster.sourcesLine(data, territoriesFile: candidatures))
            return [Array(AuditReport.html(shown, scope: scope, map: map.svg).utf8)]
        case .svg where !selection.isEmpty:
            try poster.check()
            let map = try AuditMap.svg(
                shown, scope: scope, data: data, page: try PosterPage.parse(poster.size), title: poster.title,
                sources: NationalPoster.sourcesLine(data, territoriesFile: candidatures))
            return [Array(map.svg.utf8)]
        case .svg:
            var options = MapOptions()
            options.roundFeatures = false
            let map = try NationalMap.build(audit, options: options)
            return [
                Array(
                    try poster.render(
                        map: map, audit: audit, data: data, territoriesFile: candidatures, defaultColor: .verdict,
                        defaultTitle: "Audit des candidatures : verdicts", quiet: quiet
                    ).utf8)
            ]
        }
    }

    /// The candidatures: a Démarches Simplifiées export (one or several files), or a territory file.
    func loadCandidatures() throws -> TerritoryLayer {
        let files = [candidatures] + moreExportFiles
        guard files.count > 1 || DemarchesSimplifiees.isExport(candidatures) else {
            if dsName != nil || !dsMembers.isEmpty || dsState != nil {
                throw ValidationError(
                    "\(candidatures) n'est pas un export Démarches Simplifiées : --ds-name, --ds-members et --ds-state ne s'appliquent pas"
                )
            }
            return try TerritoryLayer.load(candidatures)
        }
        var states = DemarchesSimplifiees.State.defaultSelection
        if let s = dsState {
            states = try Set(
                s.split(separator: ",").map { v in
                    guard let st = DemarchesSimplifiees.State(parsing: String(v)) else {
                        throw ValidationError(
                            "--ds-state : état « \(v) » inconnu (\(DemarchesSimplifiees.State.allCases.map(\.rawValue).joined(separator: ", ")))"
                        )
                    }
                    return st
                })
        }
        let export = try DemarchesSimplifiees.read(
            files, options: .init(nameLabel: dsName, memberLabels: dsMembers, states: states))
        if !quiet { for n in export.notes { note(n) } }
        return export.layer()
    }

    /// A progress line on stderr, redrawn at most every 2 %, from whichever worker gets there.
    static func progressDisplay() -> @Sendable (Int, Int) -> Void {
        let last = Locked(0)
        return { done, total in
            let step = max(1, total / 50)
            let draw = last.withLock { (l: inout Int) -> Bool in
                if done == total || done - l >= step {
                    l = done
                    return true
                }
                return false
            }
            if draw { FileHandle.standardError.write(Data("\r\u{1B}[K… \(done)/\(total) candidatures".utf8)) }
        }
    }
}
