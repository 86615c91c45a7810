import Foundation
import PerimetreData
import PerimetreGeometry
import PerimetreServer
import PerimetreTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The server under a burst it cannot serve at once: 256 clients, each on its own thread, post
/// a 10-EPCI check again and again for 5 s (at most 20 requests each). The analyses run on a
/// bounded pool with a bounded queue: every request must get an answer, 200 or 503 with
/// `Retry-After` and a JSON error, none may time out, and the memory must stay bounded.
@Suite("perimetre serve under load", .serialized)
struct LoadTests {
    static let clients = 256
    static let seconds = 5.0
    static let requestsPerClient = 20
    /// 10 neighbouring EPCI grown from the Pays de Montbéliard (as `perimetre benchmark`).
    static let body =
        #"{"members":["200065647","200023075","200068294","200069052","242504371","247000722","#
        + #""249000241","242504355","200041853","242504447"]}"#

    /// What the clients got: statuses, requests without an answer, 503s without `Retry-After` or JSON.
    struct Tally: Sendable {
        var statuses: [Int: Int] = [:]
        var failures: [String] = []
        var badBusy: [String] = []
    }

    /// The resident memory of this process (the server runs in it), in bytes.
    static func residentBytes() -> Int {
        guard let s = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = s.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kb = Int(line.split(separator: " ").dropFirst().first ?? "")
        else { return 0 }
        return kb * 1024
    }

    /// One `POST /api/check` of `body`.
    static func check(port: Int) async throws -> HTTPAnswer {
        try await onThread {
            try RawHTTP.send(
                port: port, "POST", "/api/check", body: Array(Self.body.utf8),
                headers: ["Content-Type": "application/json"], declaredLength: nil)
        }
    }

    /// `clients` threads send requests until `seconds` have passed (at most `requestsPerClient`
    /// each) while a sampler follows the resident memory; returns the answers' tally and the peak.
    static func fire(port: Int) async throws -> (Tally, peakBytes: Int) {
        let tally = Locked(Tally())
        let peak = Locked(0)
        let deadline = Date().addingTimeInterval(Self.seconds)
        try await onThread {
            let group = DispatchGroup()
            var threads: [Thread] = []
            for _ in 0..<Self.clients {
                group.enter()
                let t = Thread {
                    for _ in 0..<Self.requestsPerClient where Date() < deadline {
                        do {
                            let a = try RawHTTP.send(
                                port: port, "POST", "/api/check", body: Array(Self.body.utf8),
                                headers: ["Content-Type": "application/json"], declaredLength: nil)
                            let busyWellFormed =
                                a.status != 503 || (a.headers["retry-after"] == "1" && a.text.hasPrefix("{\"error\":"))
                            tally.withLock {
                                $0.statuses[a.status, default: 0] += 1
                                if !busyWellFormed { $0.badBusy.append(a.text) }
                            }
                        } catch { tally.withLock { $0.failures.append("\(error)") } }
                    }
                    group.leave()
                }
                t.stackSize = 1 << 20
                threads.append(t)
            }
            let sampler = Thread {
                while group.wait(timeout: .now() + .milliseconds(100)) == .timedOut {
                    let r = Self.residentBytes()
                    peak.withLock { $0 = max($0, r) }
                }
            }
            for t in threads { t.start() }
            sampler.start()
            group.wait()
        }
        return (tally.withLock { $0 }, peak.withLock { $0 })
    }

    @Test(
        "256 concurrent clients for 5 s: every request answered 200 or 503 (Retry-After, JSON), no timeout, memory bounded"
    )
    func burst() async throws {
        let data = try GeoData(path: try TestPaths.requireGeoDataPath())
        let (stream, continuation) = AsyncStream<Int>.makeStream()
        let server = Task.detached {
            try await WorkbenchServer.run(WorkbenchConfiguration(host: "127.0.0.1", port: 0), data: data) {
                continuation.yield($0)
            }
        }
        defer { server.cancel() }
        var iterator = stream.makeAsyncIterator()
        let port = try #require(await iterator.next())
        // Warm up (the topology read on first use), then measure.
        #expect(try await Self.check(port: port).status == 200)
        let before = Self.residentBytes()
        let (result, peakBytes) = try await Self.fire(port: port)
        let total = result.statuses.values.reduce(0, +)
        print(
            "load test: \(total) requests in \(Self.seconds) s from \(Self.clients) clients: \(result.statuses.sorted { $0.key < $1.key }); "
                + "resident memory \(before >> 20) MiB before, \(peakBytes >> 20) MiB at most during the burst")
        #expect(
            result.failures.isEmpty, "\(result.failures.count) requests without an answer: \(result.failures.prefix(3))"
        )
        #expect(Set(result.statuses.keys).isSubset(of: [200, 503]), "statuses: \(result.statuses)")
        #expect(result.statuses[200, default: 0] > 0)
        // 256 at once cannot all be served by one analysis per core and a short queue: some are refused.
        #expect(result.statuses[503, default: 0] > 0)
        #expect(result.badBusy.isEmpty, "503 without Retry-After or JSON error: \(result.badBusy.prefix(2))")
        #expect(total >= Self.clients && total <= Self.clients * Self.requestsPerClient)
        // Bounded: the 256 client threads (1 MiB stacks, mostly untouched) and the queued requests.
        #expect(peakBytes - before < 512 << 20, "resident memory grew by \((peakBytes - before) >> 20) MiB")
        // And it serves normally afterwards.
        #expect(try await Self.check(port: port).status == 200)
    }
}
