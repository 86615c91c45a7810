public import Foundation

/// A JSON value whose objects keep their keys in insertion order, so that what perimetre
/// writes is byte-identical from run to run.
public enum JSONValue: Sendable, Hashable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// An integer (written without a decimal point).
    case int(Int)
    /// A number (finite: NaN and infinities cannot be written).
    case number(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object, its keys in order.
    case object(JSONObject)

    /// A string, or a number as text (codes typed as numbers in a property); nil otherwise.
    public var stringValue: String? {
        switch self {
        case .string(let s): s
        case .int(let i): String(i)
        case .number(let d): d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)
        default: nil
        }
    }
    /// A number as a Double; nil otherwise.
    public var doubleValue: Double? {
        switch self {
        case .int(let i): Double(i)
        case .number(let d): d
        default: nil
        }
    }
    /// The member of an object; nil when absent or not an object.
    public subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    /// Parses JSON text. Objects keep no source order (Foundation does not expose it): keys are sorted.
    public static func parse(_ data: Data) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: data)
    }
}

extension JSONValue: Decodable {
    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { return nil }
    }

    /// Decodes any JSON value; object keys are sorted (Foundation gives no source order).
    public init(from decoder: any Decoder) throws {
        if let o = try? decoder.container(keyedBy: Key.self) {
            let keys = o.allKeys.map(\.stringValue).sorted()
            self = .object(
                JSONObject(
                    try keys.map { JSONObject.Entry($0, try o.decode(JSONValue.self, forKey: Key(stringValue: $0))) }))
            return
        }
        if var a = try? decoder.unkeyedContainer() {
            var out: [JSONValue] = []
            if let n = a.count { out.reserveCapacity(n) }
            while !a.isAtEnd { out.append(try a.decode(JSONValue.self)) }
            self = .array(out)
            return
        }
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let i = try? c.decode(Int.self) {
            self = .int(i)
        } else if let d = try? c.decode(Double.self) {
            self = .number(d)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else {
            throw DecodingError.dataCorruptedError(
                in: c, debugDescription: "un nombre hors des limites d'un Double (par exemple 1e400)")
        }
    }
}

/// A JSON object with ordered keys.
public struct JSONObject: Sendable, Hashable {
    /// A key and its value.
    public struct Entry: Sendable, Hashable {
        /// The key.
        public var key: String
        /// The value.
        public var value: JSONValue
        /// An entry.
        public init(_ key: String, _ value: JSONValue) {
            self.key = key
            self.value = value
        }
    }
    /// The members, in order.
    public var entries: [Entry]
    /// An object of the given members.
    public init(_ entries: [Entry] = []) { self.entries = entries }

    /// The value of a key; setting nil removes it, setting a new key appends it.
    public subscript(key: String) -> JSONValue? {
        get { entries.first(where: { $0.key == key })?.value }
        set {
            if let i = entries.firstIndex(where: { $0.key == key }) {
                if let v = newValue { entries[i].value = v } else { entries.remove(at: i) }
            } else if let v = newValue {
                entries.append(Entry(key, v))
            }
        }
    }
    /// The keys, in order.
    public var keys: [String] { entries.map(\.key) }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    /// An object of the literal's members, in their written order.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements.map { Entry($0.0, $0.1) })
    }
}
extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByNilLiteral
{
    /// A string.
    public init(stringLiteral v: String) { self = .string(v) }
    /// An integer.
    public init(integerLiteral v: Int) { self = .int(v) }
    /// A number.
    public init(floatLiteral v: Double) { self = .number(v) }
    /// A Boolean.
    public init(booleanLiteral v: Bool) { self = .bool(v) }
    /// An array.
    public init(arrayLiteral v: JSONValue...) { self = .array(v) }
    /// `null`.
    public init(nilLiteral: ()) { self = .null }
}

/// Writes JSON deterministically: keys in object order, numbers as numbers, no NaN.
public struct JSONWriter {
    /// Whether to indent (two spaces) and break lines.
    public var pretty: Bool
    /// A writer, compact by default.
    public init(pretty: Bool = false) { self.pretty = pretty }

    /// Writes a value as JSON text.
    ///
    /// - Parameter v: The value.
    /// - Returns: The text: keys in object order, numbers as numbers.
    /// - Throws: `GeometryError` when a number is NaN or infinite (JSON cannot hold it).
    public func string(_ v: JSONValue) throws -> String {
        // Written as UTF-8 bytes, decoded once at the end: appending to a String costs a capacity
        // and UTF-8 check on every piece, and the audit's JSON is a million and a half bytes.
        var out = JSONBuffer(capacity: 4096)
        try write(v, into: &out, indent: 0)
        return out.withBytes { String(decoding: $0, as: UTF8.self) }
    }

