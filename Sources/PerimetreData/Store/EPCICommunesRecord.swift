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
        var out: [UInt8] = []
        out.reserveCapacity(communes.count * 48)
        for c in communes {
            for field in [c.code, c.name, c.departement, c.region] {
                guard field.utf8.count <= UInt8.max else {
                    throw GeoPackageError(path: path, message: "commune \(c.code) : champ de plus de 255 octets")
                }
                out.append(UInt8(field.utf8.count))
                out += field.utf8
            }
            guard let population = UInt32(exactly: c.population) else {
                throw GeoPackageError(path: path, message: "commune \(c.code) : population \(c.population) hors bornes")
            }
            withUnsafeBytes(of: population.littleEndian) { out += $0 }
            withUnsafeBytes(of: c.areaKm2.bitPattern.littleEndian) { out += $0 }
            out.append(c.hasGeometry ? 1 : 0)
        }
        return out
    }

    /// The communes of EPCI `epci` from its record.
    ///
    /// - Throws: `GeoPackageError` naming `path`, the EPCI and the byte where the record is cut short.
    public static func decode(_ bytes: UnsafeRawBufferPointer, epci: String, path: String) throws -> [Commune] {
        var out: [Commune] = []
        out.reserveCapacity(bytes.count / 40)
        var r = Reader(bytes: bytes)
        // A commune's département and région are most often its predecessor's: reused, not decoded.
        var departement = Reader.Last()
        var region = Reader.Last()
        while !r.atEnd {
            guard let code = r.text(), let name = r.text(), let d = r.text(reusing: &departement),
                let g = r.text(reusing: &region), let (population, area, hasGeometry) = r.numbers()
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

    /// A cursor over a record: each read is nil when the record ends before it.
    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var at = 0

        /// The last text read of a field, with its bytes.
        struct Last {
            var bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            var text = ""
        }

        var atEnd: Bool { at >= bytes.count }

        /// The next field's bytes: one byte of length, then the bytes.
        mutating func field() -> UnsafeRawBufferPointer? {
            guard at < bytes.count else { return nil }
            let start = at + 1
            let end = start + Int(bytes[at])
            guard end <= bytes.count else { return nil }
            at = end
            return UnsafeRawBufferPointer(rebasing: bytes[start..<end])
        }

        mutating func text() -> String? { field().map { String(decoding: $0, as: UTF8.self) } }

        /// The next field's text, `last`'s when the bytes are the same.
        mutating func text(reusing last: inout Last) -> String? {
            guard let b = field() else { return nil }
            if !b.elementsEqual(last.bytes) { last = Last(bytes: b, text: String(decoding: b, as: UTF8.self)) }
            return last.text
        }

        /// Population, area and has-geometry.
        mutating func numbers() -> (UInt32, Double, Bool)? {
            guard at + 13 <= bytes.count else { return nil }
            defer { at += 13 }
            let population = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt32.self))
            let bits = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: at + 4, as: UInt64.self))
            return (population, Double(bitPattern: bits), bytes[at + 12] != 0)
        }
    }
}
