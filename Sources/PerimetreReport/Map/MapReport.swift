import Foundation
import PerimetreGeometry

/// The report of `perimetre map`: what was drawn, what was not and why, vertex counts and sizes.
/// French text for stderr; JSON (stable keys) for `--report FILE`.
public enum MapReport {
    /// The French report of a map, for stderr.
    ///
    /// - Parameters:
    ///   - map: The map built.
    ///   - outputBytes: Size of the file written, when one was.
    /// - Returns: The text.
    public static func text(_ map: NationalMap, outputBytes: Int?) -> String {
        let s = map.stats
        var lines: [String] = []
        let unit = map.options.level == .territory ? "territoires" : "membres"
        lines.append("Carte : \(s.mapped)/\(s.territories) territoires cartographiés, \(s.features) entités (\(unit)).")
        if !map.failures.isEmpty {
            lines.append("Territoires absents de la carte (\(map.failures.count)) :")
            for f in map.failures {
                lines.append("  \(f.id) \(f.name) : \(f.error.replacingOccurrences(of: "\n", with: " "))")
            }
        }
        if !map.missingMembers.isEmpty {
            lines.append("Membres non dessinés (\(map.missingMembers.count)) :")
            for m in map.missingMembers { lines.append("  \(m.territory) \(m.code) : \(m.reason)") }
        }
        if s.rounding == nil {
            lines.append("Arcs : \(s.arcs) ; sommets des arcs \(group(s.arcVerticesBefore)).")
        } else {
            lines.append(
                "Arcs : \(s.arcs) ; sommets des arcs \(group(s.arcVerticesBefore)) → \(group(s.arcVerticesAfter)) ; "
                    + "sommets écrits \(group(s.featureVerticesBefore)) → \(group(s.featureVerticesAfter)).")
        }
        if let sim = s.simplification {
            lines.append(
                "Simplification \(JSONWriter.numberString(sim.toleranceMetres)) m : \(group(sim.verticesBefore)) → \(group(sim.verticesAfter)) sommets, \(sim.refusedChords) cordes refusées (croisement évité)."
            )
        }
        if s.islandsDropped > 0 {
            lines.append(
                String(format: "Îlots supprimés (--min-area) : %d (%.3f km²).", s.islandsDropped, s.islandsDroppedKm2))
        }
        if let r = s.rounding {
            lines.append(
                "Arrondi à \(r.decimals) décimales : \(r.insertedVertices) sommets insérés, \(r.collapsedSegments) segments confondus, \(r.unresolvedConflicts) conflits restants."
            )
        }
        if !map.repairs.isEmpty {
            lines.append("Géométries réparées après arrondi (\(map.repairs.count)) :")
            for r in map.repairs { lines.append("  \(r.id) : \(r.reason)\(r.valid ? "" : " — TOUJOURS INVALIDE")") }
        }
        if let b = outputBytes { lines.append("Taille : \(group(b)) octets.") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The report of a map as JSON (`--report FILE`).
    ///
    /// - Parameters:
    ///   - map: The map built.
    ///   - outputBytes: Size of the file written, when one was.
    ///   - output: The file written, when one was.
    ///   - format: The output format's name.
    /// - Returns: The JSON text.
    /// - Throws: `GeometryError` when a number cannot be written (NaN).
    public static func json(_ map: NationalMap, outputBytes: Int?, output: String?, format: String) throws -> String {
        let s = map.stats
        var stats: JSONObject = [
            "territories": .int(s.territories), "mapped": .int(s.mapped), "features": .int(s.features),
            "arcs": .int(s.arcs),
            "arc_vertices_before": .int(s.arcVerticesBefore), "arc_vertices_after": .int(s.arcVerticesAfter),
            "feature_vertices_before": .int(s.featureVerticesBefore),
            "feature_vertices_after": .int(s.featureVerticesAfter),
            "islands_dropped": .int(s.islandsDropped), "islands_dropped_km2": NationalMap.km2(s.islandsDroppedKm2),
        ]
        if let sim = s.simplification {
            stats["simplification"] = .object([
                "tolerance_metres": .number(sim.toleranceMetres),
                "vertices_before": .int(sim.verticesBefore),
                "vertices_after": .int(sim.verticesAfter),
                "refused_chords": .int(sim.refusedChords),
            ])
        }
        if let r = s.rounding {
            stats["rounding"] = .object([
                "decimals": .int(r.decimals), "inserted_vertices": .int(r.insertedVertices),
                "passes": .int(r.passes), "collapsed_segments": .int(r.collapsedSegments),
                "unresolved_conflicts": .int(r.unresolvedConflicts),
            ])
        }
        let root: JSONObject = [
            "level": .string(map.options.level.rawValue),
            "format": .string(format),
            "output": output.map { .string($0) } ?? .null,
            "output_bytes": outputBytes.map { .int($0) } ?? .null,
            "precision": .int(map.options.precision),
            "simplify_metres": map.options.simplifyMetres.map { .number($0) } ?? .null,
            "min_area_km2": map.options.minAreaKm2.map { .number($0) } ?? .null,
            "stats": .object(stats),
            "failed": .array(
                map.failures.map {
                    .object(["id": .string($0.id), "name": .string($0.name), "error": .string($0.error)])
                }),
            "missing_members": .array(
                map.missingMembers.map {
                    .object([
                        "territory": .string($0.territory), "code": .string($0.code), "reason": .string($0.reason),
                    ])
                }),
            "repaired": .array(
                map.repairs.map {
                    .object(["id": .string($0.id), "reason": .string($0.reason), "valid": .bool($0.valid)])
                }),
            "timings_seconds": .object(
                JSONObject(s.timings.map { .init($0.phase, .number(($0.seconds * 1000).rounded() / 1000)) })),
        ]
        return try JSONWriter(pretty: true).string(.object(root)) + "\n"
    }

    /// The TopoJSON lines of the report: grid, arcs, positions, dropped rings, invalid features.
    public static func topoJSONText(_ s: TopoJSONWriter.Stats) -> String {
        var lines: [String] = []
        let stepX = s.grid.scale.x * 111_320 * cos(46.5 * .pi / 180)
        let stepY = s.grid.scale.y * 110_574
        lines.append(
            String(
                format:
                    "TopoJSON : grille %@ × %@ points (pas ≈ %.0f m × %.0f m à 46,5° N), %@ arcs, %@ positions, %@ sommets insérés par l'arrondi.",
                group(s.quantize), group(s.quantize), stepX, stepY, group(s.arcs), group(s.positions),
                group(s.rounding.insertedVertices)))
        if s.subGridVertices > 0 {
            lines.append("Sommets à moins d'un demi-pas d'une droite, omis : \(group(s.subGridVertices)).")
        }
        if s.droppedRings > 0 {
            lines.append("Anneaux effondrés par la quantification, supprimés : \(s.droppedRings).")
        }
        if !s.invalid.isEmpty {
            lines.append(
                "Objets invalides une fois quantifiés (laissés tels quels, les arcs étant partagés) (\(s.invalid.count)) :"
            )
            for i in s.invalid { lines.append("  \(i.id) : \(i.reason)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func group(_ n: Int) -> String {
        let s = String(n)
        var out = ""
        for (i, ch) in s.enumerated() {
            if i > 0 && (s.count - i) % 3 == 0 && ch != "-" { out += "\u{202F}" }
            out.append(ch)
        }
        return out
    }
}