    /// A value written as it appears at nesting `depth` of a larger document (its inner lines
    /// indented for that depth), for ``string(_:splicing:elements:)``: the pieces of a large
    /// array can then be written on several cores.
    ///
    /// - Parameters:
    ///   - v: The value.
    ///   - depth: Its depth in the document: 2 for an element of an array held by the root object.
    /// - Returns: Its UTF-8 text.
    /// - Throws: `GeometryError` when a number is NaN or infinite.
    public func fragment(_ v: JSONValue, depth: Int) throws -> [UInt8] {
        var out = JSONBuffer(capacity: 1024)
        try write(v, into: &out, indent: depth)
        return out.array
    }

    /// ``fragment(_:depth:)`` in a buffer first sized as `scratch`'s capacity, which keeps the
    /// largest size seen: thousands of fragments of 15 kB each then grow no buffer from empty.
    public func fragment(_ v: JSONValue, depth: Int, scratch: inout [UInt8]) throws -> [UInt8] {
        var out = JSONBuffer(capacity: scratch.capacity)
        try write(v, into: &out, indent: depth)
        if out.count > scratch.capacity { scratch.reserveCapacity(out.count) }
        return out.array
    }

    /// ``fragment(_:depth:)`` of `object` with one more entry, `key`, an array of `strings`:
    /// written from the strings themselves, with no ``JSONValue`` made for each (the 5,000
    /// overlaps between 1,000 options name 270,000 communes).
    ///
    /// ```swift
    /// let w = JSONWriter(pretty: true)
    /// try w.fragment(["a": "x"], appending: "communes", strings: ["01001"], depth: 2)
    /// // same as w.fragment(.object(["a": "x", "communes": ["01001"]]), depth: 2)
    /// ```
    /// - Throws: `GeometryError` when a number of `object` is NaN or infinite.
    public func fragment(
        _ object: JSONObject, appending key: String, strings: [String], depth: Int
    ) throws -> [UInt8] {
        var out = JSONBuffer(capacity: 256 + 10 * strings.count)
        let last = object.entries.count
        var k = 0
        try writeObject(object.entries + [JSONObject.Entry(key, .null)], into: &out, indent: depth) { e, out in
            defer { k += 1 }
            guard k == last else { return try write(e.value, into: &out, indent: depth + 1) }
            writeArray(count: strings.count, into: &out, indent: depth + 1) { i, out in
                JSONWriter.escape(strings[i], into: &out)
            }
        }
        return out.array
    }

    /// The text of `object` with the value at `key` replaced by the array of `elements`, each
    /// already written by ``fragment(_:depth:)`` at depth 2: the same bytes as ``string(_:)`` of
    /// the object with that array in place.
    ///
    /// ```swift
    /// let w = JSONWriter(pretty: true)
    /// let items = try [1, 2].map { try w.fragment(.int($0), depth: 2) }   // on several cores
    /// try w.string(JSONObject([.init("items", .null)]), splicing: "items", elements: items)
    /// // same as w.string(.object(JSONObject([.init("items", [1, 2])])))
    /// ```
    /// - Parameters:
    ///   - object: The root object; its entry `key` (any value) gives the array's place.
    ///   - key: The key of the array.
    ///   - elements: The array's elements, written.
    /// - Returns: The text.
    /// - Throws: `GeometryError` when a number is NaN or infinite.
    public func string(_ object: JSONObject, splicing key: String, elements: [[UInt8]]) throws -> String {
        String(decoding: try bytes(object, splicing: [key: elements]), as: UTF8.self)
    }

    /// The UTF-8 text of `object` with the value at each key of `arrays` replaced by the array
    /// of its elements, each written by ``fragment(_:depth:)`` at depth 2, as
    /// ``string(_:splicing:elements:)`` does for one key. Bytes rather than a string: a report
    /// of megabytes goes to its file as it is, with no UTF-8 check nor copy.
    ///
    /// - Parameters:
    ///   - object: The root object; its entry at each key of `arrays` gives that array's place.
    ///   - arrays: The elements of each array, written.
    /// - Returns: The text's bytes.
    /// - Throws: `GeometryError` when a number is NaN or infinite.
    public func bytes(_ object: JSONObject, splicing arrays: [String: [[UInt8]]]) throws -> [UInt8] {
        JSONWriter.joined(try pieces(object, splicing: arrays))
    }

