/// A GeoJSON feature: properties (kept, unlike GEOS's reader) and an optional geometry.
public struct Feature: Sendable, Hashable {
    public var id: JSONValue?
    public var properties: JSONObject
    public var geometry: Shape?

    public init(id: JSONValue? = nil, properties: JSONObject = [:], geometry: Shape?) {
        self.id = id
        self.properties = properties
        self.geometry = geometry
    }
}

/// An error in a GeoJSON input, naming the file, the feature and the value.
public struct GeoJSONError: CodedError, Sendable, Equatable {
    public var source: String
    /// Zero-based feature index, when the error is inside a feature.
    public var feature: Int?
    public var message: String
    public init(source: String, feature: Int?, message: String) {
        self.source = source; self.feature = feature; self.message = message
    }
    /// Stable English code: `invalid_geojson`.
    public var code: String { "invalid_geojson" }
    public var description: String {
        if let feature { return "\(source): entité \(feature + 1) : \(message)" }
        return "\(source): \(message)"
    }
}
