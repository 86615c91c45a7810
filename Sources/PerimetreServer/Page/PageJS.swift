extension PageAssets {
    static let javascript = #"""
"use strict";
// Atelier de périmètre: everything the page needs comes from perimetre serve itself.
(function () {
  const $ = (id) => document.getElementById(id);
  const SVGNS = "http://www.w3.org/2000/svg";
  const PALETTE = ["#2f6db3", "#e07b00", "#b8336a", "#2a9d5c", "#7b52ab", "#c9a400", "#5f7f8f"];
  const SEVERITY = { bloquant: "Bloquant", attention: "Attention", info: "Information" };
  const state = {
    deps: [], region: "", features: new Map(), names: new Map(), members: [], report: null, map: null,
    k: 1, view: null, full: null, seq: 0, timer: null, layers: [],
  };

  // ---------- helpers ----------
  const fmtInt = (n) => Math.round(n).toLocaleString("fr-FR");
  const fmtNum = (n, d) => Number(n).toLocaleString("fr-FR", { minimumFractionDigits: d, maximumFractionDigits: d });
  const fmtDist = (m) => (m >= 1000 ? fmtNum(m / 1000, 1) + " km" : fmtInt(m) + " m");
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") e.className = v; else if (k.startsWith("data-")) e.setAttribute(k, v); else e[k] = v;
    }
    for (const c of children) if (c != null) e.append(c);
    return e;
  }
  function shortName(n) {
    return n.replace(/^Communauté de communes /, "CC ").replace(/^Communauté d'agglomération /, "CA ")
      .replace(/^Communauté urbaine /, "CU ").replace(/^Métropole /, "Mét. ");
  }
  function setStatus(text, st) { const s = $("status"); s.textContent = text; s.dataset.state = st || "idle"; }
  async function api(path, options) {
    const r = await fetch(path, options);
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

  // ---------- projection: equirectangular scaled by cos(latitude) ----------
  function project(c) { return [c[0] * state.k, -c[1]]; }
  function ringPath(ring) {
    let d = "";
    for (let i = 0; i < ring.length; i++) {
      const p = project(ring[i]);
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
  function applyView() { if (state.view) $("map").setAttribute("viewBox", state.view.map((v) => v.toFixed(5)).join(" ")); }

  // ---------- base map ----------
  async function loadDepartements(codes, replace) {
    const deps = replace ? codes.slice() : Array.from(new Set(state.deps.concat(codes)));
    if (deps.length === 0) return;
    setStatus("Chargement de la carte…", "loading");
    const fc = await api("/api/epci?departement=" + encodeURIComponent(deps.join(",")));
    state.deps = deps;
    state.region = "";
    $("region-select").value = "";
    $("dep-select").value = deps.length === 1 ? deps[0] : "";
    setBase(fc);
    setStatus(fc.features.length + " EPCI affichés. Cliquez pour ajouter ou retirer un EPCI.", "idle");
  }
  async function loadRegion(code) {
    setStatus("Chargement de la carte…", "loading");
    const fc = await api("/api/epci?region=" + encodeURIComponent(code));
    state.deps = [];
    state.region = code;
    $("region-select").value = code;
    $("dep-select").value = "";
    setBase(fc);
    setStatus(fc.features.length + " EPCI affichés. Cliquez pour ajouter ou retirer un EPCI.", "idle");
  }
  function setBase(fc) {
    state.features = new Map();
    for (const f of fc.features) { state.features.set(f.properties.code, f); state.names.set(f.properties.code, f.properties.name); }
    const b = extent(fc.features);
    state.k = Math.cos(((b[1] + b[3]) / 2) * Math.PI / 180);
    state.full = viewFor(b);
    state.view = state.full.slice();
    const g = $("layer-base");
    g.textContent = "";
    for (const f of fc.features) {
      const p = document.createElementNS(SVGNS, "path");
      p.setAttribute("d", geomPath(f.geometry));
      p.setAttribute("class", "epci");
      p.setAttribute("fill-rule", "evenodd");
      p.dataset.code = f.properties.code;
      g.append(p);
    }
    $("shown").textContent = state.region ? "Région " + state.region : "Départements : " + state.deps.join(", ");
    applyView();
    paintMembers();
    drawAnalysis();
  }

  // ---------- members ----------
  function toggleMember(code) {
    const i = state.members.indexOf(code);
    if (i >= 0) state.members.splice(i, 1); else state.members.push(code);
    membersChanged();
  }
  function membersChanged() {
    renderMemberList();
    paintMembers();
    scheduleAnalysis();
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
      const on = state.members.includes(code);
      p.classList.toggle("member", on);
      p.style.fill = on ? PALETTE[(comp.get(code) || 0) % PALETTE.length] : "";
      p.style.fillOpacity = on ? "0.6" : "";
    }
  }
  function renderMemberList() {
    const ul = $("member-list");
    ul.textContent = "";
    for (const code of state.members) {
      const rm = el("button", { type: "button", title: "Retirer", textContent: "×" });
      rm.addEventListener("click", () => toggleMember(code));
      const name = state.names.get(code) || code;
      ul.append(el("li", { "data-code": code }, el("span", { title: name + " (" + code + ")" }, shortName(name) + " ", el("small", {}, code)), rm));
    }
    if (state.members.length === 0) ul.append(el("li", { class: "hint" }, "Aucun membre."));
  }

  // ---------- analysis ----------
  function scheduleAnalysis() {
    clearTimeout(state.timer);
    state.timer = setTimeout(runAnalysis, 60);
  }
  async function runAnalysis() {
    const seq = ++state.seq;
    if (state.members.length === 0) {
      state.report = null; state.map = null;
      renderAnalysis(); drawAnalysis(); paintMembers();
      setStatus("Aucun membre : cliquez sur les EPCI de la carte.", "idle");
      document.body.dataset.analysis = "empty";
      return;
    }
    setStatus("Analyse en cours…", "loading");
    document.body.dataset.analysis = "loading";
    const t0 = performance.now();
    try {
      const res = await postJSON("/api/analyse", requestBody(currentOption()));
      if (seq !== state.seq) return;
      state.report = res.report; state.map = res.map;
      for (const m of res.report.members) state.names.set(m.code, m.name);
      renderMemberList(); renderAnalysis(); drawAnalysis(); paintMembers();
      setStatus("Analyse à jour (" + Math.round(performance.now() - t0) + " ms).", "idle");
      document.body.dataset.analysis = "done";
      document.body.dataset.contiguous = String(res.report.contiguity.contiguous);
    } catch (e) {
      if (seq !== state.seq) return;
      state.report = null; state.map = null;
      renderAnalysis(e.message); drawAnalysis();
      setStatus("Erreur : " + e.message, "error");
      document.body.dataset.analysis = "error";
    }
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
  function applyRemedy(rm) {
    for (const p of rm.places || []) state.names.set(p.code, p.name);
    const drop = new Set(rm.remove || []);
    state.members = state.members.filter((c) => !drop.has(c));
    for (const c of rm.add || []) if (!state.members.includes(c)) state.members.push(c);
    membersChanged();
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
        const b = el("button", { type: "button", class: "apply-remedy", textContent: "Appliquer" });
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
  function drawAnalysis() { drawAnalysisInto($("layer-analysis"), state.map, state.report, false); }

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
  function svgPoint(ev) {
    const svg = $("map"), r = svg.getBoundingClientRect(), v = state.view;
    const s = Math.max(v[2] / r.width, v[3] / r.height);
    const ox = v[0] + v[2] / 2 - (r.width * s) / 2, oy = v[1] + v[3] / 2 - (r.height * s) / 2;
    return [ox + (ev.clientX - r.left) * s, oy + (ev.clientY - r.top) * s, s];
  }
  function setupMap() {
    const svg = $("map");
    let drag = null;
    svg.addEventListener("wheel", (ev) => { ev.preventDefault(); const p = svgPoint(ev); zoom(ev.deltaY > 0 ? 1.2 : 1 / 1.2, p[0], p[1]); }, { passive: false });
    svg.addEventListener("pointerdown", (ev) => { if (state.view) drag = { x: ev.clientX, y: ev.clientY, v: state.view.slice(), moved: false }; });
    svg.addEventListener("pointermove", (ev) => {
      const tip = $("tooltip");
      const code = ev.target.dataset ? ev.target.dataset.code : null;
      if (code && !drag) {
        const f = state.features.get(code);
        const pr = f ? f.properties : null;
        tip.textContent = pr ? pr.name + " — " + pr.nature + ", " + fmtInt(pr.population) + " hab. (" + code + ")" : code;
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
      const code = ev.target.dataset ? ev.target.dataset.code : null;
      if (code) toggleMember(code);
    });
    $("zoom-in").addEventListener("click", () => zoom(1 / 1.5));
    $("zoom-out").addEventListener("click", () => zoom(1.5));
    $("zoom-fit").addEventListener("click", () => { if (state.full) { state.view = state.full.slice(); applyView(); } });
  }

  // ---------- search ----------
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
            const li = el("li", { "data-code": e.code }, e.name + " ", el("small", {}, e.nature + " · " + e.departements.join(", ") + " · " + e.code));
            li.addEventListener("click", () => addFromSearch(e.code, e.name, e.departements));
            ul.append(li);
          }
          for (const c of r.communes) {
            if (!c.epci) continue;
            const li = el("li", { "data-commune": c.code }, c.name + " ", el("small", {}, "commune (" + c.departement + ") → " + (c.epci_name || c.epci)));
            li.addEventListener("click", () => addFromSearch(c.epci, c.epci_name || c.epci, [c.departement]));
            ul.append(li);
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
    state.members = Array.from(new Set(o.members));
    const missing = state.members.filter((c) => !state.features.has(c));
    if (missing.length) {
      const fc = await api("/api/epci?codes=" + encodeURIComponent(missing.join(",")));
      const deps = new Set(state.deps);
      for (const f of fc.features) { state.names.set(f.properties.code, f.properties.name); f.properties.departements.forEach((d) => deps.add(d)); }
      if (deps.size && deps.size <= 20) await loadDepartements(Array.from(deps), true);
    }
    membersChanged();
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
      if (!o.name) { o.name = "Option " + (Object.keys(saved()).length + 1); $("opt-name").value = o.name; }
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
    $("clear-btn").addEventListener("click", () => { state.members = []; membersChanged(); });
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
  function miniMap(res) {
    const svg = document.createElementNS(SVGNS, "svg");
    const g = document.createElementNS(SVGNS, "g");
    svg.append(g);
    drawAnalysisInto(g, res.map, res.report, true);
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
  async function compare() {
    const other = saved()[$("compare-select").value];
    if (!other) { setStatus("Choisissez une option enregistrée à comparer.", "error"); return; }
    const cur = currentOption();
    if (!cur.members.length) { setStatus("L'option actuelle n'a aucun membre.", "error"); return; }
    setStatus("Comparaison en cours…", "loading");
    try {
      const [a, b] = await Promise.all([postJSON("/api/analyse", requestBody(cur)), postJSON("/api/analyse", requestBody(other))]);
      const body = $("compare-body");
      body.textContent = "";
      body.append(compareColumn("Option actuelle" + (cur.name ? " : " + cur.name : ""), a), compareColumn(optionKey(other), b));
      $("compare").hidden = false;
      $("compare").scrollIntoView({ behavior: "smooth" });
      setStatus("Comparaison prête.", "idle");
    } catch (e) { setStatus("Comparaison impossible : " + e.message, "error"); }
  }

  // ---------- start ----------
  async function start() {
    setupMap(); setupSearch(); setupOptions(); renderMemberList();
    const [deps, regions, layers] = await Promise.all([api("/api/departements"), api("/api/regions"), api("/api/layers")]);
    for (const r of regions) $("region-select").append(el("option", { value: r.code }, r.name + " (" + r.code + ")"));
    for (const d of deps) $("dep-select").append(el("option", { value: d.code }, d.code + " — " + d.name));
    state.layers = layers.map((l) => l.id);
    if (state.layers.length) {
      $("layers-box").hidden = false;
      for (const id of state.layers) {
        const cb = el("input", { type: "checkbox", id: "layer-" + id, checked: true });
        cb.addEventListener("change", scheduleAnalysis);
        $("layers").append(el("label", {}, cb, " " + id));
      }
    }
    $("show-btn").addEventListener("click", async () => {
      try {
        const d = $("dep-select").value, r = $("region-select").value;
        if (d) await loadDepartements([d], true); else if (r) await loadRegion(r);
      } catch (e) { setStatus(e.message, "error"); }
    });
    $("add-dep-btn").addEventListener("click", async () => {
      const d = $("dep-select").value;
      if (d) { try { await loadDepartements([d], false); } catch (e) { setStatus(e.message, "error"); } }
    });
    $("region-select").addEventListener("change", () => { $("dep-select").value = ""; });
    // URL parameters: ?departement=25,90 | ?region=27, ?name=, ?id=, ?members=SIREN,… (added directly),
    // ?click=SIREN,… (clicked on the map, as a person would), ?compare=SIREN,… (compared side by side).
    const q = new URLSearchParams(location.search);
    try {
      if (q.get("name")) $("opt-name").value = q.get("name");
      if (q.get("id")) $("opt-id").value = q.get("id");
      if (q.get("departement")) await loadDepartements(q.get("departement").split(","), true);
      else if (q.get("region")) await loadRegion(q.get("region"));
      if (q.get("members")) await applyOption({ id: $("opt-id").value, name: $("opt-name").value, members: q.get("members").split(",").filter(Boolean) });
      if (q.get("compare")) {
        // ?compare=SIREN,…&compare_name=…: an option to compare with, kept among the saved options.
        const other = { id: "", name: q.get("compare_name") || "Option comparée", members: q.get("compare").split(",").filter(Boolean) };
        const all = saved(); all[optionKey(other)] = other; storeSaved(all);
        $("compare-select").value = optionKey(other);
      }
      if (q.get("click")) {
        for (const code of q.get("click").split(",")) {
          const p = document.querySelector('#layer-base path[data-code="' + CSS.escape(code) + '"]');
          if (p) p.dispatchEvent(new MouseEvent("click", { bubbles: true }));
        }
      }
      if (q.get("compare") && state.members.length) await compare();
    } catch (e) { setStatus(e.message, "error"); }
  }
  start().catch((e) => setStatus("Erreur au démarrage : " + e.message, "error"));
})();
"""#
}
