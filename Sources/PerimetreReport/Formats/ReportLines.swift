extension String {
    /// Appends `s` and a line feed: how the text reports write a line.
    mutating func line(_ s: String = "") {
        self += s + "\n"
    }
}

/// Thresholds shared by the text and HTML reports.
enum ReportThresholds {
    /// Parts smaller than this (km²) are not listed: they print as 0,00 km².
    static let smallestPartKm2 = 0.005
}
