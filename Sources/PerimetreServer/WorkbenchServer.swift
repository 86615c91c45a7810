import Foundation
internal import Hummingbird
public import PerimetreAnalysis
public import PerimetreData

/// What `perimetre serve` starts with.
public struct WorkbenchConfiguration: Sendable {
    /// Bind address; loopback by default.
    public var host: String
    /// TCP port; 0 picks an ephemeral port (tests).
    public var port: Int
    /// Overlap layers given with `--against`, by id (the file base name) → path.
    public var layers: [String: String]
    /// Composition tables (`--composition`), as for `perimetre check`.
    public var compositions: CompositionTables
    /// Largest request body accepted (bytes); larger → 413.
    public var maxBodyBytes: Int
    /// The `--territories` file (any territory file `audit` reads): its territories can be loaded
    /// as the option ("Partir de…") and are drawn as outlines. Id = the file base name.
    public var territories: (id: String, path: String)?
    /// Analyses run at once (default: one per core).
    public var poolWidth: Int = ProcessInfo.processInfo.activeProcessorCount
    /// Analyses waiting for a turn; beyond, 503 with `Retry-After` (default: 8 per core: a few
    /// people's pages or a 16-connection client are queued, not refused, and a request admitted
    /// waits at most about 9 analyses' time, under a client's usual 2 s timeout even when the
    /// refusals of a flood take their share of the cores).
    public var queueLimit: Int = 8 * ProcessInfo.processInfo.activeProcessorCount

    /// Options; each defaults as documented on its property.
    public init(
        host: String = "127.0.0.1", port: Int = 8080, layers: [String: String] = [:],
        compositions: CompositionTables = .init(), maxBodyBytes: Int = 1 << 20,
        territories: String? = nil
    ) {
        self.host = host
        self.port = port
        self.layers = layers
        self.compositions = compositions
        self.maxBodyBytes = maxBodyBytes
        self.territories = territories.map { (URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent, $0) }
    }

    /// Layer ids from `--against` paths: the file base name (`zones/ti-2023.geojson` → `ti-2023`).
    public static func layerIDs(_ paths: [String]) throws -> [String: String] {
        var out: [String: String] = [:]
        for p in paths {
            let id = URL(fileURLWithPath: p).deletingPathExtension().lastPathComponent
            if id.isEmpty { throw CheckError.configuration("--against \(p) : pas de nom de fichier") }
            if let other = out[id], other != p {
                throw CheckError.configuration("--against : deux couches ont l'identifiant « \(id) » (\(other), \(p))")
            }
            out[id] = p
        }
        return out
    }
}

/// `perimetre serve`: the interactive perimeter workbench (one page and a small JSON API over
/// the same analysis as `perimetre check`). Every asset is served from memory; no path of the
/// URL ever reaches the file system.
///
/// ```swift
/// let data = try GeoData.open()
/// try await WorkbenchServer.run(WorkbenchConfiguration(port: 0), data: data) { port in print(port) }
/// ```
public enum WorkbenchServer {
    /// Runs the server until the task is cancelled (or SIGINT/SIGTERM when `signals`);
    /// `onStart` receives the bound port.
    public static func run(
        _ configuration: WorkbenchConfiguration, data: GeoData, signals: Bool = false,
        onStart: @escaping @Sendable (Int) -> Void = { _ in }
    ) async throws {
        let workbench = try Workbench(data: data, configuration: configuration)
        // The start view's France is computed once, ahead of the first page load.
        Task.detached(priority: .userInitiated) { _ = try? await workbench.france() }
        let app = Application(
            router: workbench.router(),
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port),
                serverName: "perimetre"),
            onServerRunning: { channel in onStart(channel.localAddress?.port ?? configuration.port) })
        if signals { try await app.runService() } else { try await app.run() }
    }
}
