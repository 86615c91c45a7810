public import PerimetreGeometry

/// The GeoPackage geometry encoding (spec §2.1.3): a small header — magic `GP`, version 0,
/// flags, SRS id, optional envelope — followed by ISO WKB.
///
/// ```swift
/// let wkb = try GeosContext().readWKT("POINT(2.35 48.85)").wkb()
/// let blob = GeoPackageBlob.encode(wkb, srsID: 4326, envelope: nil)
/// let (srs, _, body) = try GeoPackageBlob.decode(blob)   // 4326, nil, the WKB bytes
/// ```
public enum GeoPackageBlob {
    /// Flag bits: 0 byte order (1 = little-endian), 1–3 envelope kind, 4 empty geometry.
    private static let littleEndianFlag: UInt8 = 0x01
    private static let emptyFlag: UInt8 = 0x10

    /// Encodes little-endian, with an `[minx, maxx, miny, maxy]` envelope (kind 1) when
    /// `envelope` is given and not empty; sets the empty flag when the WKB has no coordinates.
    public static func encode(_ wkb: WKBGeometry, srsID: Int32, envelope: Envelope?) -> [UInt8] {
        let box = envelope.flatMap { $0.isEmpty ? nil : $0 }
        // A non-empty envelope proves the geometry non-empty; otherwise look at the WKB.
        let isEmpty = box == nil && (WKBScanner.envelope(of: wkb.bytes)?.isEmpty ?? false)
        var out = [UInt8]()
        out.reserveCapacity(8 + (box == nil ? 0 : 32) + wkb.bytes.count)
        out.append(0x47)  // G
        out.append(0x50)  // P
        out.append(0)  // version 1 of the encoding
        out.append(littleEndianFlag | (box == nil ? 0 : 1 << 1) | (isEmpty ? emptyFlag : 0))
        append(UInt32(bitPattern: srsID), to: &out)
        if let box {
            for d in [box.minX, box.maxX, box.minY, box.maxY] { append(d.bitPattern, to: &out) }
        }
        out.append(contentsOf: wkb.bytes)
        return out
    }

    /// Decodes a GeoPackage geometry blob; throws GeoPackageError on a truncated/invalid header
    /// (every length is checked, so hostile bytes cannot crash).
    public static func decode(_ blob: [UInt8]) throws -> (srsID: Int32, envelope: Envelope?, wkb: ArraySlice<UInt8>) {
        let header = try blob.withUnsafeBytes { try decodeHeader($0) }
        return (header.srsID, header.envelope, blob[header.length...])
    }

    struct Header {
        var srsID: Int32
        var envelope: Envelope?
        /// Bytes before the WKB.
        var length: Int
    }

    /// Reads the header of a blob in place (used by the reader on SQLite's own buffer).
    static func decodeHeader(_ b: UnsafeRawBufferPointer) throws -> Header {
        func fail(_ why: String) -> GeoPackageError {
            GeoPackageError(path: "GeoPackage geometry blob", message: why)
        }
        guard b.count >= 8 else { throw fail("truncated header: \(b.count) bytes, need at least 8") }
        guard b[0] == 0x47, b[1] == 0x50 else {
            throw fail("signature 0x\(hex(b[0]))\(hex(b[1])) incorrecte, « GP » attendu")
        }
        guard b[2] == 0 else { throw fail("unsupported encoding version \(b[2])") }
        let flags = b[3]
        let little = flags & littleEndianFlag != 0
        let doubles: Int
        switch (flags >> 1) & 0x07 {
        case 0: doubles = 0
        case 1: doubles = 4  // xy
        case 2, 3: doubles = 6  // xyz, xym
        case 4: doubles = 8  // xyzm
        case let k: throw fail("type d'enveloppe \(k) invalide")
        }
        let length = 8 + doubles * 8
        guard b.count >= length else {
            throw fail("en-tête tronqué : \(b.count) octets, l'enveloppe en demande \(length)")
        }
        guard b.count >= length + 5 else {
            throw fail("pas de WKB après l'en-tête (\(b.count - length) octets)")
        }
        guard b[length] <= 1 else { throw fail("le WKB commence par un ordre d'octets invalide \(b[length])") }
        let rawSRS = b.loadUnaligned(fromByteOffset: 4, as: UInt32.self)
        let srsID = Int32(bitPattern: little ? UInt32(littleEndian: rawSRS) : UInt32(bigEndian: rawSRS))
        var envelope: Envelope?
        if doubles > 0 {
            func d(_ i: Int) -> Double {
                let raw = b.loadUnaligned(fromByteOffset: 8 + i * 8, as: UInt64.self)
                return Double(bitPattern: little ? UInt64(littleEndian: raw) : UInt64(bigEndian: raw))
            }
            envelope = Envelope(minX: d(0), minY: d(2), maxX: d(1), maxY: d(3))
        }
        return Header(srsID: srsID, envelope: envelope, length: length)
    }

    private static func append<T: FixedWidthInteger>(_ v: T, to out: inout [UInt8]) {
        withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) }
    }

    private static func hex(_ b: UInt8) -> String {
        let s = String(b, radix: 16, uppercase: true)
        return b < 16 ? "0" + s : s
    }
}
