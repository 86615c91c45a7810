import Foundation
internal import Hummingbird
import PerimetreGeometry

/// One route of the workbench: a method, an exact path, and its handler.
struct Route: Sendable {
    let method: HTTPRequest.Method
    let path: String
    let handler: @Sendable (Request, Workbench) async throws -> Response

    init(
        _ method: HTTPRequest.Method, _ path: String,
        _ handler: @escaping @Sendable (Request, Workbench) async throws -> Response
    ) {
        self.method = method
        self.path = path
        self.handler = handler
    }
}

extension Workbench {
    /// The whole routing table, the one list the router is built from. No part of the URL ever
    /// becomes a file path: the page's assets (Assets/) are compiled into the binary. GET routes
    /// also answer HEAD; CPU-bound work (analyses, member files) runs on the bounded `pool`.
    static let routes: [Route] = [
        // The page.
        Route(.get, "/") { _, _ in Responses.text(PageAssets.html, type: "text/html; charset=utf-8") },
        Route(.get, "/index.html") { _, _ in Responses.text(PageAssets.html, type: "text/html; charset=utf-8") },
        Route(.get, "/app.js") { _, _ in Responses.text(PageAssets.javascript, type: "text/javascript; charset=utf-8")
        },
        Route(.get, "/app.css") { _, _ in Responses.text(PageAssets.css, type: "text/css; charset=utf-8") },
        // Reference lists.
        Route(.get, "/api/departements") { _, wb in Responses.json(try wb.departements()) },
        Route(.get, "/api/regions") { _, wb in Responses.json(try wb.regions()) },
        Route(.get, "/api/layers") { _, wb in Responses.json(try wb.layers()) },
        // `?departement=74` (`region=84`, `codes=…`): EPCI with simplified outlines (GeoJSON).
        Route(.get, "/api/epci") { r, wb in
            Responses.geoJSON(
                try await wb.epci(
                    departement: r.param("departement"), region: r.param("region"),
                    codes: r.param("codes")))
        },
        // `?q=texte`: EPCI and communes by name.
        Route(.get, "/api/search") { r, wb in Responses.json(try wb.search(r.param("q") ?? "")) },
        // Régions and département borders of France (the start view).
        Route(.get, "/api/france") { _, wb in Responses.geoJSON(try await wb.france()) },
        // `?region=84` (`departement=…`): département outlines with a label point.
        Route(.get, "/api/departement-outlines") { r, wb in
            Responses.geoJSON(
                try await wb.departementOutlines(region: r.param("region"), departement: r.param("departement")))
        },
        // `?q=texte`: territories of the loaded layers, with their members ("Partir de…").
        Route(.get, "/api/territories") { r, wb in Responses.json(try wb.searchTerritories(r.param("q") ?? "")) },
        // `?layer=ID&region=84` (`departement=…`): outlines of a layer's territories there.
        Route(.get, "/api/outlines") { r, wb in
            guard let layer = r.param("layer") else {
                throw APIError(400, "donnez ?layer=ID (voir /api/layers)", code: "missing_parameter")
            }
            return Responses.geoJSON(
                try await wb.territoryOutlines(
                    layer: layer, region: r.param("region"),
                    departement: r.param("departement")))
        },
        // `perimetre check --format json`, from the reference topology (no shapes).
        Route(.post, "/api/check") { r, wb in
            let body = try wb.checkBody(try await wb.collect(r))
            return Responses.json(try await wb.pool.run { try wb.checkJSON(body) })
        },
        // `{"report": <check JSON>, "map": <GeoJSON of the drawn shapes>}`.
        Route(.post, "/api/analyse") { r, wb in
            let body = try wb.checkBody(try await wb.collect(r))
            return Responses.json(try await wb.pool.run { try wb.analyse(body) })
        },
        // `?format=html|geojson|json`: the report file.
        Route(.post, "/api/export") { r, wb in
            let format = r.param("format") ?? "html"
            guard ["html", "geojson", "json"].contains(format) else {
                throw APIError(
                    400, "format d'export « \(format) » inconnu (html, geojson ou json)", code: "unknown_format")
            }
            let body = try wb.checkBody(try await wb.collect(r))
            let out = try await wb.pool.run { try wb.export(body, format: format) }
            var response = Responses.text(out.text, type: out.contentType)
            let base = Responses.fileName(body.id.isEmpty ? body.name : body.id)
            response.headers[.contentDisposition] = "attachment; filename=\"\(base).\(out.ext)\""
            return response
        },
        // A member file (CSV, JSON…) → `{"id","name","members"}`.
        Route(.post, "/api/members") { r, wb in
            let bytes = try await wb.collect(r)
            return Responses.json(try await wb.pool.run { try wb.memberFile(bytes) })
        },
        // `{"before": <check body>, "after": <check body>}` → `perimetre diff --format json`.
        Route(.post, "/api/diff") { r, wb in
            let bytes = try await wb.collect(r)
            return Responses.json(try await wb.pool.run { try wb.diffJSON(bytes) })
        },
    ]

