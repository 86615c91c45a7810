internal import Hummingbird
import Foundation
import PerimetreGeometry

/// The whole routing table: an exact match on method and path, nothing else. No part of the
/// URL ever becomes a file path: the page's three assets (Assets/) are compiled into the binary.
///
/// | Method | Path | Answer |
/// |---|---|---|
/// | GET | `/`, `/app.js`, `/app.css` | the page |
/// | GET | `/api/departements`, `/api/regions`, `/api/layers` | reference lists |
/// | GET | `/api/epci?departement=74` (`region=84`, `codes=…`) | EPCI with simplified outlines (GeoJSON) |
/// | GET | `/api/search?q=texte` | EPCI and communes by name |
/// | GET | `/api/france` | régions and département borders of France (start view) |
/// | GET | `/api/departement-outlines?region=84` (`departement=…`) | département outlines with a label point |
/// | GET | `/api/territories?q=texte` | territories of the loaded layers, with their members ("Partir de…") |
/// | GET | `/api/outlines?layer=ID&region=84` (`departement=…`) | outlines of a layer's territories there |
/// | POST | `/api/check` | `perimetre check --format json` |
/// | POST | `/api/analyse` | `{"report": <check JSON>, "map": <GeoJSON of the drawn shapes>}` |
/// | POST | `/api/export?format=html\|geojson\|json` | the report file |
/// | POST | `/api/members` | a member file (CSV, JSON…) → `{"id","name","members"}` |
/// | POST | `/api/diff` | `{"before": <check body>, "after": <check body>}` → `perimetre diff --format json` |
struct WorkbenchResponder: HTTPResponder {
    typealias Context = BasicRequestContext
    let workbench: Workbench

    static let routes: [String: HTTPRequest.Method] = [
        "/": .get, "/index.html": .get, "/app.js": .get, "/app.css": .get,
        "/api/departements": .get, "/api/regions": .get, "/api/layers": .get, "/api/epci": .get, "/api/search": .get,
        "/api/france": .get, "/api/departement-outlines": .get, "/api/territories": .get, "/api/outlines": .get,
        "/api/check": .post, "/api/analyse": .post, "/api/export": .post, "/api/members": .post, "/api/diff": .post,
    ]

    static let loopback: Set<String> = ["127.0.0.1", "localhost", "::1", "[::1]"]

    func respond(to request: Request, context: Context) async throws -> Response {
        do {
            return try await route(request)
        } catch let e as APIError {
            return Self.error(e.status, e.message, code: e.code)
        } catch {
            return Self.error(500, "erreur interne : \(error)", code: "internal_error")
        }
    }

