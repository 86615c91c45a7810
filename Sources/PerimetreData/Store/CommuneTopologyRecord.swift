/// The packed record of the commune topology around an EPCI, in the `epci_commune_topology` table
/// (a blob per EPCI): the facts of its communes and every pair where one of them meets another
/// commune, with the EPCI of both. What a perimeter listing some of the EPCI's communes, or a
/// remedy's predicted outcome, reads of it in one row, where the three commune tables took three
/// index searches and a row per commune and pair.
///
/// Little-endian. A text is one byte of length and its UTF-8; an optional value is one byte (0
/// absent, 1 present) and the value when present; a number is the 8 bytes of an IEEE 754 double.
/// - 4 bytes: the number of communes, then each commune in code order: `code`; `area_m2`,
///   `perimeter_m`, `free_boundary_m`, `hole_boundary_m`, `unmatched_boundary_m`, `min_x`,
///   `min_y`, `max_x`, `max_y`; `crs`; `island` (1 byte); optional `sea_gap_m`; optional
///   `sea_nearest`; 2 bytes of count and each detached part (area, distance, 2 bytes of count and
///   each neighbour's code); 2 bytes of count and each border (country, distance).
/// - 4 bytes: the number of pairs, then each pair in (a, b) order: `code_a`, `code_b`, `kind`;
///   `length_m`, `overlap_m2`, `union_loss_m`; optional `epci_a`; optional `epci_b`.
///
/// ```swift
/// let bytes = try CommuneTopologyRecord.encode(topology)
/// let back = try bytes.withUnsafeBytes { try CommuneTopologyRecord.decode($0, epci: "200000172", path: "france-2026.gpkg") }
/// ```
public enum CommuneTopologyRecord {
    /// The topology packed: its facts in code order, its pairs in the order given.
    ///
    /// - Throws: `GeoPackageError` for a text longer than 255 bytes or a list beyond 65,535 items.
    public static func encode(_ t: GeoDataSession.CommuneTopology, path: String = "") throws -> [UInt8] {
        var w = PackedRecordWriter(path: path, context: "topologie des communes")
        try w.count32(t.facts.count)
        for f in t.facts.values.sorted(by: { $0.code < $1.code }) {
            try w.text(f.code)
            for d in [
                f.areaSquareMetres, f.perimeterMetres, f.freeBoundaryMetres, f.holeBoundaryMetres,
                f.unmatchedBoundaryMetres, f.minX, f.minY, f.maxX, f.maxY,
            ] { w.number(d) }
            try w.text(f.crs)
            w.flag(f.island)
            w.flag(f.seaGapMetres != nil)
            if let g = f.seaGapMetres { w.number(g) }
            try w.optionalText(f.seaNearest)
            try w.count16(f.detachedParts.count)
            for p in f.detachedParts {
                w.number(p.areaKm2)
                w.number(p.distanceMetres)
                try w.count16(p.neighbours.count)
                for n in p.neighbours { try w.text(n) }
            }
            try w.count16(f.borders.count)
            for b in f.borders {
                try w.text(b.country)
                w.number(b.distanceMetres)
            }
        }
        try w.count32(t.adjacency.count)
        for p in t.adjacency {
            try w.text(p.a)
            try w.text(p.b)
            try w.text(p.kind.rawValue)
            w.number(p.lengthMetres)
            w.number(p.overlapSquareMetres)
            w.number(p.unionLossMetres)
            try w.optionalText(t.epci[p.a])
            try w.optionalText(t.epci[p.b])
        }
        return w.bytes
    }

    /// The commune topology around EPCI `epci` from its record: each commune of the facts is in
    /// `epci`, each end of a pair in the EPCI the record gives.
    ///
    /// - Throws: `GeoPackageError` naming `path`, the EPCI and the byte where the record is cut
    ///   short or holds an unknown kind of pair.
    public static func decode(
        _ bytes: UnsafeRawBufferPointer, epci: String, path: String
    ) throws -> GeoDataSession.CommuneTopology {
        var r = PackedRecordReader(bytes: bytes)
        func invalid() -> GeoPackageError {
            GeoPackageError(
                path: path,
                message:
                    "table epci_commune_topology, EPCI \(epci) : enregistrement invalide à l'octet \(r.at) sur \(bytes.count)"
            )
        }
        var out = GeoDataSession.CommuneTopology(facts: [:], adjacency: [], epci: [:])
        guard let factCount = r.count32() else { throw invalid() }
        out.facts.reserveCapacity(factCount)
        for _ in 0..<factCount {
            guard let f = r.facts() else { throw invalid() }
            out.facts[f.code] = f
            out.epci[f.code] = epci
        }
        guard let pairCount = r.count32() else { throw invalid() }
        out.adjacency.reserveCapacity(pairCount)
        // The EPCI of a pair's far end is most often the previous pair's: reused, not decoded.
        var last = PackedRecordReader.Last()
        for _ in 0..<pairCount {
            guard let a = r.text(), let b = r.text(), let kind = r.text().flatMap(AdjacencyKind.init(rawValue:)),
                let length = r.number(), let overlap = r.number(), let loss = r.number(),
                let ea = r.optionalText(reusing: &last), let eb = r.optionalText(reusing: &last)
            else { throw invalid() }
            out.adjacency.append(
                Adjacency(
                    a: a, b: b, kind: kind, lengthMetres: length, overlapSquareMetres: overlap, unionLossMetres: loss))
            if let e = ea { out.epci[a] = e }
            if let e = eb { out.epci[b] = e }
        }
        guard r.atEnd else { throw invalid() }
        return out
    }
}

extension PackedRecordReader {
    /// One commune's facts (``CommuneTopologyRecord``).
    fileprivate mutating func facts() -> UnitFacts? {
        guard let code = text() else { return nil }
        var d: [Double] = []
        d.reserveCapacity(9)
        for _ in 0..<9 {
            guard let x = number() else { return nil }
            d.append(x)
        }
        var none = Last()
        guard let crs = text(), let island = byte(), let hasGap = byte(), hasGap <= 1 else { return nil }
        var gap: Double? = nil
        if hasGap == 1 {
            guard let g = number() else { return nil }
            gap = g
        }
        guard let nearest = optionalText(reusing: &none), let partCount = count16() else { return nil }
        var parts: [UnitFacts.DetachedPart] = []
        for _ in 0..<partCount {
            guard let area = number(), let distance = number(), let n = count16() else { return nil }
            var neighbours: [String] = []
            for _ in 0..<n {
                guard let c = text() else { return nil }
                neighbours.append(c)
            }
            parts.append(.init(areaKm2: area, distanceMetres: distance, neighbours: neighbours))
        }
        guard let borderCount = count16() else { return nil }
        var borders: [UnitFacts.BorderDistance] = []
        for _ in 0..<borderCount {
            guard let country = text(), let distance = number() else { return nil }
            borders.append(.init(country: country, distanceMetres: distance))
        }
        return UnitFacts(
            code: code, areaSquareMetres: d[0], perimeterMetres: d[1], freeBoundaryMetres: d[2],
            holeBoundaryMetres: d[3], unmatchedBoundaryMetres: d[4], minX: d[5], minY: d[6], maxX: d[7],
            maxY: d[8], crs: crs, island: island == 1, seaGapMetres: gap, seaNearest: nearest,
            detachedParts: parts, borders: borders)
    }
}
