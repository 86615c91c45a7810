/// An error of perimetre as the command line and the workbench present it: a stable English
/// `code` for scripts (JSON `code`), the French message a person reads (`description`), and
/// whether it is the input's fault (exit 2, HTTP 4xx) or an internal failure (exit 70, HTTP 500).
///
/// ```swift
/// catch let e as CodedError { print(e.code, e.isInternal, e) }
/// ```
public protocol CodedError: Error, CustomStringConvertible {
    /// Stable, English, snake_case: `unreadable_file`, `no_member_resolved`, `geos_failure`…
    var code: String { get }
    /// True for a failure of perimetre or of a library under it (GEOS, PROJ, an invariant), not of the input.
    var isInternal: Bool { get }
}

extension CodedError {
    /// Input errors by default: only internal failures override it.
    public var isInternal: Bool { false }
}

extension GeometryError: CodedError {
    /// `geos_failure`, `proj_failure` or `geojson_write_failure`.
    public var code: String { library == "GeoJSON" ? "geojson_write_failure" : library.lowercased() + "_failure" }
    /// GEOS and PROJ are given valid geometries and known CRS: when they fail, it is ours to fix.
    public var isInternal: Bool { true }
}
