/// The HTML report's style sheet, a real file (`Assets/report.css`) compiled into the binary by
/// SwiftPM (`.embedInCode` in Package.swift): the report stays one self-contained file and the
/// tool one executable.
enum ReportAssets {
    static let css = String(decoding: PackageResources.report_css, as: UTF8.self)
}
