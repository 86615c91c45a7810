#!/usr/bin/env python3
"""Writes small seed inputs for every fuzz target into Fuzz/corpus-<target>/ (seed-* files):
excerpts of the real files of ../shared/data, the samples, the reference GeoPackage's smallest
geometry blobs and shapefiles made with ogr2ogr. Run by scripts/fuzz; idempotent."""
import json, os, shutil, sqlite3, struct, subprocess, sys, tempfile

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
shared = os.path.normpath(os.path.join(root, "..", "shared", "data"))
samples = os.path.join(root, "Samples")
gpkg = os.environ.get("PERIMETRE_GEODATA", os.path.join(root, "GeoData", "france-2026.gpkg"))


def corpus(target):
    d = os.path.join(root, "Fuzz", "corpus-" + target)
    os.makedirs(d, exist_ok=True)
    return d


def put(target, name, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(corpus(target), "seed-" + name), "wb") as f:
        f.write(data)


def head(path, lines):
    """The first `lines` lines of a file, as bytes (None when the file is missing)."""
    if not os.path.exists(path):
        return None
    out = []
    with open(path, "rb") as f:
        for i, l in enumerate(f):
            if i >= lines:
                break
            out.append(l)
    return b"".join(out)


def shared_file(*parts):
    return os.path.join(shared, *parts)


def sample_files(ext):
    return sorted(f for f in os.listdir(samples) if f.endswith(ext)) if os.path.isdir(samples) else []


