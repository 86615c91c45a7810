/// A cursor over a packed record of the GeoPackage (``EPCICommunesRecord``,
/// ``CommuneTopologyRecord``), little-endian: each read is nil when the record ends before it,
/// which the record's decoder reports as a record cut short.
struct PackedRecordReader {
    let bytes: UnsafeRawBufferPointer
    var at = 0

    /// The last text read of a field, with its bytes: a field often repeats the one before (a
    /// commune's département, a pair's EPCI), and is then not decoded again.
    struct Last {
        var bytes = UnsafeRawBufferPointer(start: nil, count: 0)
        var text = ""
    }

    var atEnd: Bool { at >= bytes.count }

    /// The next field's bytes: one byte of length, then the bytes.
    mutating func field() -> UnsafeRawBufferPointer? {
        guard at < bytes.count else { return nil }
        let start = at + 1
        let end = start + Int(bytes[at])
        guard end <= bytes.count else { return nil }
        at = end
        return UnsafeRawBufferPointer(rebasing: bytes[start..<end])
    }

    /// The next field as text.
    mutating func text() -> String? { field().map { String(decoding: $0, as: UTF8.self) } }

    /// The next field's text, `last`'s when the bytes are the same.
    mutating func text(reusing last: inout Last) -> String? {
        guard let b = field() else { return nil }
        if !b.elementsEqual(last.bytes) { last = Last(bytes: b, text: String(decoding: b, as: UTF8.self)) }
        return last.text
    }

    /// An optional text: one byte (0 absent, 1 present), then the field when present. Nil when
    /// the record ends or the byte is neither, `.some(nil)` when absent.
    mutating func optionalText(reusing last: inout Last) -> String?? {
        guard let present = byte(), present <= 1 else { return nil }
        if present == 0 { return .some(nil) }
        guard let text = text(reusing: &last) else { return nil }
        return .some(text)
    }

    mutating func byte() -> UInt8? {
        guard at < bytes.count else { return nil }
        defer { at += 1 }
        return bytes[at]
    }

    /// The 8 bytes of an IEEE 754 double.
    mutating func number() -> Double? { load(UInt64.self).map { Double(bitPattern: $0) } }

    mutating func count16() -> Int? { load(UInt16.self).map(Int.init) }

    mutating func count32() -> Int? { load(UInt32.self).map(Int.init) }

    /// The next little-endian integer of type `T`.
    mutating func load<T: FixedWidthInteger>(_: T.Type) -> T? {
        let size = MemoryLayout<T>.size
        guard at + size <= bytes.count else { return nil }
        defer { at += size }
        return T(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: T.self))
    }
}
