import Foundation
import PerimetreData
import PerimetreServer
import PerimetreTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One workbench server for the whole test process, on an ephemeral loopback port, with one
/// (fake) overlap layer id `ti-test` so that `against` validation can be exercised.
enum TestServer {
    static let port: Task<Int, any Error> = Task {
        let data = try GeoData(path: try TestPaths.requireGeoDataPath())
        let (stream, continuation) = AsyncStream<Int>.makeStream()
        // A one-territory membership layer (generic CSV), loaded at start-up like any --against layer.
        let layer = FileManager.default.temporaryDirectory.appendingPathComponent(
            "perimetre-serve-test-\(getpid())-ti-test.csv"
        ).path
        try "territory_id,territory_name,member\nti-test,Test,200065647\n".write(
            toFile: layer, atomically: true, encoding: .utf8)
        var config = WorkbenchConfiguration(host: "127.0.0.1", port: 0, layers: ["ti-test": layer])
        // The suites' parallel tests are many clients at once: a queue for all of them (LoadTests
        // checks the bounded queue on a server of its own).
        config.queueLimit = TestServer.queueForTests
        Task.detached {
            do { try await WorkbenchServer.run(config, data: data) { continuation.yield($0) } } catch {
                print("test server stopped: \(error)")
            }
            continuation.finish()
        }
        // The layer is read when the server starts: the file is not needed once it listens.
        defer { try? FileManager.default.removeItem(atPath: layer) }
        for await p in stream { return p }
        throw ServerDidNotStart()
    }
    struct ServerDidNotStart: Error {}
    /// Analyses waiting on the test servers: more than the suites ever send at once.
    static let queueForTests = 10_000

    /// A second server started with `--territories` = the 2023-2027 TI list (real data, when
    /// present) and `--against` = the 2022 CRTE list: "Partir de…" and the territory outlines.
    static let withTerritories: Task<Int, any Error> = Task {
        let data = try GeoData(path: try TestPaths.requireGeoDataPath())
        let (stream, continuation) = AsyncStream<Int>.makeStream()
        var config = WorkbenchConfiguration(
            host: "127.0.0.1", port: 0, layers: try WorkbenchConfiguration.layerIDs([TestServer.crte2022]),
            territories: TestPaths.tiMembers2023)
        config.queueLimit = TestServer.queueForTests
        Task.detached {
            do { try await WorkbenchServer.run(config, data: data) { continuation.yield($0) } } catch {
                print("test server with territories stopped: \(error)")
            }
            continuation.finish()
        }
        for await p in stream { return p }
        throw ServerDidNotStart()
    }
    /// ANCT's 2022 CRTE list, one row per groupement.
    static let crte2022 = TestPaths.sharedData + "/crte-2022/liste_crte_groupements_2022.csv"
    /// Whether the TI list and the CRTE list that `withTerritories` loads are there.
    static let hasTerritoryFiles = TestPaths.allExist([TestPaths.tiMembers2023, TestServer.crte2022])
}

/// An HTTP answer read off the wire.
struct HTTPAnswer: Sendable {
    var status: Int
    var headers: [String: String]
    var body: [UInt8]
    var text: String { String(decoding: body, as: UTF8.self) }
    func json() throws -> [String: Any] {
        try #require(
            JSONSerialization.jsonObject(with: Data(body)) as? [String: Any], "not a JSON object: \(text.prefix(300))")
    }
}

/// A minimal HTTP/1.1 client over a raw TCP socket, so that the request line goes out exactly as
/// written (no URL normalisation: `/../../etc/passwd` stays as it is). Blocking I/O runs on a
/// Dispatch thread, never on the cooperative pool the server's handlers share.
enum RawHTTP {
    static func request(
        _ method: String, _ target: String, body: [UInt8] = [], headers: [String: String] = [:],
        declaredLength: Int? = nil
    ) async throws -> HTTPAnswer {
        let port = try await TestServer.port.value
        return try await onThread {
            try send(port: port, method, target, body: body, headers: headers, declaredLength: declaredLength)
        }
    }

    static func get(_ target: String) async throws -> HTTPAnswer { try await request("GET", target) }

    /// A GET to another test server than the default one.
    static func get(_ target: String, port: Int) async throws -> HTTPAnswer {
        try await onThread { try send(port: port, "GET", target, body: [], headers: [:], declaredLength: nil) }
    }

