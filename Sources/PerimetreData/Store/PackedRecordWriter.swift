/// Writes a packed record of the GeoPackage (``EPCICommunesRecord``, ``CommuneTopologyRecord``)
/// as ``PackedRecordReader`` reads it back, little-endian. What cannot be packed is a
/// `GeoPackageError` naming `path` and `context` (what is being written).
struct PackedRecordWriter {
    let path: String
    /// What is being written, for the errors: "commune 01001", "topologie des communes".
    var context: String
    private(set) var bytes: [UInt8] = []

    init(path: String, context: String, capacity: Int = 0) {
        self.path = path
        self.context = context
        bytes.reserveCapacity(capacity)
    }

    /// One byte of length, then the UTF-8.
    mutating func text(_ s: String) throws {
        guard s.utf8.count <= UInt8.max else {
            throw GeoPackageError(path: path, message: "\(context) : champ de plus de 255 octets")
        }
        bytes.append(UInt8(s.utf8.count))
        bytes += s.utf8
    }

    /// One byte (0 absent, 1 present), then the text when present.
    mutating func optionalText(_ s: String?) throws {
        flag(s != nil)
        if let s { try text(s) }
    }

    mutating func flag(_ b: Bool) { bytes.append(b ? 1 : 0) }

    /// The 8 bytes of an IEEE 754 double.
    mutating func number(_ d: Double) { integer(d.bitPattern) }

    mutating func integer<T: FixedWidthInteger>(_ n: T) { withUnsafeBytes(of: n.littleEndian) { bytes += $0 } }

    /// `n` in 2 bytes: a list of up to 65,535 items.
    mutating func count16(_ n: Int) throws {
        guard let c = UInt16(exactly: n) else {
            throw GeoPackageError(path: path, message: "\(context) : liste de \(n) éléments")
        }
        integer(c)
    }

    /// `n` in 4 bytes.
    mutating func count32(_ n: Int) throws {
        guard let c = UInt32(exactly: n) else {
            throw GeoPackageError(path: path, message: "\(context) : liste de \(n) éléments")
        }
        integer(c)
    }
}
