public import PerimetreGeometry

/// Everything `perimetre check` finds about one perimeter. Sendable values only: the report
/// formats (text, JSON, GeoJSON, HTML) render it; the JSON schema follows its fields.
public struct CheckResult: Sendable {
    public var id: String
    public var name: String
    public var members: [ResolvedMember]
    public var unresolved: [UnresolvedMember]
    public var duplicates: [Duplicate]
    public var cutEPCI: [CutEPCI]
    public var figures: Figures
    public var contiguity: Contiguity
    public var enclaves: [Enclave]
    /// Holes narrower than the tolerance: data slivers, not enclaves.
    public var slivers: [Sliver]
    public var span: AdministrativeSpan
    public var border: BorderResult
    public var findings: [Finding]
    /// Overlaps with the territories of the `--against` layers.
    public var overlaps: [Overlap]
    /// One per CRTE layer given.
    public var crte: [CRTEAlignment]
    public var shapes: PerimeterShapes
    /// The metric CRS used for distances and tolerances.
    public var metricCRS: String
    public var options: AnalysisOptions
    /// Whether the analysis answered from the reference topology (no geometry built).
    public var fromTopology = false
    /// On the topology path, whether the members' geometry was still dissolved for the holes,
    /// area and perimeter (a neighbour's exclave meeting a member, an enclosed group whose EPCI
    /// overlap the members).
    public var dissolved = false
    /// How the codes of each `--against` layer were understood, in the order given.
    public var layers: [LayerResolution] = []
    /// What to change to meet the recommendations missed (empty with `--no-remedies`).
    public var remedies: [Remedy] = []
    /// Lon/lat shapes of the EPCI and communes the remedies add (for maps; with the map context only).
    public var remedyShapes: [String: Shape] = [:]

    /// Whether any finding is bloquant.
    public var hasBlockingFinding: Bool { findings.contains { $0.severity == .bloquant } }
}

/// How a member was resolved.
public struct ResolvedMember: Sendable, Hashable {
    public enum Kind: String, Sendable {
        /// An EPCI à fiscalité propre of the reference data.
        case epci
        /// A commune given by its INSEE code.
        case commune
        /// A commune given by its SIREN (BANATIC table).
        case communeSIREN = "commune_siren"
        /// An EPCI of an older vintage, traced to its communes through a composition table.
        case formerEPCI = "former_epci"
        /// An établissement public territorial of the Métropole du Grand Paris.
        case ept
        /// Communes covered by a drawn polygon.
        case polygon
    }
    public enum Status: String, Sendable {
        case resolved
        /// Resolved through a composition table (older vintage, commune SIREN, EPT).
        case traced
        /// Resolved after correcting the code (a leading zero lost in a spreadsheet).
        case corrected
    }
    public var code: String
    public var input: String
    public var kind: Kind
    public var name: String
    public var status: Status
    public var detail: String?
    /// INSEE codes of its communes in the reference data.
    public var communes: [String]
    public var population: Int
    public var areaKm2: Double
    /// EPCI nature (CC, CA, CU, ME) for an EPCI member.
    public var nature: String?
}

public struct Suggestion: Sendable, Hashable {
    public var code: String
    public var name: String
}

public struct UnresolvedMember: Sendable, Hashable {
    public var code: String
    public var origin: String
    public var reason: String
    public var suggestions: [Suggestion]
}

/// A code listed twice, or a commune reached through two members.
public struct Duplicate: Sendable, Hashable {
    public var code: String
    public enum Kind: String, Sendable {
        /// The same code listed twice.
        case member
        /// A commune inside two members.
        case commune
    }
    public var kind: Kind
    public var members: [String]
}

/// An EPCI only partly in the perimeter because some of its communes were listed alone.
public struct CutEPCI: Sendable, Hashable {
    public var code: String
    public var name: String
    public var communesIn: [String]
    public var communesOut: [String]
}

public struct Figures: Sendable {
    public var areaKm2: Double
    public var perimeterKm: Double
    public var population: Int
    public var communeCount: Int
    public var epciCount: Int
    /// SIREN of the EPCI the perimeter's communes belong to (whole or in part), sorted.
    public var epciCodes: [String]
    /// 4πA/P², 1 for a disc.
    public var polsbyPopper: Double
    public var bbox: Envelope
}

public struct Contiguity: Sendable {
    public struct Edge: Sendable, Hashable {
        public enum Kind: String, Sendable { case sharedBorder = "shared_border", withinTolerance = "within_tolerance" }
        public var a: String
        public var b: String
        public var kind: Kind
        /// Shared border length (m) for a shared border, gap (m) for a contact within tolerance.
        public var metres: Double
    }
    public struct Gap: Sendable, Hashable {
        /// Index in `components`.
        public var component: Int
        public var member: String
        public var nearestMainMember: String
        public var gapMetres: Double
    }
    public struct Island: Sendable, Hashable {
        public var member: String
        /// Distance (m) to the nearest land outside it (another EPCI or commune).
        public var seaGapMetres: Double
        public var nearest: String?
    }
    public struct DetachedPart: Sendable, Hashable {
        public var member: String
        public var areaKm2: Double
        public var distanceMetres: Double
    }
    public var contiguous: Bool
    public var toleranceMetres: Double
    /// Member codes of each component, the main (largest) first.
    public var components: [[String]]
    public var edges: [Edge]
    /// Pairs that meet at single points only: reported, not counted.
    public var pointContacts: [[String]]
    public var gaps: [Gap]
    public var islands: [Island]
    public var detachedParts: [DetachedPart]
}

