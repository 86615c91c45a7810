import PerimetreGeometry

/// Walks ISO/OGC WKB (and the Z/M/SRID flags of PostGIS EWKB) without building a geometry,
/// to find its bounding box: the R-tree and the GeoPackage header need it when the caller
/// gave none. Every read is bounds-checked, so hostile bytes give nil, never a crash.
struct WKBScanner {
    private let bytes: UnsafeRawBufferPointer
    private var offset = 0
    private(set) var envelope = Envelope.empty

    /// Deep enough for any real collection, shallow enough that a crafted blob
    /// of nested collections cannot exhaust the stack.
    private static let maxDepth = 32

    private init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    /// The envelope of the WKB (``Envelope/empty`` for an empty geometry), or nil if the
    /// bytes are not well-formed 2-D/3-D/4-D WKB of the seven simple-feature types.
    static func envelope(of wkb: UnsafeRawBufferPointer) -> Envelope? {
        var s = WKBScanner(wkb)
        guard s.geometry(depth: 0) else { return nil }
        return s.envelope
    }

    static func envelope(of wkb: [UInt8]) -> Envelope? {
        wkb.withUnsafeBytes { envelope(of: $0) }
    }

    private mutating func byte() -> UInt8? {
        guard offset < bytes.count else { return nil }
        defer { offset += 1 }
        return bytes[offset]
    }

    private mutating func uint32(_ little: Bool) -> UInt32? {
        guard bytes.count - offset >= 4 else { return nil }
        let raw = bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
        offset += 4
        return little ? UInt32(littleEndian: raw) : UInt32(bigEndian: raw)
    }

    private mutating func double(_ little: Bool) -> Double? {
        guard bytes.count - offset >= 8 else { return nil }
        let raw = bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
        offset += 8
        return Double(bitPattern: little ? UInt64(littleEndian: raw) : UInt64(bigEndian: raw))
    }

    /// Reads `count` points of `dims` doubles, after checking they fit in what is left.
    private mutating func points(_ count: UInt32, dims: Int, _ little: Bool) -> Bool {
        let need = Int(count).multipliedReportingOverflow(by: dims * 8)
        guard !need.overflow, need.partialValue <= bytes.count - offset else { return false }
        for _ in 0..<count {
            guard let x = double(little), let y = double(little) else { return false }
            offset += (dims - 2) * 8
            // An empty point is written as NaN coordinates: it adds nothing to the box.
            if !x.isNaN, !y.isNaN { envelope.include(Coordinate(x, y)) }
        }
        return true
    }

    private mutating func geometry(depth: Int) -> Bool {
        guard depth <= Self.maxDepth, let order = byte(), order <= 1 else { return false }
        let little = order == 1
        guard var type = uint32(little) else { return false }
        var dims = 2
        // EWKB flags.
        if type & 0x8000_0000 != 0 { dims += 1 }
        if type & 0x4000_0000 != 0 { dims += 1 }
        if type & 0x2000_0000 != 0 { guard uint32(little) != nil else { return false } }
        type &= 0x0FFF_FFFF
        // ISO: 1000s add Z, 2000s add M, 3000s add both.
        switch type / 1000 {
        case 0: break
        case 1, 2: dims += 1
        case 3: dims += 2
        default: return false
        }
        guard dims <= 4 else { return false }
        switch type % 1000 {
        case 1:
            return points(1, dims: dims, little)
        case 2:
            guard let n = uint32(little) else { return false }
            return points(n, dims: dims, little)
        case 3:
            guard let rings = uint32(little), Int(rings) <= (bytes.count - offset) / 4 else { return false }
            for _ in 0..<rings {
                guard let n = uint32(little), points(n, dims: dims, little) else { return false }
            }
            return true
        case 4, 5, 6, 7:
            // Each part takes at least 5 bytes, which bounds the loop on a lying count.
            guard let n = uint32(little), Int(n) <= (bytes.count - offset) / 5 else { return false }
            for _ in 0..<n {
                guard geometry(depth: depth + 1) else { return false }
            }
            return true
        default:
            return false
        }
    }
}
