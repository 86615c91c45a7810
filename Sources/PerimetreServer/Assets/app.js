"use strict";
// Atelier de périmètre: everything the page needs comes from perimetre serve itself.
(function () {
  const $ = (id) => document.getElementById(id);
  const SVGNS = "http://www.w3.org/2000/svg";
  const PALETTE = ["#2f6db3", "#e07b00", "#b8336a", "#2a9d5c", "#7b52ab", "#c9a400", "#5f7f8f"];
  // Outline colours of the territory layers (--territories, --against), one per layer.
  const LAYER_COLOURS = ["#0b7a75", "#8a4fbf", "#b5651d", "#c2185b", "#33691e"];
  const SEVERITY = { bloquant: "Bloquant", attention: "Attention", info: "Information" };
  const HISTORY_MAX = 200;
  const state = {
    deps: [], region: "", features: new Map(), names: new Map(), members: [], report: null, map: null,
    k: 1, view: null, full: null, seq: 0, timer: null, layers: [],
    // "france" (régions, DROM in insets), "region" or "departements" (EPCI to click).
    level: "france", france: null, insets: [], regionNames: new Map(), depInfo: new Map(),
    history: [], future: [], territoryLayers: [], outlineSeq: 0, clickAt: 0, shapesTimer: null, noShapes: false,
  };

  // ---------- helpers ----------
  const fmtInt = (n) => Math.round(n).toLocaleString("fr-FR");
  const fmtNum = (n, d) => Number(n).toLocaleString("fr-FR", { minimumFractionDigits: d, maximumFractionDigits: d });
  const fmtDist = (m) => (m >= 1000 ? fmtNum(m / 1000, 1) + " km" : fmtInt(m) + " m");
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") e.className = v;
      else if (k.startsWith("data-") || k.startsWith("aria-") || k === "role") e.setAttribute(k, v);
      else e[k] = v;
    }
    for (const c of children) if (c != null) e.append(c);
    return e;
  }
  function svgEl(tag, attrs) {
    const e = document.createElementNS(SVGNS, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    return e;
  }
  function shortName(n) {
    return n.replace(/^Communauté de communes /, "CC ").replace(/^Communauté d'agglomération /, "CA ")
      .replace(/^Communauté urbaine /, "CU ").replace(/^Métropole /, "Mét. ");
  }
  function setStatus(text, st) { const s = $("status"); s.textContent = text; s.dataset.state = st || "idle"; }
  // Screen readers: the findings and other results, announced once (aria-live region).
  function announce(text) { const a = $("announce"); a.textContent = ""; setTimeout(() => { a.textContent = text; }, 30); }
  // A server whose analyses are all busy answers 503 with Retry-After: wait that long and ask again.
  const BUSY_RETRIES = 5;
  async function api(path, options) {
    let r = await fetch(path, options);
    for (let i = 0; r.status === 503 && i < BUSY_RETRIES; i++) {
      const wait = Math.min(Number(r.headers.get("Retry-After")) || 1, 10);
      await new Promise((resolve) => setTimeout(resolve, wait * 1000));
      r = await fetch(path, options);
    }
    const t = await r.text();
    let body = null;
    try { body = JSON.parse(t); } catch (e) { body = null; }
    if (!r.ok) throw new Error((body && body.error) || ("erreur " + r.status));
    return body;
  }
  function postJSON(path, obj) {
    return api(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(obj) });
  }
  function currentOption() {
    return { id: $("opt-id").value.trim(), name: $("opt-name").value.trim(), members: state.members.slice() };
  }
  function requestBody(opt) {
    const against = state.layers.filter((l) => { const c = $("layer-" + l); return c && c.checked; });
    return { id: opt.id, name: opt.name, members: opt.members, against: against };
  }

  // ---------- projection ----------
  // Région and département views: equirectangular scaled by cos(latitude). France view: the
  // same for metropolitan France, and each DROM moved and enlarged into an inset box on the left.
  function localProject(c) { return [c[0] * state.k, -c[1]]; }
  function insetFor(c) {
    if (c[0] > -6 && c[0] < 11 && c[1] > 40 && c[1] < 52) return null;
    for (const t of state.insets) if (c[0] >= t.b[0] - 1 && c[0] <= t.b[2] + 1 && c[1] >= t.b[1] - 1 && c[1] <= t.b[3] + 1) return t;
    return null;
  }
  function projector(first) {
    if (state.level !== "france") return localProject;
    const t = insetFor(first);
    if (!t) return localProject;
    return (c) => [t.x + (c[0] * t.kx - t.cx) * t.s, t.y + (-c[1] - t.cy) * t.s];
  }
  function project(c) { return projector(c)(c); }
  function ringPath(ring) {
    if (!ring.length) return "";
    const pr = projector(ring[0]);
    let d = "";
    for (let i = 0; i < ring.length; i++) {
      const p = pr(ring[i]);
      d += (i === 0 ? "M" : "L") + p[0].toFixed(4) + " " + p[1].toFixed(4);
    }
    return d;
  }
  function geomPath(g) {
    if (!g) return "";
    switch (g.type) {
      case "Polygon": return g.coordinates.map((r) => ringPath(r) + "Z").join("");
      case "MultiPolygon": return g.coordinates.map((p) => p.map((r) => ringPath(r) + "Z").join("")).join("");
      case "LineString": return ringPath(g.coordinates);
      case "MultiLineString": return g.coordinates.map(ringPath).join("");
      case "GeometryCollection": return g.geometries.map(geomPath).join("");
      default: return "";
    }
  }
  function extent(features) {
    let b = [Infinity, Infinity, -Infinity, -Infinity];
    const visit = (c) => {
      if (typeof c[0] === "number") { b = [Math.min(b[0], c[0]), Math.min(b[1], c[1]), Math.max(b[2], c[0]), Math.max(b[3], c[1])]; }
      else c.forEach(visit);
    };
    for (const f of features) if (f.geometry && f.geometry.coordinates) visit(f.geometry.coordinates);
    return b;
  }
  function viewFor(b, pad) {
    const x0 = b[0] * state.k, x1 = b[2] * state.k, y0 = -b[3], y1 = -b[1];
    const w = Math.max(x1 - x0, 1e-3), h = Math.max(y1 - y0, 1e-3), p = Math.max(w, h) * (pad || 0.04);
    return [x0 - p, y0 - p, w + 2 * p, h + 2 * p];
  }
  function applyView() {
    if (!state.view) return;
    $("map").setAttribute("viewBox", state.view.map((v) => v.toFixed(5)).join(" "));
    // Labels keep a constant size on screen: font size in map units per screen pixel.
    const r = $("map").getBoundingClientRect();
    const upp = r.width > 0 ? Math.max(state.view[2] / r.width, state.view[3] / Math.max(r.height, 1)) : state.view[2] / 800;
    $("layer-labels").setAttribute("font-size", (upp * 12).toFixed(5));
    $("layer-labels").setAttribute("stroke-width", (upp * 3).toFixed(5));
    $("layer-overlays").setAttribute("font-size", (upp * 11).toFixed(5));
    // A territory's name only when the territory is wide enough on screen to hold it.
    for (const l of $("layer-overlays").querySelectorAll("text")) {
      l.style.display = Number(l.dataset.w) / upp > l.textContent.length * 6 ? "" : "none";
    }
  }

  // ---------- base map: France, a région, départements ----------
  function clearBase() {
    for (const id of ["layer-base", "layer-borders", "layer-overlays", "layer-labels"]) $(id).textContent = "";
  }
  function setLevel(level) {
    state.level = level;
    document.body.dataset.level = level;
    $("map").setAttribute("aria-label", level === "france"
      ? "Carte de France par région : choisissez une région pour afficher ses départements et ses EPCI"
      : "Carte des EPCI : activez un EPCI pour l'ajouter au périmètre ou l'en retirer");
  }
  async function showFrance() {
    setStatus("Chargement de la carte de France…", "loading");
    if (!state.france) state.france = await api("/api/france");
    const fc = state.france;
    setLevel("france");
    state.deps = []; state.region = ""; state.features = new Map();
    $("region-select").value = ""; $("dep-select").value = "";
    const regions = fc.features.filter((f) => f.properties.role === "region");
    const metro = regions.filter((f) => f.properties.code >= "10");
    const b = extent(metro);
    state.k = Math.cos(((b[1] + b[3]) / 2) * Math.PI / 180);
    // Insets: the DROM in a column of boxes left of metropolitan France, in région code order.
    const size = (b[3] - b[1]) / 5.6, gap = size * 0.15, x0 = b[0] * state.k - size * 1.35;
    state.insets = regions.filter((f) => f.properties.code < "10").map((f, i) => {
      const e = extent([f]), kx = Math.cos(((e[1] + e[3]) / 2) * Math.PI / 180);
      const w = (e[2] - e[0]) * kx, h = e[3] - e[1], s = (size * 0.9) / Math.max(w, h);
      return { code: f.properties.code, name: f.properties.name, b: e, kx: kx, s: s,
        cx: ((e[0] + e[2]) / 2) * kx, cy: -(e[1] + e[3]) / 2,
        x: x0 + size / 2, y: -b[3] + i * (size + gap) + size / 2, size: size };
    });
    clearBase();
    const g = $("layer-base");
    for (const t of state.insets) {
      g.append(svgEl("rect", { class: "inset", x: t.x - t.size / 2, y: t.y - t.size / 2, width: t.size, height: t.size }));
    }
    for (const f of regions) {
      const pr = f.properties;
      state.regionNames.set(pr.code, pr.name);
      const p = svgEl("path", { d: geomPath(f.geometry), class: "region", "fill-rule": "evenodd", tabindex: "0", role: "button",
        "aria-label": "Région " + pr.name + " : afficher ses départements et ses EPCI" });
      p.dataset.region = pr.code;
      g.append(p);
    }
    for (const f of fc.features) if (f.properties.role === "departement_borders")
      $("layer-borders").append(svgEl("path", { d: geomPath(f.geometry), class: "dep-border" }));
    const labels = $("layer-labels");
    for (const f of regions) {
      const pr = f.properties, t = state.insets.find((x) => x.code === pr.code);
      const p = t ? [t.x, t.y + t.size / 2 - t.size * 0.06] : project(pr.label);
      const txt = svgEl("text", { x: p[0], y: p[1], class: "region-label", "aria-hidden": "true" });
      txt.textContent = pr.name;
      labels.append(txt);
    }
    const right = b[2] * state.k, left = x0 - size * 0.1;
    const pad = (right - left) * 0.03;
    state.full = [left - pad, -b[3] - pad, right - left + 2 * pad, b[3] - b[1] + 2 * pad];
    state.view = state.full.slice();
    applyView();
    drawAnalysis();
    renderCrumbs();
    setStatus("France : choisissez une région sur la carte (ou dans le formulaire), puis cliquez sur les EPCI.", "idle");
    // First paint of the start view, and the bytes the page loaded for it (read by scripts/bench-serve).
    if (!document.body.dataset.firstPaintMs) {
      requestAnimationFrame(() => {
        document.body.dataset.firstPaintMs = String(Math.round(performance.now()));
        const entries = performance.getEntriesByType("navigation").concat(performance.getEntriesByType("resource"));
        document.body.dataset.pageBytes = String(entries.reduce((n, e) => n + (e.encodedBodySize || 0), 0));
      });
    }
    document.body.dataset.map = "france";
  }
  async function loadDepartements(codes, replace) {
    const deps = replace ? codes.slice() : Array.from(new Set(state.deps.concat(codes)));
    if (deps.length === 0) return;
    setStatus("Chargement de la carte…", "loading");
    const [fc, outlines] = await Promise.all([api("/api/epci?departement=" + encodeURIComponent(deps.join(","))),
      api("/api/departement-outlines?departement=" + encodeURIComponent(deps.join(",")))]);
    state.deps = deps;
    state.region = "";
    const regs = new Set(deps.map((d) => (state.depInfo.get(d) || {}).region).filter(Boolean));
    $("region-select").value = regs.size === 1 ? Array.from(regs)[0] : "";
    $("dep-select").value = deps.length === 1 ? deps[0] : "";
    setLevel("departements");
    setBase(fc, outlines);
    setStatus(fc.features.length + " EPCI affichés. Cliquez pour ajouter ou retirer un EPCI.", "idle");
  }
  async function loadRegion(code) {
    setStatus("Chargement de la carte…", "loading");
    const [fc, outlines] = await Promise.all([api("/api/epci?region=" + encodeURIComponent(code)),
      api("/api/departement-outlines?region=" + encodeURIComponent(code))]);
    state.deps = [];
    state.region = code;
    $("region-select").value = code;
    $("dep-select").value = "";
    setLevel("region");
    setBase(fc, outlines);
    setStatus(fc.features.length + " EPCI affichés. Cliquez pour ajouter ou retirer un EPCI, ou sur un nom de département.", "idle");
  }
  function setBase(fc, outlines) {
    state.features = new Map();
    for (const f of fc.features) { state.features.set(f.properties.code, f); state.names.set(f.properties.code, f.properties.name); }
    const b = extent(fc.features);
    state.k = Math.cos(((b[1] + b[3]) / 2) * Math.PI / 180);
    state.full = viewFor(b);
    state.view = state.full.slice();
    clearBase();
    const g = $("layer-base");
    for (const f of fc.features) {
      const pr = f.properties;
      const p = svgEl("path", { d: geomPath(f.geometry), class: "epci", "fill-rule": "evenodd", tabindex: "0", role: "button" });
      p.dataset.code = pr.code;
      g.append(p);
    }
    const labels = $("layer-labels");
    for (const f of (outlines ? outlines.features : [])) {
      const pr = f.properties;
      $("layer-borders").append(svgEl("path", { d: geomPath(f.geometry), class: "dep-outline", "fill-rule": "evenodd" }));
      if (state.level !== "region") continue;
      // In a région, the départements' names lead one level down (mouse or keyboard).
      const p = project(pr.label);
      const txt = svgEl("text", { x: p[0], y: p[1], class: "dep-label", tabindex: "0", role: "button",
        "aria-label": "Département " + pr.name + " (" + pr.code + ") : n'afficher que ce département" });
      txt.dataset.departement = pr.code;
      txt.textContent = pr.name;
      labels.append(txt);
    }
    $("shown").textContent = state.region ? "Région " + (state.regionNames.get(state.region) || state.region)
      : "Départements : " + state.deps.join(", ");
    applyView();
    paintMembers();
    drawAnalysis();
    renderCrumbs();
    loadOutlines();
    document.body.dataset.map = state.level;
  }
  // Where the map is: France › région › département(s), each step a button back up.
  function renderCrumbs() {
    const nav = $("crumbs");
    nav.textContent = "";
    const item = (label, action) => {
      const li = el("li", {});
      if (action) { const b = el("button", { type: "button", class: "link" }, label); b.addEventListener("click", action); li.append(b); }
      else { li.append(el("span", { "aria-current": "location" }, label)); }
      nav.append(li);
    };
    item("France", state.level === "france" ? null : () => showFrance().catch((e) => setStatus(e.message, "error")));
    let region = state.region;
    if (!region && state.deps.length) {
      const regs = new Set(state.deps.map((d) => (state.depInfo.get(d) || {}).region));
      if (regs.size === 1) region = Array.from(regs)[0] || "";
    }
    if (region) item(state.regionNames.get(region) || region, state.level === "region" ? null
      : () => loadRegion(region).catch((e) => setStatus(e.message, "error")));
    if (state.level === "departements") item(state.deps.map((d) => ((state.depInfo.get(d) || {}).name || d) + " (" + d + ")").join(", "), null);
  }

  // ---------- territory layers drawn as outlines ----------
  async function loadOutlines() {
    const g = $("layer-overlays");
    g.textContent = "";
    if (state.level === "france") return;
    const my = ++state.outlineSeq;
    const where = state.region ? "region=" + encodeURIComponent(state.region) : "departement=" + encodeURIComponent(state.deps.join(","));
    const shown = state.territoryLayers.filter((l) => { const c = $("outline-" + l.id); return c && c.checked; });
    for (const l of shown) {
      try {
        const fc = await api("/api/outlines?layer=" + encodeURIComponent(l.id) + "&" + where);
        if (my !== state.outlineSeq) return;
        const lg = svgEl("g", { class: "overlay", "data-layer": l.id, style: "--layer-colour:" + l.colour });
        for (const f of fc.features) {
          const pr = f.properties;
          const p = svgEl("path", { d: geomPath(f.geometry), class: "territory", "fill-rule": "evenodd" });
          p.dataset.territory = pr.id;
          const title = svgEl("title", {});
          title.textContent = l.label + " : " + pr.name + " (" + pr.id + ")";
          p.append(title);
          lg.append(p);
          if (pr.label) {
            const q = project(pr.label);
            const e = extent([f]);
            const t = svgEl("text", { x: q[0], y: q[1], class: "territory-label", "data-w": ((e[2] - e[0]) * state.k).toFixed(5) });
            t.textContent = pr.name;
            lg.append(t);
          }
        }
        g.append(lg);
      } catch (e) { setStatus("Contours « " + l.id + " » : " + e.message, "error"); }
    }
    applyView();
  }

  // ---------- members, with undo and redo ----------
  function memberName(code) { return state.names.get(code) || code; }
  // Every change of the member list goes through here: one undo step each.
  function setMembers(list, what) {
    const next = Array.from(new Set(list));
    if (next.length === state.members.length && next.every((c, i) => c === state.members[i])) return;
    state.history.push(state.members.slice());
    if (state.history.length > HISTORY_MAX) state.history.shift();
    state.future = [];
    state.members = next;
    membersChanged(what);
  }
  function toggleMember(code) {
    state.clickAt = performance.now();
    const on = state.members.includes(code);
    setMembers(on ? state.members.filter((c) => c !== code) : state.members.concat([code]),
      (on ? "Retiré : " : "Ajouté : ") + memberName(code));
  }
  function undo() {
    if (!state.history.length) { setStatus("Rien à annuler.", "idle"); return; }
    state.clickAt = performance.now();
    state.future.push(state.members.slice());
    state.members = state.history.pop();
    membersChanged("Annulé : " + state.members.length + " membres.");
  }
  function redo() {
    if (!state.future.length) { setStatus("Rien à rétablir.", "idle"); return; }
    state.clickAt = performance.now();
    state.history.push(state.members.slice());
    state.members = state.future.pop();
    membersChanged("Rétabli : " + state.members.length + " membres.");
  }
  function membersChanged(what) {
    renderMemberList();
    paintMembers();
    updateHistoryButtons();
    writeHash();
    if (what) announce(what);
    scheduleAnalysis();
  }
  function updateHistoryButtons() {
    $("undo-btn").disabled = state.history.length === 0;
    $("redo-btn").disabled = state.future.length === 0;
    document.body.dataset.undo = String(state.history.length);
  }
  function componentOf() {
    const m = new Map();
    if (state.report) state.report.contiguity.components.forEach((c, i) => c.forEach((code) => m.set(code, i)));
    return m;
  }
  function paintMembers() {
    const comp = componentOf();
    for (const p of $("layer-base").children) {
      const code = p.dataset.code;
      if (!code) continue;
      const on = state.members.includes(code);
      p.classList.toggle("member", on);
      p.style.fill = on ? PALETTE[(comp.get(code) || 0) % PALETTE.length] : "";
      p.style.fillOpacity = on ? "0.6" : "";
      p.setAttribute("aria-pressed", String(on));
      const f = state.features.get(code);
      const name = f ? f.properties.name : code;
      p.setAttribute("aria-label", name + " (" + code + ")" + (on ? ", membre du périmètre : retirer" : " : ajouter au périmètre"));
    }
  }
  function renderMemberList() {
    const ul = $("member-list");
    ul.textContent = "";
    for (const code of state.members) {
      const name = memberName(code);
      const rm = el("button", { type: "button", title: "Retirer", "aria-label": "Retirer " + name, textContent: "×" });
      rm.addEventListener("click", () => toggleMember(code));
      ul.append(el("li", { "data-code": code }, el("span", { title: name + " (" + code + ")" }, shortName(name) + " ", el("small", {}, code)), rm));
    }
    if (state.members.length === 0) ul.append(el("li", { class: "hint" }, "Aucun membre."));
  }

  // ---------- the option in the URL: #members=…&name=…&id=… ----------
  function writeHash() {
    const o = currentOption();
    const p = new URLSearchParams();
    if (o.members.length) p.set("members", o.members.join(","));
    if (o.name) p.set("name", o.name);
    if (o.id) p.set("id", o.id);
    const h = p.toString().replace(/%2C/g, ",");
    const url = location.pathname + location.search + (h ? "#" + h : "");
    if (url !== location.pathname + location.search + location.hash) history.replaceState(null, "", url);
    state.hash = location.hash;
    document.title = (o.name ? o.name + " — " : "") + "Atelier de périmètre — Territoires d'industrie";
  }
  function readHash() {
    const p = new URLSearchParams(location.hash.replace(/^#/, ""));
    if (!p.get("members")) return null;
    return { id: p.get("id") || "", name: p.get("name") || "", members: p.get("members").split(",").map((s) => s.trim()).filter(Boolean) };
  }

  // ---------- analysis ----------
  // A click shows its analysis as soon as the server answers POST /api/check: the report alone,
  // answered from the reference topology (no geometry computed). The option is drawn at once from
  // the EPCI outlines the page already has (drawDraft); the exact shapes (dissolved outline,
  // enclaves, land borders, overlaps) follow from /api/analyse once the clicks pause. An older
  // answer arriving late is dropped by its sequence number.
  const SHAPES_DELAY_MS = 250;
  function scheduleAnalysis() {
    clearTimeout(state.timer);
    state.timer = setTimeout(runAnalysis, 0);
  }
  async function runAnalysis() {
    const seq = ++state.seq;
    clearTimeout(state.shapesTimer);
    if (state.members.length === 0) {
      state.report = null; state.map = null;
      renderAnalysis(); drawAnalysis(); paintMembers();
      setStatus("Aucun membre : cliquez sur les EPCI de la carte.", "idle");
      document.body.dataset.analysis = "empty";
      return;
    }
    setStatus("Analyse en cours…", "loading");
    document.body.dataset.analysis = "loading";
    const t0 = state.clickAt || performance.now();
    try {
      const report = await postJSON("/api/check", requestBody(currentOption()));
      if (seq !== state.seq) return;
      state.report = report; state.map = null;
      for (const m of report.members) state.names.set(m.code, m.name);
      renderMemberList(); renderAnalysis(); drawAnalysis(); paintMembers();
      const ms = Math.round(performance.now() - t0);
      setStatus("Analyse à jour (" + ms + " ms).", "idle");
      document.body.dataset.analysisMs = String(ms);
      document.body.dataset.analyses = String(Number(document.body.dataset.analyses || 0) + 1);
      document.body.dataset.analysis = "done";
      document.body.dataset.contiguous = String(report.contiguity.contiguous);
      document.body.dataset.shapes = "pending";
      announceFindings(report);
      if (!state.noShapes) state.shapesTimer = setTimeout(() => loadShapes(seq), SHAPES_DELAY_MS);
    } catch (e) {
      if (seq !== state.seq) return;
      state.report = null; state.map = null;
      renderAnalysis(e.message); drawAnalysis();
      setStatus("Erreur : " + e.message, "error");
      document.body.dataset.analysis = "error";
      announce("Analyse impossible : " + e.message);
    }
  }
  // The exact shapes of the option shown (its analysis already on screen), replacing the drawing.
  async function loadShapes(seq) {
    try {
      const res = await postJSON("/api/analyse", requestBody(currentOption()));
      if (seq !== state.seq) return;
      state.map = res.map;
      drawAnalysis();
      document.body.dataset.shapes = "done";
    } catch (e) {
      if (seq !== state.seq) return;
      setStatus("Analyse à jour ; contour exact indisponible : " + e.message, "error");
      document.body.dataset.shapes = "error";
    }
  }
  function announceFindings(r) {
    const n = r.findings.length;
    const parts = [r.epci_count + " EPCI", r.contiguity.contiguous ? "périmètre contigu" : "périmètre non contigu (" + r.contiguity.components.length + " ensembles)"];
    parts.push(n === 0 ? "aucun constat" : n + (n > 1 ? " constats : " : " constat : ") +
      r.findings.map((f) => (SEVERITY[f.severity] || f.severity) + ", " + f.message).join(" ; "));
    announce("Analyse : " + parts.join(", ").replace(/[.\s]+$/, "") + ".");
  }
  function figureBox(value, label) { return el("div", {}, el("b", {}, value), el("span", {}, label)); }
  function findingItem(f) {
    const li = el("li", { class: f.severity, "data-rule": f.rule, "data-severity": f.severity },
      el("span", { class: "sev" }, SEVERITY[f.severity] || f.severity), f.message);
    if (f.faq) li.append(el("span", { class: "faq" }, "FAQ " + f.faq));
    return li;
  }
  // ---------- remedies (pistes) ----------
  const GOALS = { connect: "Contiguïté", fill_enclave: "Enclave", align_crte: "CRTE", join_neighbours: "EPCI unique", epci_cut: "EPCI coupé" };
  function outcomeText(o) {
    if (!o) return "";
    const parts = [o.contiguous ? "contigu" : "non contigu", o.enclaves === 0 ? "aucune enclave" : o.enclaves + " enclave(s)"];
    if (o.crte_aligned !== null && o.crte_aligned !== undefined) parts.push(o.crte_aligned ? "CRTE entiers" : "CRTE encore coupés");
    return " → " + parts.join(", ");
  }
  // Applying a remedy is one member change: undoable like a click.
  function applyRemedy(rm) {
    for (const p of rm.places || []) state.names.set(p.code, p.name);
    const drop = new Set(rm.remove || []);
    const next = state.members.filter((c) => !drop.has(c));
    for (const c of rm.add || []) if (!next.includes(c)) next.push(c);
    state.clickAt = performance.now();
    setMembers(next, "Piste appliquée : " + (GOALS[rm.goal] || rm.goal));
  }
  function renderRemedies(r) {
    const ul = $("remedies");
    if (!ul) return;
    ul.textContent = "";
    const rs = (r && r.remedies) || [];
    if (rs.length === 0) { ul.append(el("li", { class: "empty" }, "Aucune piste.")); return; }
    rs.forEach((rm, i) => {
      const li = el("li", { class: "info", "data-goal": rm.goal, "data-index": String(i) },
        el("span", { class: "sev" }, GOALS[rm.goal] || rm.goal), rm.message + outcomeText(rm.result));
      if (rm.feasible && ((rm.add || []).length || (rm.remove || []).length)) {
        const b = el("button", { type: "button", class: "apply-remedy", textContent: "Appliquer", "aria-label": "Appliquer la piste : " + rm.message });
        b.addEventListener("click", () => applyRemedy(rm));
        li.append(b);
      }
      ul.append(li);
    });
  }
  function renderAnalysis(error) {
    const r = state.report;
    const figs = $("figures"), list = $("findings"), det = $("details"), verdict = $("contiguity");
    figs.textContent = ""; list.textContent = ""; det.textContent = ""; verdict.textContent = ""; verdict.className = "verdict";
    if (!r) {
      list.append(el("li", { class: "empty" }, error ? "Analyse impossible : " + error : "Aucun membre pour l'instant."));
      renderRemedies(null);
      return;
    }
    figs.append(figureBox(fmtNum(r.area_km2, 1) + " km²", "surface (géodésique)"),
      figureBox(fmtInt(r.population), "habitants"),
      figureBox(fmtInt(r.commune_count), "communes"),
      figureBox(String(r.epci_count), "EPCI"));
    const c = r.contiguity;
    verdict.id = "contiguity";
    verdict.dataset.contiguous = String(c.contiguous);
    if (c.contiguous) { verdict.textContent = "Périmètre contigu."; verdict.classList.add("ok"); }
    else { verdict.textContent = "Périmètre non contigu : " + c.components.length + " ensembles."; verdict.classList.add("ko"); }
    if (r.findings.length === 0) list.append(el("li", { class: "empty" }, "Aucun constat : le périmètre respecte les règles vérifiées."));
    for (const f of r.findings) list.append(findingItem(f));
    renderRemedies(r);
    // Details: départements, pays voisins, enclaves, codes non résolus.
    const t = el("table", {}, el("tr", {}, el("th", {}, "Département"), el("th", {}, "Surface"), el("th", {}, "Population")));
    for (const d of r.departements) t.append(el("tr", {}, el("td", {}, d.name + " (" + d.code + ")"),
      el("td", { class: "num" }, fmtNum(d.area_share * 100, 0) + " %"), el("td", { class: "num" }, fmtNum(d.population_share * 100, 0) + " %")));
    det.append(el("h3", {}, "Départements et régions"), t,
      el("p", { class: "hint" }, "Régions : " + r.regions.map((x) => x.name).join(", ")));
    det.append(el("h3", {}, "Frontière"));
    const b = r.border;
    if (b.countries.length === 0) det.append(el("p", { class: "hint" }, "Aucun pays voisin à moins de 50 km."));
    else det.append(el("p", { id: "border" }, (b.frontalier ? "Périmètre frontalier. " : "Non frontalier. ") + "Pays proches : " +
      b.countries.map((x) => x.name + " (" + fmtDist(x.distance_m) + ")").join(", ") + "."));
    if (r.enclaves.length) {
      det.append(el("h3", {}, "Enclaves"));
      const ul = el("ul", {});
      for (const e of r.enclaves) ul.append(el("li", {}, fmtNum(e.area_km2, 1) + " km² : " + e.communes.map((x) => x.name).join(", ")));
      det.append(ul);
    }
    if ((r.overlaps || []).length || (r.crte || []).length) {
      det.append(el("h3", {}, "Recouvrements"));
      for (const a of r.crte || []) det.append(el("p", { class: "crte" }, "CRTE (" + a.layer + ") : " + (a.aligned
        ? "le périmètre est une réunion de CRTE entiers."
        : "le périmètre coupe " + a.cut.map((c) => c.name + " (hors périmètre : " + (c.missing_members.join(", ") || "—") + ")").join(" ; ") + ".")));
      const ul = el("ul", { id: "overlaps" });
      const rel = { identical: "identique", contains: "inclus dans le périmètre", inside: "contient le périmètre", partial: "partiel" };
      for (const o of r.overlaps || []) if (!o.edge_contact) ul.append(el("li", {}, o.layer + " · " + o.name + " : " + fmtNum(o.area_km2, 1) +
        " km², " + fmtNum(o.share_of_perimeter * 100, 0) + " % du périmètre, " + fmtNum(o.share_of_other * 100, 0) + " % du territoire (" + (rel[o.relation] || o.relation) + ")"));
      det.append(ul);
    }
    if (r.unresolved.length) {
      det.append(el("h3", {}, "Codes non résolus"));
      const ul = el("ul", { id: "unresolved" });
      for (const u of r.unresolved) ul.append(el("li", {}, u.code + " : " + u.reason +
        (u.suggestions.length ? " (suggestion : " + u.suggestions.map((s) => s.code + " " + s.name).join(", ") + ")" : "")));
      det.append(ul);
    }
  }
  function drawAnalysisInto(g, map, report, outside) {
    g.textContent = "";
    if (!map || !report) return;
    const comp = new Map();
    report.contiguity.components.forEach((c, i) => c.forEach((code) => comp.set(code, i)));
    const add = (f, cls, fill) => {
      const p = document.createElementNS(SVGNS, "path");
      p.setAttribute("d", geomPath(f.geometry));
      p.setAttribute("class", cls);
      p.setAttribute("fill-rule", "evenodd");
      if (fill) p.style.fill = fill;
      g.append(p);
    };
    for (const f of map.features) {
      const role = f.properties.role;
      if (role === "member" && (outside || !state.features.has(f.properties.code)))
        add(f, "outside", PALETTE[(comp.get(f.properties.code) || 0) % PALETTE.length]);
    }
    for (const f of map.features) if (f.properties.role === "overlap") add(f, "overlap");
    for (const f of map.features) if (f.properties.role === "enclave") add(f, "enclave");
    if (!outside) for (const f of map.features) if (f.properties.role === "remedy_add") add(f, "remedy");
    for (const f of map.features) if (f.properties.role === "perimeter") add(f, "outline");
    for (const f of map.features) if (f.properties.role === "border") add(f, "border");
  }
  function drawAnalysis() {
    if (state.report && !state.map) drawDraft($("layer-analysis"));
    else drawAnalysisInto($("layer-analysis"), state.map, state.report, false);
  }
  // The option drawn from the EPCI outlines already on the page, while its exact shapes are on
  // their way: the perimeter's outline is the members' thick strokes clipped to the outside of the
  // members (one even-odd clip path: a frame and the members' own path data, so only the stroke's
  // half outside their union shows, no dissolve); the EPCI a remedy would add are shaded.
  // Members not on the map wait for the exact shapes.
  function drawDraft(g) {
    g.textContent = "";
    const shown = state.members.filter((c) => state.features.has(c));
    if (shown.length) {
      const paths = shown.map((c) => {
        const p = document.querySelector('#layer-base path[data-code="' + CSS.escape(c) + '"]');
        return p ? p.getAttribute("d") : geomPath(state.features.get(c).geometry);
      });
      const v = viewFor(extent(shown.map((c) => state.features.get(c))), 0.5);
      const frame = "M" + v[0] + " " + v[1] + "h" + v[2] + "v" + v[3] + "h" + -v[2] + "Z";
      const clip = svgEl("clipPath", { id: "draft-clip" });
      clip.append(svgEl("path", { d: frame + paths.join(""), "clip-rule": "evenodd" }));
      g.append(clip, svgEl("path", { d: paths.join(""), class: "outline draft", "clip-path": "url(#draft-clip)" }));
    }
    const adds = new Set();
    for (const rm of state.report.remedies || []) for (const c of rm.add || []) if (state.features.has(c)) adds.add(c);
    for (const c of adds) g.append(svgEl("path", { d: geomPath(state.features.get(c).geometry), class: "remedy", "fill-rule": "evenodd" }));
  }

  // ---------- zoom and pan ----------
  function zoom(factor, cx, cy) {
    if (!state.view) return;
    const v = state.view;
    if (cx === undefined) { cx = v[0] + v[2] / 2; cy = v[1] + v[3] / 2; }
    const w = v[2] * factor, h = v[3] * factor;
    if (state.full && (w > state.full[2] * 8 || w < state.full[2] / 400)) return;
    state.view = [cx - (cx - v[0]) * factor, cy - (cy - v[1]) * factor, w, h];
    applyView();
  }
  function pan(dx, dy) {
    if (!state.view) return;
    const v = state.view;
    state.view = [v[0] + v[2] * dx, v[1] + v[3] * dy, v[2], v[3]];
    applyView();
  }
  function svgPoint(ev) {
    const svg = $("map"), r = svg.getBoundingClientRect(), v = state.view;
    const s = Math.max(v[2] / r.width, v[3] / r.height);
    const ox = v[0] + v[2] / 2 - (r.width * s) / 2, oy = v[1] + v[3] / 2 - (r.height * s) / 2;
    return [ox + (ev.clientX - r.left) * s, oy + (ev.clientY - r.top) * s, s];
  }
  function tooltipText(t) {
    if (t.dataset.code) {
      const f = state.features.get(t.dataset.code);
      const pr = f ? f.properties : null;
      return pr ? pr.name + " — " + pr.nature + ", " + fmtInt(pr.population) + " hab. (" + pr.code + ")" : t.dataset.code;
    }
    if (t.dataset.region) return "Région " + (state.regionNames.get(t.dataset.region) || t.dataset.region) + " : cliquer pour afficher ses EPCI";
    if (t.dataset.departement) return "Département " + t.textContent + " : cliquer pour n'afficher que lui";
    return null;
  }
  // A map feature was chosen (click, Enter or Space): toggle an EPCI, or go down one level.
  function activate(t) {
    if (!t || !t.dataset) return;
    if (t.dataset.code) toggleMember(t.dataset.code);
    else if (t.dataset.region) state.loading = loadRegion(t.dataset.region).catch((e) => setStatus(e.message, "error"));
    else if (t.dataset.departement) state.loading = loadDepartements([t.dataset.departement], true).catch((e) => setStatus(e.message, "error"));
  }
  // Demonstration and test links: ?click=region:27,departement:25,200065647,undo dispatches each step
  // on the page as a person's click (or Ctrl+Z / Ctrl+Y) would be, waiting for the map between steps.
  async function clickPath(steps) {
    for (const s of steps) {
      if (s === "undo" || s === "redo") {
        document.body.dispatchEvent(new KeyboardEvent("keydown", { key: s === "undo" ? "z" : "y", ctrlKey: true, bubbles: true }));
        continue;
      }
      // key:SIREN: focus the EPCI and press Enter, as with the keyboard.
      const m = /^(region|departement|key):(.+)$/.exec(s);
      const target = m && m[1] !== "key" ? document.querySelector("#map [data-" + m[1] + '="' + CSS.escape(m[2]) + '"]')
        : document.querySelector('#layer-base path[data-code="' + CSS.escape(m ? m[2] : s) + '"]');
      if (!target) { setStatus("Introuvable sur la carte : " + s, "error"); continue; }
      state.loading = null;
      if (m && m[1] === "key") { target.focus(); target.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true })); }
      else target.dispatchEvent(new MouseEvent("click", { bubbles: true }));
      if (state.loading) await state.loading;
    }
  }
  function setupMap() {
    const svg = $("map");
    let drag = null;
    svg.addEventListener("wheel", (ev) => { ev.preventDefault(); const p = svgPoint(ev); zoom(ev.deltaY > 0 ? 1.2 : 1 / 1.2, p[0], p[1]); }, { passive: false });
    svg.addEventListener("pointerdown", (ev) => { if (state.view) drag = { x: ev.clientX, y: ev.clientY, v: state.view.slice(), moved: false }; });
    svg.addEventListener("pointermove", (ev) => {
      const tip = $("tooltip");
      const text = !drag && ev.target.dataset ? tooltipText(ev.target) : null;
      if (text) {
        tip.textContent = text;
        const r = $("map-panel").getBoundingClientRect();
        tip.style.left = (ev.clientX - r.left + 12) + "px"; tip.style.top = (ev.clientY - r.top + 12) + "px";
        tip.hidden = false;
      } else tip.hidden = true;
      if (!drag) return;
      const dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
      if (!drag.moved && Math.hypot(dx, dy) < 4) return;
      if (!drag.moved) { drag.moved = true; svg.setPointerCapture(ev.pointerId); svg.classList.add("dragging"); }
      const s = svgPoint(ev)[2];
      state.view = [drag.v[0] - dx * s, drag.v[1] - dy * s, drag.v[2], drag.v[3]];
      applyView();
    });
    svg.addEventListener("pointerup", () => { svg.classList.remove("dragging"); setTimeout(() => { drag = null; }, 0); });
    svg.addEventListener("pointerleave", () => { $("tooltip").hidden = true; });
    svg.addEventListener("click", (ev) => {
      if (drag && drag.moved) return;
      activate(ev.target);
    });
    // Keyboard: Enter or Space on a focused feature; arrows pan, + and - zoom when the map itself has focus.
    svg.addEventListener("keydown", (ev) => {
      const t = ev.target;
      if ((ev.key === "Enter" || ev.key === " ") && t !== svg) { ev.preventDefault(); activate(t); return; }
      const moves = { ArrowLeft: [-0.1, 0], ArrowRight: [0.1, 0], ArrowUp: [0, -0.1], ArrowDown: [0, 0.1] };
      if (t === svg && moves[ev.key]) { ev.preventDefault(); pan(moves[ev.key][0], moves[ev.key][1]); }
      else if (t === svg && (ev.key === "+" || ev.key === "=")) { ev.preventDefault(); zoom(1 / 1.5); }
      else if (t === svg && ev.key === "-") { ev.preventDefault(); zoom(1.5); }
    });
    svg.addEventListener("focusin", (ev) => {
      const text = ev.target !== svg && ev.target.dataset ? tooltipText(ev.target) : null;
      const tip = $("tooltip");
      if (!text) { tip.hidden = true; return; }
      tip.textContent = text;
      const r = $("map-panel").getBoundingClientRect(), b = ev.target.getBoundingClientRect();
      tip.style.left = (b.left - r.left + b.width / 2) + "px"; tip.style.top = (b.top - r.top + b.height / 2) + "px";
      tip.hidden = false;
    });
    svg.addEventListener("focusout", () => { $("tooltip").hidden = true; });
    $("zoom-in").addEventListener("click", () => zoom(1 / 1.5));
    $("zoom-out").addEventListener("click", () => zoom(1.5));
    $("zoom-fit").addEventListener("click", () => { if (state.full) { state.view = state.full.slice(); applyView(); } });
    window.addEventListener("resize", applyView);
  }

  // ---------- search ----------
  function resultButton(label, detail, attrs, action) {
    const b = el("button", Object.assign({ type: "button", class: "result" }, attrs), label + " ", el("small", {}, detail));
    b.addEventListener("click", action);
    return el("li", {}, b);
  }
  function setupSearch() {
    let timer = null, seq = 0;
    $("search").addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const q = $("search").value.trim(), my = ++seq, ul = $("search-results");
        if (q.length < 2) { ul.textContent = ""; return; }
        try {
          const r = await api("/api/search?q=" + encodeURIComponent(q));
          if (my !== seq) return;
          ul.textContent = "";
          for (const e of r.epci) {
            ul.append(resultButton(e.name, e.nature + " · " + e.departements.join(", ") + " · " + e.code, { "data-code": e.code },
              () => addFromSearch(e.code, e.name, e.departements)));
          }
          for (const c of r.communes) {
            if (!c.epci) continue;
            ul.append(resultButton(c.name, "commune (" + c.departement + ") → " + (c.epci_name || c.epci), { "data-commune": c.code },
              () => addFromSearch(c.epci, c.epci_name || c.epci, [c.departement])));
          }
          if (!ul.children.length) ul.append(el("li", { class: "hint" }, "Aucun résultat."));
        } catch (e) { ul.textContent = ""; ul.append(el("li", { class: "hint" }, e.message)); }
      }, 150);
    });
  }
  async function addFromSearch(code, name, deps) {
    state.names.set(code, name);
    if (!state.features.has(code)) await loadDepartements(deps, false);
    if (!state.members.includes(code)) toggleMember(code);
  }

  // ---------- "Partir de…": a labelled territory or a CRTE as the option ----------
  let territorySeq = 0;
  async function findTerritories() {
    const q = $("start-from").value.trim(), my = ++territorySeq, ul = $("start-results");
    if (q.length < 2) { ul.textContent = ""; return; }
    try {
      const r = await api("/api/territories?q=" + encodeURIComponent(q));
      if (my !== territorySeq) return;
      ul.textContent = "";
      for (const t of r) {
        ul.append(resultButton(t.name, t.layer + " · " + t.id + " · " + t.members.length + " membres",
          { "data-territory": t.id, "aria-label": "Partir de " + t.name + " (" + t.id + ", " + t.layer + ")" },
          () => { state.loading = startFrom(t); }));
      }
      if (!ul.children.length) ul.append(el("li", { class: "hint" }, "Aucun territoire."));
      announce(r.length + (r.length > 1 ? " territoires trouvés." : " territoire trouvé."));
    } catch (e) { ul.textContent = ""; ul.append(el("li", { class: "hint" }, e.message)); }
  }
  function setupStartFrom() {
    let timer = null;
    $("start-from").addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(findTerritories, 150); });
  }
  async function startFrom(t) {
    try {
      await applyOption({ id: t.id, name: t.name, members: t.members });
      setStatus("Option partie de « " + t.name + " » (" + t.layer + ") : " + t.members.length + " membres.", "idle");
    } catch (e) { setStatus(e.message, "error"); }
  }

  // ---------- options: save, load, download, compare ----------
  function saved() { try { return JSON.parse(localStorage.getItem("perimetre.options") || "{}"); } catch (e) { return {}; } }
  function storeSaved(all) { localStorage.setItem("perimetre.options", JSON.stringify(all)); refreshSaved(); }
  function optionKey(o) { return o.name || o.id || "Option sans nom"; }
  function refreshSaved() {
    const all = saved();
    for (const id of ["saved-select", "compare-select"]) {
      const s = $(id), keep = s.value;
      s.textContent = "";
      s.append(el("option", { value: "" }, "—"));
      for (const k of Object.keys(all).sort()) s.append(el("option", { value: k }, k + " (" + all[k].members.length + " membres)"));
      s.value = keep;
    }
  }
  async function applyOption(o) {
    $("opt-name").value = o.name || ""; $("opt-id").value = o.id || "";
    const members = Array.from(new Set(o.members));
    const missing = members.filter((c) => !state.features.has(c));
    if (missing.length) {
      const fc = await api("/api/epci?codes=" + encodeURIComponent(missing.join(",")));
      const deps = new Set(state.deps);
      for (const f of fc.features) { state.names.set(f.properties.code, f.properties.name); f.properties.departements.forEach((d) => deps.add(d)); }
      if (deps.size && deps.size <= 20) await loadDepartements(Array.from(deps), true);
    }
    state.clickAt = performance.now();
    setMembers(members, "Option « " + optionKey(o) + " » : " + members.length + " membres.");
    writeHash();
  }
  function download(name, blob) {
    const a = el("a", { href: URL.createObjectURL(blob), download: name });
    document.body.append(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 2000);
  }
  function fileBase(o) { return (o.id || o.name || "perimetre").replace(/[^A-Za-z0-9_-]+/g, "-").replace(/^-+|-+$/g, "") || "perimetre"; }
  function setupOptions() {
    $("save-btn").addEventListener("click", () => {
      const o = currentOption();
      if (!o.members.length) { setStatus("Rien à enregistrer : l'option n'a aucun membre.", "error"); return; }
      if (!o.name) { o.name = "Option " + (Object.keys(saved()).length + 1); $("opt-name").value = o.name; writeHash(); }
      const all = saved(); all[optionKey(o)] = o; storeSaved(all);
      setStatus("Option « " + optionKey(o) + " » enregistrée dans ce navigateur.", "idle");
    });
    $("download-btn").addEventListener("click", () => {
      const o = currentOption();
      const out = {}; if (o.id) out.id = o.id; if (o.name) out.name = o.name; out.members = o.members;
      download(fileBase(o) + ".json", new Blob([JSON.stringify(out, null, 2) + "\n"], { type: "application/json" }));
    });
    $("file-input").addEventListener("change", async (ev) => {
      const file = ev.target.files[0]; if (!file) return;
      try {
        const text = await file.text();
        const r = await api("/api/members", { method: "POST", body: text });
        await applyOption({ id: r.id || "", name: r.name || file.name.replace(/\.[^.]*$/, ""), members: r.members });
      } catch (e) { setStatus("Fichier illisible : " + e.message, "error"); }
      ev.target.value = "";
    });
    $("clear-btn").addEventListener("click", () => setMembers([], "Option vidée."));
    $("undo-btn").addEventListener("click", undo);
    $("redo-btn").addEventListener("click", redo);
    $("opt-name").addEventListener("change", writeHash);
    $("opt-id").addEventListener("change", writeHash);
    $("load-btn").addEventListener("click", () => { const o = saved()[$("saved-select").value]; if (o) applyOption(o); });
    $("delete-btn").addEventListener("click", () => { const all = saved(); delete all[$("saved-select").value]; storeSaved(all); });
    for (const b of document.querySelectorAll("button.export")) {
      b.addEventListener("click", async () => {
        const o = currentOption(), format = b.dataset.format;
        if (!o.members.length) { setStatus("Rien à exporter : l'option n'a aucun membre.", "error"); return; }
        try {
          const r = await fetch("/api/export?format=" + format, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(requestBody(o)) });
          if (!r.ok) { const e = await r.json(); throw new Error(e.error); }
          download(fileBase(o) + "." + format, await r.blob());
        } catch (e) { setStatus("Export impossible : " + e.message, "error"); }
      });
    }
    $("compare-btn").addEventListener("click", () => compare());
    $("compare-close").addEventListener("click", () => { $("compare").hidden = true; });
    refreshSaved();
  }
  function setupKeyboard() {
    // Ctrl+Z / Ctrl+Y (Cmd on a Mac, Ctrl+Shift+Z too) undo and redo member changes, except while
    // typing in a text field, where they keep their usual meaning.
    document.addEventListener("keydown", (ev) => {
      if (!(ev.ctrlKey || ev.metaKey) || ev.altKey) return;
      const t = ev.target;
      if (t && (t.tagName === "TEXTAREA" || (t.tagName === "INPUT" && t.type !== "checkbox" && t.type !== "file"))) return;
      const k = ev.key.toLowerCase();
      if (k === "z" && !ev.shiftKey) { ev.preventDefault(); undo(); }
      else if (k === "y" || (k === "z" && ev.shiftKey)) { ev.preventDefault(); redo(); }
    });
    window.addEventListener("hashchange", () => {
      if (location.hash === state.hash) return;
      const o = readHash();
      if (o) applyOption(o).catch((e) => setStatus(e.message, "error"));
    });
  }
  function miniMap(res) {
    const svg = document.createElementNS(SVGNS, "svg");
    const g = document.createElementNS(SVGNS, "g");
    svg.append(g);
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", "Carte du périmètre");
    const level = state.level;
    state.level = "local";  // the mini maps are always drawn without insets
    drawAnalysisInto(g, res.map, res.report, true);
    state.level = level;
    const b = res.report.bbox;
    if (b) svg.setAttribute("viewBox", viewFor(b, 0.06).join(" "));
    return svg;
  }
  function compareColumn(title, res) {
    const r = res.report;
    const rows = [
      ["Surface", fmtNum(r.area_km2, 1) + " km²"], ["Population", fmtInt(r.population)], ["Communes", fmtInt(r.commune_count)],
      ["EPCI", String(r.epci_count)], ["Contigu", r.contiguity.contiguous ? "oui" : "non (" + r.contiguity.components.length + " ensembles)"],
      ["Enclaves", String(r.enclaves.length)], ["Départements", r.departements.map((d) => d.code).join(", ")],
      ["Régions", r.regions.map((d) => d.name).join(", ")], ["Frontalier", r.border.frontalier ? "oui" : "non"],
      ["Constats bloquants", String(r.findings.filter((f) => f.severity === "bloquant").length)],
    ];
    const t = el("table", {});
    for (const [k, v] of rows) t.append(el("tr", {}, el("td", {}, k), el("td", {}, v)));
    const ul = el("ul", { class: "findings" });
    for (const f of r.findings) ul.append(findingItem(f));
    if (!r.findings.length) ul.append(el("li", { class: "empty" }, "Aucun constat."));
    return el("div", { class: "compare-col" }, el("h3", {}, title), miniMap(res), t, ul);
  }
  function diffSummary(d) {
    const verdicts = { unchanged: "Aucune modification", marginal: "Modification à la marge", not_marginal: "Pas une modification à la marge" };
    const box = el("div", { class: "diff-summary", id: "diff-summary", "data-verdict": d.verdict });
    box.append(el("h3", {}, verdicts[d.verdict] || d.verdict));
    const ul = el("ul", {});
    for (const r of d.reasons) ul.append(el("li", {}, r));
    box.append(ul);
    const pct = (x) => fmtNum(x * 100, 1) + " %";
    const rows = [
      ["EPCI ajoutés", d.epci_added.map((e) => e.name + (e.whole ? "" : " (en partie)")).join(", ") || "aucun"],
      ["EPCI retirés", d.epci_removed.map((e) => e.name + (e.whole ? "" : " (en partie)")).join(", ") || "aucun"],
      ["Communes", "+" + d.communes_added.length + " / −" + d.communes_removed.length],
      ["Population changée", pct(d.population_change_share)], ["Surface changée", pct(d.area_change_share)],
      ["Constats qui apparaissent", d.findings_appeared.map((f) => f.rule).join(", ") || "aucun"],
      ["Constats qui disparaissent", d.findings_disappeared.map((f) => f.rule).join(", ") || "aucun"],
      ["Régions (avis du conseil régional)", d.regions.map((r) => r.name).join(", ")],
    ];
    const t = el("table", {});
    for (const [k, v] of rows) t.append(el("tr", {}, el("td", {}, k), el("td", {}, v)));
    box.append(t, el("p", { class: "rule" }, "Règle : " + d.rule + "."));
    return box;
  }
  async function compare() {
    const other = saved()[$("compare-select").value];
    if (!other) { setStatus("Choisissez une option enregistrée à comparer.", "error"); return; }
    const cur = currentOption();
    if (!cur.members.length) { setStatus("L'option actuelle n'a aucun membre.", "error"); return; }
    setStatus("Comparaison en cours…", "loading");
    try {
      // The saved option is taken as the labelled one, the current option as its amendment (perimetre diff).
      const [a, b, d] = await Promise.all([postJSON("/api/analyse", requestBody(cur)), postJSON("/api/analyse", requestBody(other)),
        postJSON("/api/diff", { before: requestBody(other), after: requestBody(cur) })]);
      const body = $("compare-body");
      body.textContent = "";
      body.append(diffSummary(d), compareColumn("Option actuelle" + (cur.name ? " : " + cur.name : ""), a), compareColumn(optionKey(other), b));
      $("compare").hidden = false;
      $("compare").scrollIntoView({ behavior: "smooth" });
      setStatus("Comparaison prête.", "idle");
    } catch (e) { setStatus("Comparaison impossible : " + e.message, "error"); }
  }

  // ---------- start ----------
  function setupLayers(layers) {
    state.layers = layers.filter((l) => l.role === "against").map((l) => l.id);
    state.territoryLayers = layers.map((l, i) => ({ id: l.id, role: l.role, colour: LAYER_COLOURS[i % LAYER_COLOURS.length],
      label: l.role === "territories" ? "Territoire" : (l.format === "crte" ? "CRTE" : "Couche " + l.id) }));
    if (!layers.length) return;
    $("layers-box").hidden = false;
    for (const l of state.territoryLayers) {
      const row = el("div", { class: "layer-row" });
      if (l.role === "against") {
        const cb = el("input", { type: "checkbox", id: "layer-" + l.id, checked: true });
        cb.addEventListener("change", scheduleAnalysis);
        row.append(el("label", { title: "Recouvrements calculés dans l'analyse" }, cb, " " + l.id + " (analyse)"));
      }
      // The --territories outlines are shown at first; the other layers (often dense, as CRTE are) on demand.
      const ob = el("input", { type: "checkbox", id: "outline-" + l.id, checked: l.role === "territories" });
      ob.addEventListener("change", loadOutlines);
      row.append(el("label", {}, ob, " ", el("i", { class: "sw line", style: "border-color:" + l.colour }), " contours " + l.id));
      $("layers").append(row);
      document.querySelector(".legend").append(el("span", {}, el("i", { class: "sw line", style: "border-style:dashed;border-color:" + l.colour }),
        (l.role === "territories" ? "territoires (" : "couche (") + l.id + ")"));
    }
    // A layer with codes not understood (another vintage): its warning, as perimetre check gives it.
    for (const l of layers) if (l.warning) $("layers").append(el("p", { class: "layer-warning" }, "⚠ " + l.warning));
    $("start-box").hidden = false;
  }
  async function start() {
    setupMap(); setupSearch(); setupStartFrom(); setupOptions(); setupKeyboard(); renderMemberList(); updateHistoryButtons();
    const [deps, regions, layers] = await Promise.all([api("/api/departements"), api("/api/regions"), api("/api/layers")]);
    for (const r of regions) { state.regionNames.set(r.code, r.name); $("region-select").append(el("option", { value: r.code }, r.name + " (" + r.code + ")")); }
    for (const d of deps) { state.depInfo.set(d.code, d); $("dep-select").append(el("option", { value: d.code }, d.code + " — " + d.name)); }
    setupLayers(layers);
    $("show-btn").addEventListener("click", async () => {
      try {
        const d = $("dep-select").value, r = $("region-select").value;
        if (d) await loadDepartements([d], true); else if (r) await loadRegion(r); else await showFrance();
      } catch (e) { setStatus(e.message, "error"); }
    });
    $("add-dep-btn").addEventListener("click", async () => {
      const d = $("dep-select").value;
      if (d) { try { await loadDepartements([d], false); } catch (e) { setStatus(e.message, "error"); } }
    });
    $("region-select").addEventListener("change", () => { $("dep-select").value = ""; });
    // URL parameters: ?departement=25,90 | ?region=27, ?name=, ?id=, ?members=SIREN,… (added directly),
    // ?click=SIREN,… (clicked on the map, as a person would), ?compare=SIREN,… (compared side by side),
    // ?shapes=off (the analysis without its exact shapes: the option stays drawn from the EPCI).
    // The fragment #members=…&name=…&id=… is the option itself (kept up to date: a shared link reopens it).
    const q = new URLSearchParams(location.search);
    const fromHash = readHash();
    state.noShapes = q.get("shapes") === "off";
    try {
      if (q.get("name")) $("opt-name").value = q.get("name");
      if (q.get("id")) $("opt-id").value = q.get("id");
      if (q.get("departement")) await loadDepartements(q.get("departement").split(","), true);
      else if (q.get("region")) await loadRegion(q.get("region"));
      else if (!fromHash && !q.get("members")) await showFrance();
      if (fromHash) await applyOption(fromHash);
      else if (q.get("members")) await applyOption({ id: $("opt-id").value, name: $("opt-name").value, members: q.get("members").split(",").filter(Boolean) });
      if (!state.view) await showFrance();
      if (q.get("compare")) {
        // ?compare=SIREN,…&compare_name=…: an option to compare with, kept among the saved options.
        const other = { id: "", name: q.get("compare_name") || "Option comparée", members: q.get("compare").split(",").filter(Boolean) };
        const all = saved(); all[optionKey(other)] = other; storeSaved(all);
        $("compare-select").value = optionKey(other);
      }
      if (q.get("from")) {
        // ?from=texte: typed in "Partir de…", the first territory found is chosen.
        $("start-from").value = q.get("from");
        await findTerritories();
        const first = document.querySelector("#start-results button.result");
        if (first) { state.loading = null; first.click(); if (state.loading) await state.loading; }
      }
      if (q.get("click")) await clickPath(q.get("click").split(","));
      if (q.get("compare") && state.members.length) await compare();
    } catch (e) { setStatus(e.message, "error"); }
  }
  start().catch((e) => setStatus("Erreur au démarrage : " + e.message, "error"));
})();