def thin(coords, keep):
    """Subsamples a ring (every k-th position, closed again) so that seeds stay small."""
    if coords and isinstance(coords[0], (int, float)):
        return [round(c, 5) for c in coords]
    if coords and coords[0] and isinstance(coords[0][0], (int, float)):
        k = max(1, len(coords) // keep)
        r = [[round(x, 5) for x in p] for p in coords[::k]]
        if len(r) >= 3:
            r.append(r[0])
        else:
            r = [[round(x, 5) for x in p] for p in coords]
        return r
    return [thin(c, keep) for c in coords]


def geojson_excerpt(path, count, keep=12):
    if not os.path.exists(path):
        return None
    with open(path) as f:
        fc = json.load(f)
    feats = []
    for ft in fc.get("features", [])[:count]:
        g = ft.get("geometry")
        if g and "coordinates" in g:
            g = dict(g, coordinates=thin(g["coordinates"], keep))
        feats.append(dict(ft, geometry=g))
    return json.dumps(dict(type="FeatureCollection", features=feats), ensure_ascii=False)


# Member lists and the CSV reader.
for f in sample_files(".csv") + sample_files(".json"):
    with open(os.path.join(samples, f), "rb") as h:
        data = h.read()
    put("members", f, data)
    put("server", "members-" + f, b"\x01" + data)
for name, path, n in [("ti-2023-membres.csv", shared_file("territoires-industrie-2023-2027", "ti_2023_2027_membres.csv"), 25),
                      ("ti-149-membres.csv", shared_file("territoires-industrie-2019-2022", "ti_149_membres.csv"), 25),
                      ("epcicom.csv", shared_file("commune-epci-dgcl-2025", "epcicom2025_commune_epci.csv"), 20)]:
    data = head(path, n)
    if data:
        put("members", name, data)
        put("territories", name, data)
put("members", "bom-semicolon-crlf.csv", "\ufeffcode;nom\r\n1001;\"L'Abergement-\r\nClémenciat\"\r\n200065647;Pays de Montbéliard\r\n# commentaire\r\n")
put("members", "headerless.csv", "200065647\n200069052\n2A004\n")
put("members", "object.json", '{"id": "ti-1", "name": "Essai", "members": ["200065647", {"code": "01001", "nom": "x"}]}')

# Territory layers: the ANCT layouts (excerpts above), CRTE, TI by commune, generic, GeoJSON.
put("territories", "crte.csv", "id_crte;lib_crte;type_grp_crte;siren_groupement;nom_groupement\ncrte-1;CRTE du Pays;EPCI;200065647;Pays de Montbéliard\ncrte-1;CRTE du Pays;EPCI;200069052;Sud Territoire\n")
put("territories", "ti-communes.csv", "insee_com,lib_com,id_ti,lib_ti\n01001,L'Abergement-Clémenciat,TI-1,Dombes\n2A004,Ajaccio,TI-2,Pays ajaccien\n")
put("territories", "generic.csv", "territory_id,territory_name,member\nA,Alpha,200065647\nA,Alpha,200069052\nB,Beta,01001\n")
put("territories", "three-columns.csv", "x,y,z\nA,Alpha,200065647\n")
for name, path in [("ti-geom-2024.geojson", shared_file("territoires-industrie-2023-2027", "ti_geom_2024.geojson")),
                   ("ti-2019.geojson", shared_file("territoires-industrie-2019-2022", "polygone-4326_ti.geojson")),
                   ("etalab-epci.geojson", shared_file("epci-contours-etalab-2024", "epci_2024_100m_dedup.geojson"))]:
    text = geojson_excerpt(path, 3)
    if text:
        put("territories", name, text)
        put("geojson", name, text)

# GeoJSON: the samples and a few shapes of every type.
for f in sample_files(".geojson"):
    with open(os.path.join(samples, f), "rb") as h:
        put("geojson", f, h.read())
put("geojson", "types.geojson", json.dumps({"type": "FeatureCollection", "features": [
    {"type": "Feature", "id": 1, "properties": {"name": "p"}, "geometry": {"type": "Point", "coordinates": [2.35, 48.85]}},
    {"type": "Feature", "properties": None, "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}},
    {"type": "Feature", "properties": {}, "geometry": {"type": "MultiPolygon", "coordinates": [[[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]]}},
    {"type": "Feature", "properties": {}, "geometry": {"type": "GeometryCollection", "geometries": [
        {"type": "MultiPoint", "coordinates": [[0, 0]]}, {"type": "MultiLineString", "coordinates": [[[0, 0], [1, 0]]]}]}},
    {"type": "Feature", "properties": {}, "geometry": None}]}))
put("geojson", "lambert93.geojson", '{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[652000,6862000],[653000,6862000],[653000,6863000],[652000,6862000]]]}}')
put("geojson", "crs.geojson", '{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::2154"}},"features":[]}')

# Composition tables.
for name, path in [("dgcl.csv", shared_file("commune-epci-dgcl-2025", "epcicom2025_commune_epci.csv")),
                   ("banatic.csv", shared_file("commune-epci-dgcl-2025", "banatic_siren_insee.csv")),
                   ("ept.csv", shared_file("commune-epci-dgcl-2025", "ept_composition_2025.csv"))]:
    data = head(path, 30)
    if data:
        put("composition", name, data)

# Request bodies (first byte 0: /api/check).
for i, body in enumerate([
        {"members": ["200065647", "200069052"]},
        {"members": [" 01001 ", ""], "against": ["crte"], "id": "x", "name": "y", "tolerance_m": 250.5},
        {"members": ["2A004"], "against": None, "tolerance_m": None},
        {"members": "200065647"}, [1, 2]]):
    put("server", "check-%d.json" % i, b"\x00" + json.dumps(body).encode())

# GeoPackage blobs: the smallest geometries of every layer of the reference GeoPackage.
if os.path.exists(gpkg):
    db = sqlite3.connect("file:%s?mode=ro" % gpkg, uri=True)
    for (table,) in db.execute("select table_name from gpkg_geometry_columns"):
        rows = db.execute('select geom from "%s" where geom is not null order by length(geom) limit 4' % table).fetchall()
        for k, (blob,) in enumerate(rows):
            if len(blob) <= 20000:
                put("gpkg-blob", "%s-%d.gpkg" % (table, k), bytes(blob))
    db.close()
# Hand-made blobs: a point with an envelope (big-endian header), an empty polygon, ISO Z.
put("gpkg-blob", "point-be.gpkg", b"GP\x00\x02" + struct.pack(">i4d", 4326, 2, 2, 48, 48)
    + b"\x00" + struct.pack(">I2d", 1, 2.35, 48.85))
put("gpkg-blob", "empty.gpkg", b"GP\x00\x11" + struct.pack("<i", 4326) + b"\x01" + struct.pack("<II", 3, 0))
put("gpkg-blob", "pointz.gpkg", b"GP\x00\x01" + struct.pack("<i", 2154) + b"\x01" + struct.pack("<I3d", 1001, 1, 2, 3))

# Shapefiles: ogr2ogr writes small .shp/.shx/.dbf triplets, packed as the target reads them.
def shapefile_seed(name, source, extra):
    if shutil.which("ogr2ogr") is None or not os.path.exists(source):
        return
    tmp = tempfile.mkdtemp()
    try:
        out = os.path.join(tmp, "s.shp")
        r = subprocess.run(["ogr2ogr", "-q", "-f", "ESRI Shapefile", out, source] + extra,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if r.returncode != 0:
            return
        parts = [open(os.path.join(tmp, "s." + e), "rb").read() for e in ("shp", "shx", "dbf")]
        if len(parts[0]) > 65535 or len(parts[1]) > 65535:
            return
        put("shapefile", name, struct.pack("<HH", len(parts[0]), len(parts[1])) + b"".join(parts))
    finally:
        shutil.rmtree(tmp)

for f in sample_files(".geojson"):
    shapefile_seed(f + ".shp", os.path.join(samples, f), [])
ti = shared_file("territoires-industrie-2023-2027", "ti_geom_2024.geojson")
shapefile_seed("ti-polygons.shp", ti, ["-limit", "3", "-simplify", "0.02"])
shapefile_seed("ti-lines.shp", ti, ["-limit", "2", "-simplify", "0.05", "-nlt", "MULTILINESTRING"])
shapefile_seed("ti-points.shp", ti, ["-limit", "4", "-dialect", "sqlite", "-sql",
                                     "select ST_PointOnSurface(geometry) as geometry, id_territoire from ti_geom"])
ne = os.path.join(root, "GeoData", "cache", "sources", "natural-earth")
shapefile_seed("ne-countries.shp", os.path.join(ne, "ne_10m_admin_0_countries.shp"),
               ["-where", "ADM0_A3 IN ('AND','MCO','LIE')", "-simplify", "0.01", "-select", "ADM0_A3,NAME"])
shapefile_seed("ne-borders.shp", os.path.join(ne, "ne_10m_admin_0_boundary_lines_land.shp"),
               ["-limit", "3", "-simplify", "0.05"])

# Spreadsheets (Démarches Simplifiées exports): the XLSX sample, its worksheets as raw XML (the
# target feeds non-ZIP inputs to the XML handlers), and a small ODS content.xml.
import zipfile
for f in sample_files(".xlsx"):
    path = os.path.join(samples, f)
    data = open(path, "rb").read()
    if len(data) <= 65536:
        put("spreadsheet", f, data)
    with zipfile.ZipFile(path) as z:
        for n in z.namelist():
            if n.startswith("xl/worksheets/") and z.getinfo(n).file_size <= 65536:
                put("spreadsheet", f + "-" + n.replace("/", "-"), z.read(n))
ods_content = (
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
    '<office:body><office:spreadsheet><table:table table:name="Dossiers"><table:table-row>'
    '<table:table-cell office:value-type="string"><text:p>ID</text:p></table:table-cell>'
    '<table:table-cell office:value-type="string" table:number-columns-spanned="2"><text:p>État du dossier</text:p></table:table-cell>'
    '<table:covered-table-cell/></table:table-row><table:table-row table:number-rows-repeated="2">'
    '<table:table-cell office:value-type="float" office:value="200065647"><text:p>200065647</text:p></table:table-cell>'
    '<table:table-cell table:number-columns-repeated="3"/><table:table-cell office:value-type="date" office:date-value="2024-03-12"/>'
    '</table:table-row></table:table></office:spreadsheet></office:body></office:document-content>')
put("spreadsheet", "content.xml", ods_content)
# The same content as an ODS archive, for the target's ZIP path (fixed dates: same bytes each run).
import io
ods = io.BytesIO()
with zipfile.ZipFile(ods, "w") as z:
    z.writestr(zipfile.ZipInfo("mimetype", (2024, 1, 1, 0, 0, 0)), "application/vnd.oasis.opendocument.spreadsheet")
    z.writestr(zipfile.ZipInfo("content.xml", (2024, 1, 1, 0, 0, 0)), ods_content, compress_type=zipfile.ZIP_DEFLATED)
put("spreadsheet", "dossiers.ods", ods.getvalue())