    static func post(_ target: String, json: String) async throws -> HTTPAnswer {
        try await request("POST", target, body: Array(json.utf8), headers: ["Content-Type": "application/json"])
    }

    struct SocketError: Error, CustomStringConvertible { var description: String }

    static func send(
        port: Int, _ method: String, _ target: String, body: [UInt8], headers: [String: String],
        declaredLength: Int?
    ) throws -> HTTPAnswer {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw SocketError(description: "socket() failed") }
        defer { close(fd) }
        var tv = timeval(tv_sec: 120, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard rc == 0 else { throw SocketError(description: "connect() to port \(port) failed") }
        var head =
            "\(method) \(target) HTTP/1.1\r\nHost: \(headers["Host"] ?? "127.0.0.1:\(port)")\r\nConnection: close\r\n"
        for (k, v) in headers where k != "Host" { head += "\(k): \(v)\r\n" }
        head += "Content-Length: \(declaredLength ?? body.count)\r\n\r\n"
        let out = Array(head.utf8) + body
        let total = out.count
        var sent = 0
        while sent < total {
            let n = out.withUnsafeBytes { write(fd, $0.baseAddress! + sent, total - sent) }
            if n <= 0 { break }  // the server may answer (413) and close before reading everything
            sent += n
        }
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress!, 65536) }
            if n <= 0 { break }
            data += buffer[0..<n]
        }
        return try parse(data)
    }

    static func parse(_ data: [UInt8]) throws -> HTTPAnswer {
        let sep: [UInt8] = [13, 10, 13, 10]
        guard let end = (0..<max(0, data.count - 3)).first(where: { Array(data[$0..<$0 + 4]) == sep }) else {
            throw SocketError(description: "no HTTP head in \(data.count) bytes")
        }
        let lines = String(decoding: data[0..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let parts = lines[0].split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else {
            throw SocketError(description: "bad status line \(lines[0])")
        }
        var headers: [String: String] = [:]
        for l in lines.dropFirst() {
            if let i = l.firstIndex(of: ":") {
                headers[l[..<i].lowercased()] = l[l.index(after: i)...].trimmingCharacters(in: .whitespaces)
            }
        }
        var body = Array(data[(end + 4)...])
        if headers["transfer-encoding"]?.lowercased() == "chunked" {
            var out: [UInt8] = []
            var i = 0
            while i < body.count {
                guard let lineEnd = (i..<body.count - 1).first(where: { body[$0] == 13 && body[$0 + 1] == 10 }),
                    let size = Int(String(decoding: body[i..<lineEnd], as: UTF8.self), radix: 16)
                else { break }
                if size == 0 { break }
                out += body[(lineEnd + 2)..<(lineEnd + 2 + size)]
                i = lineEnd + 2 + size + 2
            }
            body = out
        }
        return HTTPAnswer(status: status, headers: headers, body: body)
    }
}

/// Runs blocking work (socket I/O, a child process) on a thread of its own: neither the
/// cooperative pool nor Dispatch's worker pool (which grows slowly when its threads block), both
/// of which the server under test uses.
func onThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { c in
        let t = Thread { c.resume(with: Result { try work() }) }
        t.start()
    }
}

/// Headless Chromium, when installed (`.ci/install-browser`).
enum Chromium {
    static let path: String? = {
        if let p = ProcessInfo.processInfo.environment["CHROMIUM"], FileManager.default.isExecutableFile(atPath: p) {
            return p
        }
        for p in ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/snap/bin/chromium"]
        where FileManager.default.isExecutableFile(atPath: p) { return p }
        return nil
    }()
    static var available: Bool { path != nil }

    /// The DOM after the page's scripts ran (`--dump-dom` with a virtual time budget).
    static func dumpDOM(_ url: String, budgetMs: Int = 20_000) async throws -> String {
        let exe = try #require(path)
        return try await onThread {
            let profile = FileManager.default.temporaryDirectory.appendingPathComponent(
                "perimetre-chromium-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: profile) }
            let p = Process()
            p.executableURL = URL(fileURLWithPath: exe)
            p.arguments = [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--user-data-dir=\(profile.path)", "--virtual-time-budget=\(budgetMs)", "--dump-dom", url,
            ]
            let out = Pipe()
            p.standardOutput = out
            p.standardError = FileHandle.nullDevice
            try p.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            return String(decoding: data, as: UTF8.self)
        }
    }
}
