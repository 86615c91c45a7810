public import PerimetreData
public import PerimetreAnalysis
internal import Hummingbird
import Foundation

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

    public init(host: String = "127.0.0.1", port: Int = 8080, layers: [String: String] = [:],
                compositions: CompositionTables = .init(), maxBodyBytes: Int = 1 << 20,
                territories: String? = nil) {
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
            if let other = out[id], other != p { throw CheckError.configuration("--against : deux couches ont l'identifiant « \(id) » (\(other), \(p))") }
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
    public static func run(_ configuration: WorkbenchConfiguration, data: GeoData, signals: Bool = false,
                           onStart: @escaping @Sendable (Int) -> Void = { _ in }) async throws {
        let workbench = try Workbench(data: data, configuration: configuration)
        // The start view's France is computed once, ahead of the first page load.
        Task.detached(priority: .userInitiated) { _ = try? await workbench.france() }
        let app = Application(
            responder: WorkbenchResponder(workbench: workbench),
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port),
                                                    serverName: "perimetre"),
            onServerRunning: { channel in onStart(channel.localAddress?.port ?? configuration.port) })
        if signals { try await app.runService() } else { try await app.run() }
    }

    /// For a synchronous command line: runs the server on the cooperative pool and blocks the
    /// calling thread until it stops (SIGINT / SIGTERM stop it gracefully).
    public static func runBlocking(_ configuration: WorkbenchConfiguration, data: GeoData,
                                   onStart: @escaping @Sendable (Int) -> Void) throws {
        let done = DispatchSemaphore(value: 0)
        let failure = ErrorBox()
        Task {
            do { try await run(configuration, data: data, signals: true, onStart: onStart) } catch { failure.set(error) }
            done.signal()
        }
        done.wait()
        if let e = failure.get() { throw e }
    }
}

/// A thread-safe slot for the error of the server task.
final class ErrorBox: @unchecked Sendable {
    private let lock = NSLock()
    private var error: (any Error)?
    func set(_ e: any Error) { lock.lock(); error = e; lock.unlock() }
    func get() -> (any Error)? { lock.lock(); defer { lock.unlock() }; return error }
}