    /// The pieces one after the other, in a buffer sized once (a buffer grown past its estimate
    /// is copied whole: 15 MB for 1,000 options).
    ///
    /// - Parameter pieces: Bytes.
    /// - Returns: Their concatenation.
    public static func joined(_ pieces: [[UInt8]]) -> [UInt8] {
        if pieces.count == 1 { return pieces[0] }
        var out: [UInt8] = []
        out.reserveCapacity(pieces.reduce(0) { $0 + $1.count })
        for p in pieces { out.append(contentsOf: p) }
        return out
    }

    /// The text of ``bytes(_:splicing:)`` as pieces to write one after the other: the spliced
    /// elements are pieces of their own, not copied into one buffer.
    ///
    /// ```swift
    /// let w = JSONWriter(pretty: true)
    /// let items = try [1, 2].map { try w.fragment(.int($0), depth: 2) }
    /// let pieces = try w.pieces(JSONObject([.init("items", .null)]), splicing: ["items": items])
    /// Array(pieces.joined()) == (try w.bytes(JSONObject([.init("items", .null)]), splicing: ["items": items]))
    /// ```
    /// - Parameters:
    ///   - object: The root object; its entry at each key of `arrays` gives that array's place.
    ///   - arrays: The elements of each array, written by ``fragment(_:depth:)`` at depth 2.
    /// - Returns: The text's bytes, in pieces.
    /// - Throws: `GeometryError` when a number is NaN or infinite.
    public func pieces(_ object: JSONObject, splicing arrays: [String: [[UInt8]]]) throws -> [[UInt8]] {
        var pieces: [[UInt8]] = []
        var out = JSONBuffer(capacity: 4096)
        try writeObject(object.entries, into: &out, indent: 0) { e, out in
            guard let elements = arrays[e.key] else { return try write(e.value, into: &out, indent: 1) }
            writeArray(count: elements.count, into: &out, indent: 1) { i, out in
                pieces.append(out.array)
                out.removeAll()
                pieces.append(elements[i])
            }
        }
        pieces.append(out.array)
        return pieces
    }

    func write(_ v: JSONValue, into out: inout JSONBuffer, indent: Int) throws {
        switch v {
        case .null: out.append("null")
        case .bool(let b): out.append(b ? "true" : "false")
        case .int(let i): out.append(String(i))
        case .number(let d): out.append(try JSONWriter.number(d))
        case .string(let s): JSONWriter.escape(s, into: &out)
        case .array(let a):
            try writeArray(count: a.count, into: &out, indent: indent) { i, out in
                try write(a[i], into: &out, indent: indent + 1)
            }
        case .object(let o):
            try writeObject(o.entries, into: &out, indent: indent) { e, out in
                try write(e.value, into: &out, indent: indent + 1)
            }
        }
    }

    /// An array of `count` elements at depth `indent`, each written by `element` at `indent + 1`.
    private func writeArray(
        count: Int, into out: inout JSONBuffer, indent: Int, _ element: (Int, inout JSONBuffer) throws -> Void
    ) rethrows {
        if count == 0 {
            out.append("[]")
            return
        }
        out.append(UInt8(ascii: "["))
        for i in 0..<count {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            if pretty { newline(indent + 1, into: &out) }
            try element(i, &out)
        }
        if pretty { newline(indent, into: &out) }
        out.append(UInt8(ascii: "]"))
    }

