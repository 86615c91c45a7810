import Foundation
import PerimetreAnalysis
import PerimetreData
import PerimetreReport

// The figures of the reference topology (audit at the speed of a table lookup): the national
// audit against the same-data Python peer, generated options, and the workbench's check API.
extension Benchmark {
    /// The 183 TI with the three composition tables, JSON out: ≤ 90 ms, peak memory ≤ 100 MiB,
    /// and at least 3x faster than the peer when `--peer` names its Python.
    func auditFigures(exe: String, ti: String, comp: [String], common: [String], out: String) throws {
        let audit = [exe, "audit", ti, "--format", "json", "--quiet", "-o", out + ".json"] + comp + common
        if let python = peer {
            // One run, alternated: machines and moments differ, the ratio is what counts.
            let script = shared + "/../bench/peer_audit_gpkg.py"
            var ours: [Double] = []
            var theirs: [Double] = []
            var peak = 0
            for _ in 0..<runs {
                theirs.append(try timeRun([python, script]).seconds)
                let r = try timeRunMeasured(audit)
                ours.append(r.seconds)
                peak = max(peak, r.peakBytes)
            }
            let (a, b) = (RunTimes(times: ours, peakBytes: peak), RunTimes(times: theirs, peakBytes: 0))
            print(
                "  audit, 183 TI + 3 tables de composition, JSON : \(a.summary), mémoire max \(mib(a.peakBytes)) (objectifs ≤ 90 ms, ≤ 100 Mio) \(a.median <= 0.090 && a.peakBytes <= 100 << 20 ? "ok" : "AU-DESSUS")"
            )
            print("  pair Python (shapely 2, même GeoPackage), alterné : \(b.summary)")
            let ratio = b.median / max(a.median, 1e-9)
            print(
                String(format: "  rapport pair / perimetre : %.2f (objectif ≥ 3) ", ratio)
                    + (ratio >= 3 ? "ok" : "AU-DESSOUS"))
        } else {
            let a = try RunTimes(audit, runs: runs)
            print(
                "  audit, 183 TI + 3 tables de composition, JSON : \(a.summary), mémoire max \(mib(a.peakBytes)) (objectifs ≤ 90 ms, ≤ 100 Mio) \(a.median <= 0.090 && a.peakBytes <= 100 << 20 ? "ok" : "AU-DESSUS")"
            )
            print("  (pair Python non mesuré : --peer /chemin/vers/python, voir ../shared/bench/README.md)")
        }
    }

    /// 1,000 generated options (1–8 neighbouring EPCI, seeded), JSON out: ≤ 0.3 s.
    func generatedOptionsFigures(exe: String, data: GeoData, common: [String], out: String) throws {
        let groups = try RandomGroupings.make(data, count: 1000, seed: 12)
        var csv = "id_ti,lib_ti,siren_membre\n"
        for (k, g) in groups.enumerated() { for code in g { csv += "opt-\(k + 1),Option \(k + 1),\(code)\n" } }
        let path = out + ".options.csv"
        try AtomicFile.write(Data(csv.utf8), to: path)
        defer {
            try? FileManager.default.removeItem(atPath: path)
            try? FileManager.default.removeItem(atPath: out + ".options.json")
        }
        let t = try RunTimes(
            [exe, "audit", path, "--format", "json", "--quiet", "-o", out + ".options.json"] + common, runs: runs)
        print(
            "  audit, 1 000 options générées (1 à 8 EPCI voisins), JSON : \(t.summary), mémoire max \(mib(t.peakBytes)) (objectif ≤ 300 ms) \(t.median <= 0.3 ? "ok" : "AU-DESSUS")"
        )
    }

    /// `POST /api/check` of 10 neighbouring EPCI on a running `perimetre serve`, one keep-alive
    /// connection: ≤ 5 ms.
    func apiCheckFigures(exe: String, ten: [String], common: [String]) throws {
        let port = 20000 + Int(getpid() % 20000)
        var pid: pid_t = 0
        let args = [exe, "serve", "--port", String(port)] + common
        let cargs = args.map { strdup($0) } + [nil]
        defer { for a in cargs { free(a) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        guard posix_spawn(&pid, exe, &actions, nil, cargs, environ) == 0 else {
            print("  POST /api/check : serveur non lancé")
            return
        }
        defer {
            kill(pid, SIGTERM)
            var s: Int32 = 0
            waitpid(pid, &s, 0)
        }
        guard let connection = try HTTPConnection(port: port, waitSeconds: 15) else {
            print("  POST /api/check : le serveur ne répond pas sur le port \(port)")
            return
        }
        let body = #"{"members":["# + ten.map { "\"\($0)\"" }.joined(separator: ",") + "]}"
        var times: [Double] = []
        for k in 0..<(runs * 5 + 3) {
            let start = ContinuousClock.now
            let (status, _) = try connection.post("/api/check", body: body)
            guard status == 200 else {
                print("  POST /api/check : statut \(status)")
                return
            }
            if k >= 3 { times.append((ContinuousClock.now - start).seconds) }  // the first requests warm the server
        }
        let t = RunTimes(times: times, peakBytes: 0)
        print(
            "  POST /api/check, 10 EPCI voisins (serveur chaud) : \(t.summary) (objectif ≤ 5 ms) \(t.median <= 0.005 ? "ok" : "AU-DESSUS")"
        )
    }

    func mib(_ bytes: Int) -> String { String(format: "%.0f Mio", Double(bytes) / Double(1 << 20)) }
}

/// A minimal HTTP/1.1 client on one keep-alive connection to 127.0.0.1, for the benchmark
/// only (Content-Length bodies, as the workbench answers).
final class HTTPConnection {
    private let fd: Int32

    /// Connects, retrying while the server starts; nil if it never answers.
    init?(port: Int, waitSeconds: Double) throws {
        let deadline = ContinuousClock.now + .seconds(waitSeconds)
        var connected: Int32 = -1
        while ContinuousClock.now < deadline {
            let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_port = in_port_t(UInt16(port).bigEndian)
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            let rc = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            if rc == 0 {
                connected = s
                break
            }
            close(s)
            usleep(50_000)
        }
        guard connected >= 0 else { return nil }
        fd = connected
    }

    deinit { close(fd) }

    /// Sends a POST and reads the whole answer: its status and body.
    func post(_ path: String, body: String) throws -> (Int, String) {
        let bytes = Array(body.utf8)
        let request =
            "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(bytes.count)\r\n\r\n"
        let all = Array(request.utf8) + bytes
        var sent = 0
        while sent < all.count {
            let n = all[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { throw BenchmarkError("send: \(String(cString: strerror(errno)))") }
            sent += n
        }
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        func fill() throws {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { throw BenchmarkError("recv: connection closed") }
            buffer += chunk[0..<n]
        }
        var headerEnd: Int? = nil
        while headerEnd == nil {
            try fill()
            if let r = buffer.firstRange(of: Array("\r\n\r\n".utf8)) { headerEnd = r.upperBound }
        }
        let head = String(decoding: buffer[..<headerEnd!], as: UTF8.self)
        let status = Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0
        let length =
            head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
            .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
        while buffer.count - headerEnd! < length { try fill() }
        return (status, String(decoding: buffer[headerEnd!..<(headerEnd! + length)], as: UTF8.self))
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
