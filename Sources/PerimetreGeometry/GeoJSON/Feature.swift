/// A GeoJSON feature: properties (kept, unlike GEOS's reader) and an optional geometry.
public struct Feature: Sendable, Hashable {
    /// The feature's `id` member, when it has one.
    public var id: JSONValue?
    /// Its properties, in their order in the file.
    public var properties: JSONObject
    /// Its geometry, lon/lat; nil for a `null` geometry.
    public var geometry: Shape?

    /// A feature of the given id, properties and geometry.
    public init(id: JSONValue? = nil, properties: JSONObject = [:], geometry: Shape?) {
        self.id = id
        self.properties = properties
        self.geometry = geometry
    }
}

/// An error in a GeoJSON input, naming the file, the feature and the value.
public struct GeoJSONError: CodedError, Sendable, Equatable {
    /// The file (or origin).
    public var source: String
    /// Zero-based feature index, when the error is inside a feature.
    public var feature: Int?
    /// What is wrong, in French.
    public var message: String
    /// An error in a source, inside a feature or not.
    public init(source: String, feature: Int?, message: String) {
        self.source = source
        self.feature = feature
        self.message = message
    }
    /// Stable English code: `invalid_geojson`.
    public var code: String { "invalid_geojson" }
    /// `source: entité N : message` (N from 1), or `source: message`.
    public var description: String {
        if let feature { return "\(source): entité \(feature + 1) : \(message)" }
        return "\(source): \(message)"
    }
}