    /// An object's entries at depth `indent`, each value written by `value` at `indent + 1`.
    private func writeObject(
        _ entries: [JSONObject.Entry], into out: inout JSONBuffer, indent: Int,
        _ value: (JSONObject.Entry, inout JSONBuffer) throws -> Void
    ) rethrows {
        if entries.isEmpty {
            out.append("{}")
            return
        }
        out.append(UInt8(ascii: "{"))
        for (i, e) in entries.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            if pretty { newline(indent + 1, into: &out) }
            JSONWriter.escape(e.key, into: &out)
            out.append(UInt8(ascii: ":"))
            if pretty { out.append(UInt8(ascii: " ")) }
            try value(e, &out)
        }
        if pretty { newline(indent, into: &out) }
        out.append(UInt8(ascii: "}"))
    }

    private func newline(_ indent: Int, into out: inout JSONBuffer) {
        // A line break and its indentation copied at once: 15 MB of JSON have a million of them.
        let n = 2 * indent + 1
        guard n <= JSONWriter.newlineAndSpaces.count else {
            out.append(UInt8(ascii: "\n"))
            for _ in 0..<(2 * indent) { out.append(UInt8(ascii: " ")) }
            return
        }
        JSONWriter.newlineAndSpaces.withUnsafeBufferPointer { out.append(UnsafeBufferPointer(rebasing: $0[0..<n])) }
    }

    /// A line break and the indentation of 31 levels.
    private static let newlineAndSpaces: [UInt8] = [UInt8(ascii: "\n")] + Array(repeating: UInt8(ascii: " "), count: 62)

    /// Shortest round-trip representation of a finite double; throws on NaN and infinities.
    public static func number(_ d: Double) throws -> String {
        guard d.isFinite else {
            throw GeometryError(
                library: "GeoJSON", operation: "write", message: "refusing to write a non-finite number (\(d))")
        }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return "\(d)"
    }

    /// A double rounded to `decimals` places, written without trailing zeros and without
    /// exponent; deterministic and fast (integer arithmetic, no locale).
    public static func fixed(_ d: Double, decimals: Int, into out: inout String) {
        let scale = pow10[decimals]
        let scaled = (d * scale).rounded()
        guard abs(scaled) < 9.0e18 else {
            // Beyond Int64 (large projected values at high precision): C formatting, zeros trimmed.
            var s = String(format: "%.\(decimals)f", d)
            if s.contains(".") {
                while s.hasSuffix("0") { s.removeLast() }
                if s.hasSuffix(".") { s.removeLast() }
            }
            out += s
            return
        }
        var n = Int64(scaled)
        if n == 0 {
            out += "0"
            return
        }
        if n < 0 {
            out += "-"
            n = -n
        }
        let unit = Int64(scale)
        let ip = n / unit
        var fp = n % unit
        out += String(ip)
        if fp == 0 { return }
        var digits = decimals
        while fp % 10 == 0 {
            fp /= 10
            digits -= 1
        }
        let f = String(fp)
        out += "."
        if f.count < digits { out += String(repeating: "0", count: digits - f.count) }
        out += f
    }

    static let pow10: [Double] = (0...15).map { Foundation.pow(10.0, Double($0)) }

    static func escape(_ s: String, into out: inout JSONBuffer) {
        out.append(UInt8(ascii: "\""))
        // Most strings (codes, names) need no escape: appended whole, from their bytes in place
        // (a String's UTF-8 view is read through a generic witness a byte at a time otherwise).
        var s = s
        let plain = s.withUTF8 { b -> Bool in
            for byte in b where byte < 0x20 || byte == 0x22 || byte == 0x5C { return false }
            out.append(b)
            return true
        }
        if !plain {
            for b in s.utf8 {
                switch b {
                case 0x22: out.append(#"\""#)
                case 0x5C: out.append(#"\\"#)
                case 0x0A: out.append(#"\n"#)
                case 0x0D: out.append(#"\r"#)
                case 0x09: out.append(#"\t"#)
                case ..<0x20: out.append(String(format: "\\u%04x", b))
                default: out.append(b)
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// As the buffer version, for writers that build a String (GeoJSON's keys).
    static func escape(_ s: String, into out: inout String) {
        var bytes = JSONBuffer(capacity: s.utf8.count + 2)
        escape(s, into: &bytes)
        out += bytes.withBytes { String(decoding: $0, as: UTF8.self) }
    }
}

/// The bytes a ``JSONWriter`` appends to: a buffer it alone owns (not copyable), so that an
/// append is a capacity check and a store, where an Array's also checks each time that its
/// storage is not shared (a third of the time of writing the audit's JSON).
struct JSONBuffer: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// The bytes written.
    private(set) var count = 0

    /// An empty buffer with room for `capacity` bytes.
    init(capacity: Int) {
        self.capacity = Swift.max(capacity, 64)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        if count == capacity { grow(to: count + 1) }
        base[count] = byte
        count += 1
    }

    @inline(__always)
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        if count + bytes.count > capacity { grow(to: count + bytes.count) }
        (base + count).initialize(from: source, count: bytes.count)
        count += bytes.count
    }

    mutating func append(_ text: StaticString) { text.withUTF8Buffer { append($0) } }

    mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { append($0) }
    }

    /// Empties the buffer, keeping its room.
    mutating func removeAll() { count = 0 }

    /// The bytes written, lent to `body`.
    func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: base, count: count))
    }

    /// A copy of the bytes written.
    var array: [UInt8] { [UInt8](UnsafeBufferPointer(start: base, count: count)) }

    private mutating func grow(to needed: Int) {
        let larger = Swift.max(needed, 2 * capacity)
        let new = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
        new.initialize(from: base, count: count)
        base.deallocate()
        base = new
        capacity = larger
    }
}
