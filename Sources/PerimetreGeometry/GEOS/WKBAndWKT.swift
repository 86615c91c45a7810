internal import CGEOS

extension GeosContext {
    /// Reads ISO/OGC WKB (either byte order).
    public func readWKB(_ wkb: WKBGeometry) throws -> Geometry {
        try readWKB(wkb.bytes[...])
    }

    /// Reads WKB from a slice of bytes (e.g. the part of a GeoPackage blob after its header).
    public func readWKB(_ bytes: ArraySlice<UInt8>) throws -> Geometry {
        guard let reader = GEOSWKBReader_create_r(handle) else { throw fail("readWKB") }
        defer { GEOSWKBReader_destroy_r(handle, reader) }
        let g = bytes.withUnsafeBufferPointer { buf in
            GEOSWKBReader_read_r(handle, reader, buf.baseAddress, buf.count)
        }
        return try own(g, "readWKB")
    }

    /// Reads WKT, e.g. `POLYGON((0 0, 1 0, 1 1, 0 0))`.
    public func readWKT(_ wkt: String) throws -> Geometry {
        guard let reader = GEOSWKTReader_create_r(handle) else { throw fail("readWKT") }
        defer { GEOSWKTReader_destroy_r(handle, reader) }
        return try own(GEOSWKTReader_read_r(handle, reader, wkt), "readWKT")
    }
}

extension Geometry {
    /// Little-endian 2-D ISO WKB.
    public func wkb() throws -> WKBGeometry {
        guard let writer = GEOSWKBWriter_create_r(h) else { throw context.fail("wkb") }
        defer { GEOSWKBWriter_destroy_r(h, writer) }
        GEOSWKBWriter_setOutputDimension_r(h, writer, 2)
        GEOSWKBWriter_setByteOrder_r(h, writer, Int32(GEOS_WKB_NDR.rawValue))
        var size = 0
        guard let buf = GEOSWKBWriter_write_r(h, writer, handle, &size) else { throw context.fail("wkb") }
        defer { GEOSFree_r(h, buf) }
        return WKBGeometry(Array(UnsafeBufferPointer(start: buf, count: size)))
    }

    /// WKT, trimmed of useless trailing zeros; `precision` fixes the number of decimals.
    public func wkt(precision: Int? = nil) throws -> String {
        guard let writer = GEOSWKTWriter_create_r(h) else { throw context.fail("wkt") }
        defer { GEOSWKTWriter_destroy_r(h, writer) }
        GEOSWKTWriter_setTrim_r(h, writer, 1)
        if let precision { GEOSWKTWriter_setRoundingPrecision_r(h, writer, Int32(precision)) }
        guard let s = GEOSWKTWriter_write_r(h, writer, handle) else { throw context.fail("wkt") }
        defer { GEOSFree_r(h, s) }
        return String(cString: s)
    }
}
