/// The packed record of an EPCI's communes in the `epci_communes` table (a blob per EPCI): what
/// resolving a perimeter of whole EPCI, and comparing with a national layer, read of its
/// communes. Decoding it costs a few hundred instructions per commune, where parsing a text
/// (a decimal area above all) cost ten times that.
///
/// Each commune in code order, little-endian: `code`, `name`, `departement`, `region`, each
/// as one byte of length and its UTF-8; `population` in 4 bytes; `area_km2` as the 8 bytes of
/// an IEEE 754 double; `has_geometry` in 1 byte (0 or 1).
///
/// ```swift
/// let bytes = try EPCICommunesRecord.encode(communes)
/// let back = try EPCICommunesRecord.decode(bytes, epci: "200000172", path: "france-2026.gpkg")  // == communes
/// ```
public enum EPCICommunesRecord {
    /// The communes packed, in the order given.
    ///
    /// - Throws: `GeoPackageError` for a field longer than 255 bytes or a population beyond 4 bytes.
    public static func encode(_ communes: [Commune], path: String = "") throws -> [UInt8] {
        var w = PackedRecordWriter(path: path, context: "", capacity: communes.count * 48)
        for c in communes {
            w.context = "commune \(c.code)"
            for field in [c.code, c.name, c.departement, c.region] { try w.text(field) }
            guard let population = UInt32(exactly: c.population) else {
                throw GeoPackageError(path: path, message: "commune \(c.code) : population \(c.population) hors bornes")
            }
            w.integer(population)
            w.number(c.areaKm2)
            w.flag(c.hasGeometry)
        }
        return w.bytes
    }

    /// The communes of EPCI `epci` from its record.
    ///
    /// - Throws: `GeoPackageError` naming `path`, the EPCI and the byte where the record is cut short.
    public static func decode(_ bytes: UnsafeRawBufferPointer, epci: String, path: String) throws -> [Commune] {
        var out: [Commune] = []
        out.reserveCapacity(bytes.count / 40)
        var r = PackedRecordReader(bytes: bytes)
        // A commune's département and région are most often its predecessor's: reused, not decoded.
        var departement = PackedRecordReader.Last()
        var region = PackedRecordReader.Last()
        while !r.atEnd {
            guard let code = r.text(), let name = r.text(), let d = r.text(reusing: &departement),
                let g = r.text(reusing: &region), let (population, area, hasGeometry) = r.communeNumbers()
            else {
                throw GeoPackageError(
                    path: path,
                    message:
                        "table epci_communes, EPCI \(epci) : enregistrement tronqué à l'octet \(r.at) sur \(bytes.count)"
                )
            }
            out.append(
                Commune(
                    code: code, name: name, departement: d, region: g, epci: epci, population: Int(population),
                    areaKm2: area, hasGeometry: hasGeometry))
        }
        return out
    }
}

extension PackedRecordReader {
    /// A commune's population, area and has-geometry.
    fileprivate mutating func communeNumbers() -> (UInt32, Double, Bool)? {
        guard let population = load(UInt32.self), let area = number(), let hasGeometry = byte() else { return nil }
        return (population, area, hasGeometry != 0)
    }
}