    func route(_ request: Request) async throws -> Response {
        let path = request.uri.path
        // Bound to loopback: refuse requests addressed to another host name (DNS rebinding).
        if Self.loopback.contains(workbench.configuration.host) {
            let authority = request.head.authority ?? ""
            let hostname = authority.hasPrefix("[") ? String(authority.prefix { $0 != "]" }) + "]" : String(authority.prefix { $0 != ":" })
            guard Self.loopback.contains(hostname) else { throw APIError(421, "ce serveur local ne répond qu'aux requêtes adressées à 127.0.0.1 ou localhost", code: "misdirected_request") }
        }
        guard let method = Self.routes[path] else { throw APIError(404, "introuvable : ni page ni route d'API à cette adresse", code: "not_found") }
        guard request.method == method || (method == .get && request.method == .head) else {
            var r = Self.error(405, "méthode \(request.method.rawValue) refusée sur \(path) (utilisez \(method.rawValue))", code: "method_not_allowed")
            r.headers[.allow] = method.rawValue
            return r
        }
        let query = request.uri.queryParameters
        func param(_ k: String) -> String? { query[Substring(k)].map { String($0).replacingOccurrences(of: "+", with: " ") } }
        let wb = workbench
        switch path {
        case "/", "/index.html": return Self.text(PageAssets.html, type: "text/html; charset=utf-8")
        case "/app.js": return Self.text(PageAssets.javascript, type: "text/javascript; charset=utf-8")
        case "/app.css": return Self.text(PageAssets.css, type: "text/css; charset=utf-8")
        case "/api/departements": return Self.json(try wb.departements())
        case "/api/regions": return Self.json(try wb.regions())
        case "/api/layers": return Self.json(try wb.layers())
        case "/api/search": return Self.json(try wb.search(param("q") ?? ""))
        case "/api/france": return Self.json(try await wb.france(), type: "application/geo+json; charset=utf-8")
        case "/api/departement-outlines":
            return Self.json(try await wb.departementOutlines(region: param("region"), departement: param("departement")),
                             type: "application/geo+json; charset=utf-8")
        case "/api/territories": return Self.json(try wb.searchTerritories(param("q") ?? ""))
        case "/api/outlines":
            guard let layer = param("layer") else { throw APIError(400, "donnez ?layer=ID (voir /api/layers)", code: "missing_parameter") }
            return Self.json(try await wb.territoryOutlines(layer: layer, region: param("region"), departement: param("departement")),
                             type: "application/geo+json; charset=utf-8")
        case "/api/epci":
            return Self.json(try await wb.epci(departement: param("departement"), region: param("region"), codes: param("codes")),
                             type: "application/geo+json; charset=utf-8")
        case "/api/check":
            let body = try wb.checkBody(try await collect(request))
            return Self.json(try await offload { try wb.checkJSON(body) })
        case "/api/analyse":
            let body = try wb.checkBody(try await collect(request))
            return Self.json(try await offload { try wb.analyse(body) })
        case "/api/export":
            let format = param("format") ?? "html"
            guard ["html", "geojson", "json"].contains(format) else {
                throw APIError(400, "format d'export « \(format) » inconnu (html, geojson ou json)", code: "unknown_format")
            }
            let body = try wb.checkBody(try await collect(request))
            let out = try await offload { try wb.export(body, format: format) }
            var r = Self.text(out.text, type: out.contentType)
            let base = Self.fileName(body.id.isEmpty ? body.name : body.id)
            r.headers[.contentDisposition] = "attachment; filename=\"\(base).\(out.ext)\""
            return r
        case "/api/diff":
            let bytes = try await collect(request)
            return Self.json(try await offload { try wb.diffJSON(bytes) })
        case "/api/members":
            let bytes = try await collect(request)
            return Self.json(try await offload { try wb.memberFile(bytes) })
        default:
            throw APIError(404, "introuvable", code: "not_found")
        }
    }

    /// The request body, at most `maxBodyBytes` (413 beyond, checked on Content-Length first).
    func collect(_ request: Request) async throws -> [UInt8] {
        let limit = workbench.configuration.maxBodyBytes
        if let cl = request.headers[.contentLength].flatMap({ Int($0) }), cl > limit {
            throw APIError(413, "corps de requête trop gros (\(cl) octets, au plus \(limit))", code: "body_too_large")
        }
        var out: [UInt8] = []
        for try await buffer in request.body {
            if out.count + buffer.readableBytes > limit {
                throw APIError(413, "corps de requête trop gros (plus de \(limit) octets)", code: "body_too_large")
            }
            out += buffer.readableBytesView
        }
        return out
    }

    /// A safe download file name (letters, digits, dash, underscore).
    static func fileName(_ s: String) -> String {
        let f = String(s.unicodeScalars.map { CharacterSet.alphanumerics.contains($0) && $0.isASCII ? Character($0) : "-" }.prefix(60))
        let t = f.split(separator: "-").joined(separator: "-")
        return t.isEmpty ? "perimetre" : t
    }

    static func text(_ s: String, type: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.init("X-Content-Type-Options")!] = "nosniff"
        headers[.init("Content-Security-Policy")!] =
            "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; frame-ancestors 'none'"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: s)))
    }

    static func json(_ s: String, type: String = "application/json; charset=utf-8") -> Response { text(s, type: type) }

    static func error(_ status: Int, _ message: String, code: String) -> Response {
        let body = (try? JSONWriter().string(.object(["error": .string(message), "code": .string(code)])))
            ?? "{\"error\":\"erreur\",\"code\":\"internal_error\"}"
        return text(body, type: "application/json; charset=utf-8", status: HTTPResponse.Status(code: status))
    }
}
