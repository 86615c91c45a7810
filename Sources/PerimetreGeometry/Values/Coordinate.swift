/// A 2-D coordinate. In lon/lat data, `x` is the longitude and `y` the latitude.
public struct Coordinate: Sendable, Hashable {
    /// Easting or longitude.
    public var x: Double
    /// Northing or latitude.
    public var y: Double
    /// A coordinate (x, y).
    public init(_ x: Double, _ y: Double) {
        self.x = x
        self.y = y
    }
    /// A coordinate (x, y).
    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}

/// An axis-aligned bounding box.
public struct Envelope: Sendable, Hashable {
    /// Smallest x.
    public var minX: Double
    /// Smallest y.
    public var minY: Double
    /// Largest x.
    public var maxX: Double
    /// Largest y.
    public var maxY: Double
    /// A box of the given bounds.
    public init(minX: Double, minY: Double, maxX: Double, maxY: Double) {
        self.minX = minX
        self.minY = minY
        self.maxX = maxX
        self.maxY = maxY
    }
    /// The empty envelope (inverted bounds), neutral for `union`.
    public static let empty = Envelope(minX: .infinity, minY: .infinity, maxX: -.infinity, maxY: -.infinity)
    /// Whether the box holds no point (inverted bounds).
    public var isEmpty: Bool { minX > maxX || minY > maxY }
    /// The box's centre.
    public var center: Coordinate { Coordinate((minX + maxX) / 2, (minY + maxY) / 2) }
    /// Its extent on x.
    public var width: Double { maxX - minX }
    /// Its extent on y.
    public var height: Double { maxY - minY }
    /// The planar distance between the boxes (0 when they meet): a lower bound of the distance
    /// between any geometries they hold. Zero when either box is empty, so that a bound never
    /// hides a pair.
    ///
    /// ```swift
    /// Envelope(minX: 0, minY: 0, maxX: 1, maxY: 1).distance(to: Envelope(minX: 4, minY: 5, maxX: 6, maxY: 6))  // 5
    /// ```
    public func distance(to o: Envelope) -> Double {
        if isEmpty || o.isEmpty { return 0 }
        let dx = Swift.max(0, o.minX - maxX, minX - o.maxX)
        let dy = Swift.max(0, o.minY - maxY, minY - o.maxY)
        return (dx * dx + dy * dy).squareRoot()
    }
    /// The smallest box holding both.
    public func union(_ o: Envelope) -> Envelope {
        Envelope(minX: min(minX, o.minX), minY: min(minY, o.minY), maxX: max(maxX, o.maxX), maxY: max(maxY, o.maxY))
    }
    /// The box widened by `d` on every side.
    public func expanded(by d: Double) -> Envelope {
        Envelope(minX: minX - d, minY: minY - d, maxX: maxX + d, maxY: maxY + d)
    }
    /// Whether the two boxes meet (touching counts).
    public func intersects(_ o: Envelope) -> Bool {
        !(o.minX > maxX || o.maxX < minX || o.minY > maxY || o.maxY < minY)
    }
    /// The overlap of two boxes (empty when they do not meet).
    public func intersectionBox(_ o: Envelope) -> Envelope {
        Envelope(minX: max(minX, o.minX), minY: max(minY, o.minY), maxX: min(maxX, o.maxX), maxY: min(maxY, o.maxY))
    }
    /// Widens the box to hold `c`.
    public mutating func include(_ c: Coordinate) {
        minX = min(minX, c.x)
        minY = min(minY, c.y)
        maxX = max(maxX, c.x)
        maxY = max(maxY, c.y)
    }
}