    /// The methods of each path of `routes`: 405 with `Allow` for another method.
    static let methodsByPath: [String: Set<HTTPRequest.Method>] =
        Dictionary(routes.map { ($0.path, [$0.method]) }, uniquingKeysWith: { $0.union($1) })

    /// Hummingbird's router over `routes`, behind `WorkbenchGuard`.
    func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self, options: .autoGenerateHeadEndpoints)
        router.add(middleware: WorkbenchGuard(host: configuration.host))
        for route in Self.routes {
            router.on(RouterPath(route.path), method: route.method) { [self] request, _ in
                try await route.handler(request, self)
            }
        }
        return router
    }

    /// The request body, at most `maxBodyBytes` (413 beyond, checked on Content-Length first).
    func collect(_ request: Request) async throws -> [UInt8] {
        let limit = configuration.maxBodyBytes
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
}

/// In front of every route: the DNS-rebinding check, the exact path and method against the
/// table (the router would also take `/app.js/` for `/app.js`), and every failure turned into
/// a JSON error answer.
struct WorkbenchGuard: RouterMiddleware {
    typealias Context = BasicRequestContext
    let host: String

    static let loopback: Set<String> = ["127.0.0.1", "localhost", "::1", "[::1]"]
    /// Seconds a client is asked to wait when the analysis pool is full.
    static let retryAfterSeconds = 1

    func handle(
        _ request: Request, context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            try checkHost(request)
            let path = request.uri.path
            guard let methods = Workbench.methodsByPath[path] else {
                throw APIError(404, "introuvable : ni page ni route d'API à cette adresse", code: "not_found")
            }
            guard methods.contains(request.method) || (request.method == .head && methods.contains(.get)) else {
                let allowed = methods.map(\.rawValue).sorted().joined(separator: ", ")
                var response = Responses.error(
                    405, "méthode \(request.method.rawValue) refusée sur \(path) (utilisez \(allowed))",
                    code: "method_not_allowed")
                response.headers[.allow] = allowed
                return response
            }
            return try await next(request, context)
        } catch let e as APIError {
            return Responses.error(e.status, e.message, code: e.code)
        } catch let e as AnalysisPool.Busy {
            var response = Responses.error(
                503,
                "serveur occupé : \(e.running) analyses en cours et \(e.waiting) en attente ; "
                    + "réessayez dans \(Self.retryAfterSeconds) s", code: "server_busy")
            response.headers[.retryAfter] = String(Self.retryAfterSeconds)
            return response
        } catch let e as HTTPError {
            return Responses.error(Int(e.status.code), e.body ?? e.status.reasonPhrase, code: "http_error")
        } catch {
            return Responses.error(500, "erreur interne : \(error)", code: "internal_error")
        }
    }

    /// Bound to loopback: refuse requests addressed to another host name (DNS rebinding).
    func checkHost(_ request: Request) throws {
        guard Self.loopback.contains(host) else { return }
        let authority = request.head.authority ?? ""
        let hostname =
            authority.hasPrefix("[")
            ? String(authority.prefix { $0 != "]" }) + "]" : String(authority.prefix { $0 != ":" })
        guard Self.loopback.contains(hostname) else {
            throw APIError(
                421, "ce serveur local ne répond qu'aux requêtes adressées à 127.0.0.1 ou localhost",
                code: "misdirected_request")
        }
    }
}

extension Request {
    /// A query parameter, `+` read as a space.
    func param(_ key: String) -> String? {
        uri.queryParameters[Substring(key)].map { String($0).replacingOccurrences(of: "+", with: " ") }
    }
}

/// The workbench's answers: every one with the same security headers, never cached.
enum Responses {
    static func text(_ s: String, type: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.init("X-Content-Type-Options")!] = "nosniff"
        headers[.init("Content-Security-Policy")!] =
            "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; frame-ancestors 'none'"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: s)))
    }

    static func json(_ s: String) -> Response { text(s, type: "application/json; charset=utf-8") }

    static func geoJSON(_ s: String) -> Response { text(s, type: "application/geo+json; charset=utf-8") }

    /// The one shape of an API error: `{"error": "message en français", "code": "stable_english_code"}`.
    static func error(_ status: Int, _ message: String, code: String) -> Response {
        let body =
            (try? JSONWriter().string(.object(["error": .string(message), "code": .string(code)])))
            ?? "{\"error\":\"erreur\",\"code\":\"internal_error\"}"
        return text(body, type: "application/json; charset=utf-8", status: HTTPResponse.Status(code: status))
    }

    /// A safe download file name (letters, digits, dash, underscore).
    static func fileName(_ s: String) -> String {
        let f = String(
            s.unicodeScalars.map { CharacterSet.alphanumerics.contains($0) && $0.isASCII ? Character($0) : "-" }.prefix(
                60))
        let t = f.split(separator: "-").joined(separator: "-")
        return t.isEmpty ? "perimetre" : t
    }
}
