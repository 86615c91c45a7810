/// Lines of a text report kept within a terminal's width: words wrapped, continuation lines indented.
enum TextColumns {
    /// The width the text reports are written for.
    static let width = 100

    /// `text` cut between words into lines of at most `width` characters, the first starting
    /// with `first`, the next ones with `indent` spaces. A word longer than a line stays whole.
    static func wrap(_ text: String, first: String, indent: Int, width: Int = width) -> [String] {
        var lines: [String] = []
        var current = first
        var fresh = true
        let pad = String(repeating: " ", count: indent)
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            if !fresh && current.count + 1 + word.count > width {
                lines.append(current)
                current = pad + word
            } else {
                current += (fresh ? "" : " ") + word
            }
            fresh = false
        }
        lines.append(current)
        return lines
    }
}

extension AuditReport {
    /// One candidature of the verdict table: id and verdict in columns, then the name and, after a
    /// dash, the findings' French labels; wrapped at 100 columns under the name.
    static func verdictRow(_ id: String, _ verdict: String, _ name: String, _ findings: String) -> [String] {
        let head =
            "  " + id.padding(toLength: 10, withPad: " ", startingAt: 0) + " "
            + verdict.padding(toLength: 10, withPad: " ", startingAt: 0) + " "
        return TextColumns.wrap(name + (findings.isEmpty ? "" : " — " + findings), first: head, indent: head.count)
    }
}
