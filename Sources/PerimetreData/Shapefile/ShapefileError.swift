/// A shapefile that could not be read: the path and why.
///
/// ```swift
/// do { _ = try ShapefileReader.read(path: "missing.shp") }
/// catch let e as ShapefileError { print(e) }   // "missing.shp: no such file"
/// ```
public struct ShapefileError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}
