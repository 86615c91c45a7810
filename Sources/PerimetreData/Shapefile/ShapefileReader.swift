internal import CShapelib
internal import Foundation
import PerimetreGeometry

/// Reads ESRI shapefiles with shapelib: geometry from the `.shp`, attributes from the `.dbf`.
///
/// ```swift
/// let countries = try ShapefileReader.read(path: "ne_10m_admin_0_countries.shp")
/// let france = countries.first { $0.attributes["ADM0_A3"] == "FRA" }
/// france?.shape   // .multiPolygon(…)
/// ```
public enum ShapefileReader {
    /// Reads every record of the shapefile at `path` (the `.shp`; the `.dbf` beside it).
    /// Polygons come back as `.polygon`/`.multiPolygon` with closed rings and holes assigned to
    /// their outer ring; polylines as `.lineString`/`.multiLineString`; points as `.point`
    /// (multipoints as `.multiPoint`); null shapes as nil. Z and M values are dropped.
    public static func read(path: String) throws -> [ShapefileRecord] {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ShapefileError(path: path, message: "no such file")
        }
        // shapelib reports its reasons on stderr only, so name the usual suspects.
        guard let shp = SHPOpen(path, "rb") else {
            throw ShapefileError(
                path: path, message: "cannot open as a shapefile (unreadable, truncated, or its .shx is missing)")
        }
        defer { SHPClose(shp) }
        guard let dbf = DBFOpen(path, "rb") else {
            throw ShapefileError(path: path, message: "cannot open the .dbf attribute file beside it")
        }
        defer { DBFClose(dbf) }

        var count: Int32 = 0
        var type: Int32 = 0
        SHPGetInfo(shp, &count, &type, nil, nil)
        let fields = fieldNames(dbf)
        let dbfCount = DBFGetRecordCount(dbf)

        var records: [ShapefileRecord] = []
        records.reserveCapacity(Int(count))
        for i in 0..<count {
            var attributes: [String: String] = [:]
            if i < dbfCount {
                for (f, name) in fields.enumerated() {
                    let field = Int32(f)
                    if DBFIsAttributeNULL(dbf, i, field) != 0 {
                        attributes[name] = ""
                    } else {
                        attributes[name] = DBFReadStringAttribute(dbf, i, field).map(decode) ?? ""
                    }
                }
            }
            guard let object = SHPReadObject(shp, i) else {
                throw ShapefileError(path: path, message: "cannot read record \(i) of \(count) (corrupt .shp or .shx)")
            }
            defer { SHPDestroyObject(object) }
            records.append(ShapefileRecord(attributes: attributes, shape: shape(object.pointee)))
        }
        return records
    }

    private static func fieldNames(_ dbf: DBFHandle) -> [String] {
        (0..<DBFGetFieldCount(dbf)).map { i in
            // shapelib writes at most 11 characters and a NUL.
            var name = [CChar](repeating: 0, count: 12)
            _ = DBFGetFieldInfo(dbf, i, &name, nil, nil)
            return decode(name.withUnsafeBufferPointer { $0.baseAddress! })
        }
    }

    /// DBF text is UTF-8 in modern files (Natural Earth's `.cpg` says so) and Latin-1 in
    /// older French ones: take UTF-8 when the bytes are valid UTF-8, Latin-1 otherwise.
    private static func decode(_ cString: UnsafePointer<CChar>) -> String {
        let bytes = UnsafeBufferPointer(
            start: UnsafeRawPointer(cString).assumingMemoryBound(to: UInt8.self),
            count: strlen(cString))
        let text =
            String(validating: bytes, as: UTF8.self)
            ?? String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
        return text.trimmingCharacters(in: .whitespaces)
    }

    private static func shape(_ o: SHPObject) -> Shape? {
        guard o.nVertices > 0, let xs = o.padfX, let ys = o.padfY else { return nil }
        let points = (0..<Int(o.nVertices)).map { Coordinate(xs[$0], ys[$0]) }
        switch o.nSHPType {
        case SHPT_POINT, SHPT_POINTZ, SHPT_POINTM:
            return .point(points[0])
        case SHPT_MULTIPOINT, SHPT_MULTIPOINTZ, SHPT_MULTIPOINTM:
            return .multiPoint(points)
        case SHPT_ARC, SHPT_ARCZ, SHPT_ARCM:
            let lines = parts(o, points).filter { $0.count >= 2 }
            if lines.isEmpty { return nil }
            return lines.count == 1 ? .lineString(lines[0]) : .multiLineString(lines)
        case SHPT_POLYGON, SHPT_POLYGONZ, SHPT_POLYGONM:
            let polygons = ShapefileRings.polygons(parts(o, points))
            if polygons.isEmpty { return nil }
            return polygons.count == 1 ? .polygon(polygons[0]) : .multiPolygon(polygons)
        default:
            // Null shapes, and multipatches (3-D surfaces) which have no 2-D meaning here.
            return nil
        }
    }

    /// Splits the vertex list at the part starts (each start bounds-checked: files lie).
    private static func parts(_ o: SHPObject, _ points: [Coordinate]) -> [[Coordinate]] {
        guard o.nParts > 0, let starts = o.panPartStart else { return [points] }
        var out: [[Coordinate]] = []
        for p in 0..<Int(o.nParts) {
            let start = Int(starts[p])
            let end = p + 1 < Int(o.nParts) ? Int(starts[p + 1]) : points.count
            guard start >= 0, start < end, end <= points.count else { continue }
            out.append(Array(points[start..<end]))
        }
        return out
    }
}
