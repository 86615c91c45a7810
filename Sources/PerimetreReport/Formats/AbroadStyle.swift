/// How the maps draw a drawn perimeter's parts outside France: each country in its own colour
/// (the same in every report), the sea hatched in blue, lakes hatched in a lighter blue.
enum AbroadStyle {
    /// Muted colours, distinct from the components' palette, for France's neighbours.
    static let colours: [String: String] = [
        "AND": "#8c6d31", "BEL": "#bd9e39", "CHE": "#ad494a", "DEU": "#636363", "ESP": "#d6616b",
        "GBR": "#6b6ecf", "ITA": "#637939", "LUX": "#8ca252", "MCO": "#a55194", "NLD": "#e7969c",
        "BRA": "#5254a3", "SUR": "#9c9ede", "AUT": "#843c39", "LIE": "#7b4173", "JEY": "#cedb9c", "GGY": "#e7cb94",
    ]
    static let fallback = ["#9467bd", "#8c564b", "#7f7f7f", "#bcbd22", "#17becf"]

    /// The colour of a country: fixed for the neighbours, else picked from the code's letters.
    static func colour(_ code: String) -> String {
        colours[code] ?? fallback[code.unicodeScalars.reduce(0) { $0 + Int($1.value) } % fallback.count]
    }

    /// SVG pattern definitions, referenced as `url(#sea-hatch)` and `url(#lake-hatch)`.
    static let patterns = """
        <defs><pattern id="sea-hatch" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">\
        <rect width="8" height="8" fill="#d6e6f5"/><line x1="0" y1="0" x2="0" y2="8" stroke="#3b7dc4" stroke-width="2"/></pattern>\
        <pattern id="lake-hatch" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(-45)">\
        <rect width="8" height="8" fill="#e3f1f7"/><line x1="0" y1="0" x2="0" y2="8" stroke="#7fb8d6" stroke-width="2"/></pattern></defs>
        """
}
