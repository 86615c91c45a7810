/// The SQL of the GeoPackage 1.3 core tables, their required rows, and the R-tree
/// extension, as GDAL/QGIS expect them.
enum GeoPackageSchema {
    /// `PRAGMA application_id`: 'GPKG' in ASCII.
    static let applicationID: Int32 = 0x4750_4B47
    /// `PRAGMA user_version`: GeoPackage 1.3.0.
    static let userVersion: Int32 = 10300

    static let coreTables = """
        CREATE TABLE gpkg_spatial_ref_sys (
          srs_name TEXT NOT NULL,
          srs_id INTEGER NOT NULL PRIMARY KEY,
          organization TEXT NOT NULL,
          organization_coordsys_id INTEGER NOT NULL,
          definition TEXT NOT NULL,
          description TEXT);
        CREATE TABLE gpkg_contents (
          table_name TEXT NOT NULL PRIMARY KEY,
          data_type TEXT NOT NULL,
          identifier TEXT UNIQUE,
          description TEXT DEFAULT '',
          last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
          min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE,
          srs_id INTEGER,
          CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
        CREATE TABLE gpkg_geometry_columns (
          table_name TEXT NOT NULL,
          column_name TEXT NOT NULL,
          geometry_type_name TEXT NOT NULL,
          srs_id INTEGER NOT NULL,
          z TINYINT NOT NULL,
          m TINYINT NOT NULL,
          CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
          CONSTRAINT uk_gc_table_name UNIQUE (table_name),
          CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
          CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
        CREATE TABLE gpkg_extensions (
          table_name TEXT,
          column_name TEXT,
          extension_name TEXT NOT NULL,
          definition TEXT NOT NULL,
          scope TEXT NOT NULL,
          CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name));
        """

    struct SRS {
        var id: Int32, name: String, organization: String, code: Int32, definition: String, description: String
    }

    /// The three rows every GeoPackage must have (spec requirement 11).
    static let requiredSRS: [SRS] = [
        SRS(
            id: -1, name: "Undefined cartesian SRS", organization: "NONE", code: -1, definition: "undefined",
            description: "undefined cartesian coordinate reference system"),
        SRS(
            id: 0, name: "Undefined geographic SRS", organization: "NONE", code: 0, definition: "undefined",
            description: "undefined geographic coordinate reference system"),
        SRS(
            id: 4326, name: "WGS 84 geodetic", organization: "EPSG", code: 4326, definition: wgs84,
            description: "longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid"),
    ]

    /// Definitions known here; any other EPSG code is written with an `undefined`
    /// definition, which GDAL resolves from the organization and code.
    static func srs(_ id: Int32) -> SRS {
        if let known = requiredSRS.first(where: { $0.id == id }) { return known }
        if id == 2154 {
            return SRS(
                id: 2154, name: "RGF93 v1 / Lambert-93", organization: "EPSG", code: 2154,
                definition: lambert93, description: "France métropolitaine, Lambert-93 projection")
        }
        return SRS(id: id, name: "EPSG:\(id)", organization: "EPSG", code: id, definition: "undefined", description: "")
    }

    static let wgs84 =
        #"GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]"#

    static let lambert93 =
        #"PROJCS["RGF93 v1 / Lambert-93",GEOGCS["RGF93 v1",DATUM["Reseau_Geodesique_Francais_1993_v1",SPHEROID["GRS 1980",6378137,298.257222101,AUTHORITY["EPSG","7019"]],TOWGS84[0,0,0,0,0,0,0],AUTHORITY["EPSG","6171"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4171"]],PROJECTION["Lambert_Conformal_Conic_2SP"],PARAMETER["latitude_of_origin",46.5],PARAMETER["central_meridian",3],PARAMETER["standard_parallel_1",49],PARAMETER["standard_parallel_2",44],PARAMETER["false_easting",700000],PARAMETER["false_northing",6600000],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AXIS["Easting",EAST],AXIS["Northing",NORTH],AUTHORITY["EPSG","2154"]]"#

    static let rtreeExtension = "gpkg_rtree_index"
    static let rtreeDefinition = "http://www.geopackage.org/spec120/#extension_rtree"

    static func rtreeName(_ table: String, _ column: String) -> String { "rtree_\(table)_\(column)" }

    /// The spec's maintenance triggers (Annex F.3, 1.3 wording). They are created after the
    /// bulk load so inserts pay nothing; they keep the index right when QGIS edits the
    /// layer later (ST_* functions are provided by GDAL/SpatiaLite then, never needed here).
    static func rtreeTriggers(table t: String, geometry c: String, fid i: String) -> String {
        let rt = quoted(rtreeName(t, c))
        let (qt, qc, qi) = (quoted(t), quoted(c), quoted(i))
        func name(_ suffix: String) -> String { quoted("rtree_\(t)_\(c)_\(suffix)") }
        let values = "NEW.\(qi), ST_MinX(NEW.\(qc)), ST_MaxX(NEW.\(qc)), ST_MinY(NEW.\(qc)), ST_MaxY(NEW.\(qc))"
        return """
            CREATE TRIGGER \(name("insert")) AFTER INSERT ON \(qt)
              WHEN (NEW.\(qc) NOT NULL AND NOT ST_IsEmpty(NEW.\(qc)))
            BEGIN INSERT OR REPLACE INTO \(rt) VALUES (\(values)); END;
            CREATE TRIGGER \(name("update1")) AFTER UPDATE OF \(qc) ON \(qt)
              WHEN OLD.\(qi) = NEW.\(qi) AND (NEW.\(qc) NOTNULL AND NOT ST_IsEmpty(NEW.\(qc)))
            BEGIN INSERT OR REPLACE INTO \(rt) VALUES (\(values)); END;
            CREATE TRIGGER \(name("update2")) AFTER UPDATE OF \(qc) ON \(qt)
              WHEN OLD.\(qi) = NEW.\(qi) AND (NEW.\(qc) ISNULL OR ST_IsEmpty(NEW.\(qc)))
            BEGIN DELETE FROM \(rt) WHERE id = OLD.\(qi); END;
            CREATE TRIGGER \(name("update3")) AFTER UPDATE ON \(qt)
              WHEN OLD.\(qi) != NEW.\(qi) AND (NEW.\(qc) NOTNULL AND NOT ST_IsEmpty(NEW.\(qc)))
            BEGIN DELETE FROM \(rt) WHERE id = OLD.\(qi); INSERT OR REPLACE INTO \(rt) VALUES (\(values)); END;
            CREATE TRIGGER \(name("update4")) AFTER UPDATE ON \(qt)
              WHEN OLD.\(qi) != NEW.\(qi) AND (NEW.\(qc) ISNULL OR ST_IsEmpty(NEW.\(qc)))
            BEGIN DELETE FROM \(rt) WHERE id IN (OLD.\(qi), NEW.\(qi)); END;
            CREATE TRIGGER \(name("delete")) AFTER DELETE ON \(qt)
              WHEN OLD.\(qc) NOT NULL
            BEGIN DELETE FROM \(rt) WHERE id = OLD.\(qi); END;
            """
    }
}
