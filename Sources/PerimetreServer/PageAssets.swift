/// The page's three assets, real files under `Assets/` compiled into the binary by SwiftPM
/// (`.embedInCode` in Package.swift): served from memory, never read from disk, so the tool
/// stays one self-contained executable.
enum PageAssets {
    static let html = String(decoding: PackageResources.index_html, as: UTF8.self)
    static let css = String(decoding: PackageResources.app_css, as: UTF8.self)
    static let javascript = String(decoding: PackageResources.app_js, as: UTF8.self)
}
