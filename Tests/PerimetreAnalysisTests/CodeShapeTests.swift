import Testing

@testable import PerimetreAnalysis

/// Telling a member code's shape (SIREN, INSEE, name) on its bytes gives the answers of the
/// definitions by Unicode character properties, on ASCII codes and on text that is not.
@Test("Code shapes on bytes agree with the definitions by characters")
func codeShapesAgreeWithCharacterDefinitions() {
    func digits(_ s: String, _ n: Int) -> Bool { s.count == n && s.allSatisfy(\.isASCII) && s.allSatisfy(\.isNumber) }
    func insee(_ s: String) -> Bool {
        digits(s, 5)
            || (s.count == 5 && (s.hasPrefix("2A") || s.hasPrefix("2B")) && s.dropFirst(2).allSatisfy(\.isNumber))
    }
    func name(_ s: String) -> Bool { s.contains(where: \.isLetter) && !insee(s) }
    let samples = [
        "", "0", "01001", "1001", "010010", "2A004", "2B033", "2C033", "2A0O4", "2a004", "2A0045", "2A00",
        "200065647", "20006564", "2000656470", "99999", "SAINT-DENIS", "saint", "12AB", "ABCDE", "A",
        "0100\u{0661}", "2A\u{0661}\u{0662}\u{0663}", "2A\u{FF11}23", "01\u{00A0}001", "Évian", "\r\n12",
        "1\u{0301}2345", "2A00\u{0301}4", "\u{212B}", "１２３４５", "2A½12",
    ]
    for s in samples {
        #expect(Resolution.isDigits(s, 5) == digits(s, 5), "\(s.debugDescription) : 5 chiffres")
        #expect(Resolution.isDigits(s, 9) == digits(s, 9), "\(s.debugDescription) : 9 chiffres")
        #expect(Resolution.isINSEE(s) == insee(s), "\(s.debugDescription) : INSEE")
        #expect(Resolution.isName(s) == name(s), "\(s.debugDescription) : nom")
    }
    #expect(Resolution.isINSEE("2A004") && Resolution.isINSEE("01001") && !Resolution.isINSEE("2C033"))
    #expect(Resolution.isName("SAINT-DENIS") && !Resolution.isName("2A004") && !Resolution.isName("200065647"))
}