public struct Enclave: Sendable {
    public struct Member: Sendable, Hashable {
        public var code: String
        public var name: String
        /// For an EPCI: whether all of it lies in the hole (an EPCI left out).
        public var whole: Bool
    }
    public var areaKm2: Double
    /// Width of the hole: diameter of its maximum inscribed circle (m).
    public var widthMetres: Double
    public var communes: [Member]
    public var epci: [Member]
    public var shape: Shape
}

public struct Sliver: Sendable {
    public var areaKm2: Double
    public var widthMetres: Double
}

public struct AdministrativeSpan: Sendable {
    public struct Entry: Sendable, Hashable {
        public var code: String
        public var name: String
        public var areaKm2: Double
        public var population: Int
        public var areaShare: Double
        public var populationShare: Double
        public var communeCount: Int
        /// For a région: the chef-lieu, seat of the préfecture de région.
        public var prefecture: String?
    }
    public var departements: [Entry]
    public var regions: [Entry]
    public var interdepartemental: Bool { departements.count > 1 }
    public var interregional: Bool { regions.count > 1 }
}

public struct BorderResult: Sendable {
    public struct Neighbour: Sendable, Hashable {
        public var code: String
        public var nameFR: String
        public var distanceMetres: Double
    }
    public struct Abroad: Sendable, Hashable {
        public var code: String
        public var nameFR: String
        public var areaKm2: Double
        /// Of `areaKm2`: the slivers between Natural Earth's border and the communes' (land
        /// Natural Earth draws as French, within 6 km of its border line with this country).
        public var sliverKm2: Double = 0
    }
    public var frontalier: Bool
    public var distanceMetres: Double
    /// Countries whose land border lies within the border distance.
    public var neighbours: [Neighbour]
    /// Countries whose land border lies within the search distance, nearest first.
    public var nearby: [Neighbour]
    /// For a drawn perimeter reaching outside France: its area abroad, per country.
    public var abroad: [Abroad]
    /// Area of the French part (km²), where the offre de services applies; nil when all French.
    public var frenchPartKm2: Double?
    /// Drawn perimeters reaching abroad: the part in no country's polygon (km²) — the sea, with
    /// the foreshore between Natural Earth's coastline and the communes'; nil when all French.
    public var seaKm2: Double? = nil
    /// Drawn perimeters reaching abroad: the waters of lakes that no commune covers and no
    /// neighbour's polygon holds (the French part of Lake Geneva), km²; nil when all French.
    public var lakeKm2: Double? = nil
    /// Drawn perimeters reaching abroad: the polygon's area (km²), which the French part, the
    /// countries, the lakes and the sea add up to; nil when all French.
    public var polygonKm2: Double? = nil
}

public struct Finding: Sendable, Hashable {
    public enum Severity: String, Sendable, Comparable {
        case info, attention, bloquant
        var rank: Int { self == .bloquant ? 2 : self == .attention ? 1 : 0 }
        public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
    }
    public var rule: Rule
    public var severity: Severity
    /// FAQ reference, e.g. `2.1`.
    public var faq: String?
    public var message: String
}

/// The lon/lat shapes the GeoJSON and HTML outputs draw.
public struct PerimeterShapes: Sendable {
    public var perimeter: Shape
    public var components: [Shape]
    public var members: [String: Shape]
    public var detachedParts: [Shape]
    public var frenchPart: Shape?
    /// Non-member EPCI around the perimeter (for the map), by SIREN.
    public var neighbourEPCI: [String: Shape]
    public var borders: [Shape]
    /// Drawn perimeters reaching abroad: the part in each neighbouring country, by ISO code.
    public var abroadParts: [String: Shape] = [:]
    /// Drawn perimeters reaching abroad: the part at sea, and in lakes outside any commune.
    public var seaPart: Shape? = nil
    public var lakePart: Shape? = nil
}

/// How the perimeter overlaps a territory of another layer (CRTE, TI, …).
public struct Overlap: Sendable {
    public enum Relation: String, Sendable {
        /// Same communes (or, for polygons, the same area within 1 %).
        case identical
        /// The other territory lies wholly inside the perimeter.
        case contains
        /// The perimeter lies wholly inside the other territory.
        case inside
        case partial
    }
    public var layer: String
    public var id: String
    public var name: String
    public var areaKm2: Double
    public var shareOfPerimeter: Double
    public var shareOfOther: Double
    /// Members of the other territory that share communes with the perimeter.
    public var sharedMembers: [String]
    public var relation: Relation
    /// Shared area below the sliver threshold: an edge contact, not an overlap.
    public var edgeContact: Bool
    public var shape: Shape?
}

/// Whether a perimeter is articulated with the CRTE (FAQ 2.1): a union of whole CRTE, or which it cuts.
public struct CRTEAlignment: Sendable {
    public struct Cut: Sendable {
        public var id: String
        public var name: String
        /// Perimeter members with communes in this CRTE.
        public var perimeterMembers: [String]
        /// Members of the CRTE left outside the perimeter: the cause of the cut.
        public var missingMembers: [String]
    }
    public var layer: String
    public var aligned: Bool
    /// The CRTE wholly inside the perimeter.
    public var whole: [String]
    public var cut: [Cut]
    /// Perimeter communes in no CRTE of the layer.
    public var outsideAnyCRTE: [String]
    /// Perimeter communes in no CRTE understood while the layer has codes not understood: their
    /// CRTE is unknown (never reported as outside any CRTE).
    public var unknownCRTE: [String] = []
    /// Perimeter members whose communes lie in two or more CRTE (an EPCI born of a merger of EPCI
    /// that signed different CRTE).
    public var splitMembers: [SplitMember] = []

    public struct SplitMember: Sendable {
        public struct Part: Sendable {
            public var id: String
            public var name: String
            public var communes: Int
        }
        public var code: String
        public var name: String
        /// Communes of the member (the parts add up to more when a commune is in two CRTE).
        public var communes: Int
        public var parts: [Part]
    }
}
