/// The page's three assets, compiled into the binary (served from memory, never from disk).
enum PageAssets {
    static let html = #"""
<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Atelier de périmètre — Territoires d'industrie</title>
<link rel="stylesheet" href="/app.css">
</head>
<body data-analysis="none">
<header>
  <h1>Atelier de périmètre <span>Territoires d'industrie</span></h1>
  <p id="status" data-state="idle" role="status">Choisissez un département, puis cliquez sur les EPCI pour composer le périmètre.</p>
</header>
<main>
  <aside id="controls">
    <section>
      <h2>Territoire affiché</h2>
      <label>Région <select id="region-select"><option value="">—</option></select></label>
      <label>Département <select id="dep-select"><option value="">—</option></select></label>
      <div class="row"><button id="show-btn" type="button">Afficher</button><button id="add-dep-btn" type="button" title="Ajouter ce département à la carte">Ajouter à la carte</button></div>
      <p class="hint" id="shown"></p>
    </section>
    <section>
      <h2>Rechercher</h2>
      <input id="search" type="search" placeholder="Nom d'EPCI, de commune, SIREN…" autocomplete="off" aria-label="Rechercher un EPCI ou une commune">
      <ul id="search-results"></ul>
    </section>
    <section>
      <h2>Option</h2>
      <label>Nom <input id="opt-name" type="text" placeholder="Option 1"></label>
      <label>Identifiant <input id="opt-id" type="text" placeholder="option-1"></label>
      <ul id="member-list"></ul>
      <div class="row">
        <button id="save-btn" type="button" title="Enregistrer dans ce navigateur">Enregistrer</button>
        <button id="download-btn" type="button" title="Fichier de membres JSON, lisible par perimetre check --members">Télécharger</button>
        <label class="button" title="Fichier de membres (JSON ou CSV)">Ouvrir…<input id="file-input" type="file" accept=".json,.csv,.txt"></label>
        <button id="clear-btn" type="button">Vider</button>
      </div>
      <label>Options enregistrées <select id="saved-select"><option value="">—</option></select></label>
      <div class="row"><button id="load-btn" type="button">Charger</button><button id="delete-btn" type="button">Supprimer</button></div>
      <div id="layers-box" hidden><h3>Couches de chevauchement</h3><div id="layers"></div></div>
    </section>
    <section>
      <h2>Exporter</h2>
      <div class="row">
        <button type="button" class="export" data-format="html">Rapport HTML</button>
        <button type="button" class="export" data-format="geojson">GeoJSON</button>
        <button type="button" class="export" data-format="json">JSON</button>
      </div>
    </section>
    <section>
      <h2>Comparer</h2>
      <label>Avec l'option <select id="compare-select"><option value="">—</option></select></label>
      <div class="row"><button id="compare-btn" type="button">Comparer côte à côte</button></div>
    </section>
  </aside>
  <section id="map-panel">
    <div id="map-tools">
      <button id="zoom-in" type="button" title="Zoomer">+</button>
      <button id="zoom-out" type="button" title="Dézoomer">−</button>
      <button id="zoom-fit" type="button" title="Recentrer">⤢</button>
    </div>
    <svg id="map" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Carte des EPCI">
      <g id="layer-base"></g><g id="layer-analysis"></g>
    </svg>
    <div id="tooltip" hidden></div>
    <p class="legend">
      <span><i class="sw" style="background:#2f6db3"></i>membres (couleur par ensemble contigu)</span>
      <span><i class="sw line"></i>contour du périmètre</span>
      <span><i class="sw" style="background:#d62728"></i>enclave</span>
      <span><i class="sw dash"></i>frontière terrestre</span>
    </p>
  </section>
  <aside id="analysis">
    <h2>Analyse</h2>
    <div id="figures" class="figures"></div>
    <p id="contiguity" class="verdict"></p>
    <h3>Constats</h3>
    <ul id="findings" class="findings"><li class="empty">Aucun membre pour l'instant.</li></ul>
    <h3>Pistes</h3>
    <ul id="remedies" class="findings remedies"><li class="empty">Aucune piste.</li></ul>
    <div id="details"></div>
  </aside>
</main>
<section id="compare" hidden>
  <div class="compare-head"><h2>Comparaison côte à côte</h2><button id="compare-close" type="button">Fermer</button></div>
  <div id="compare-body"></div>
</section>
<footer>Données : IGN ADMIN EXPRESS, INSEE (Licence Ouverte 2.0) ; frontières Natural Earth. Tout est servi par perimetre, sans accès à Internet.</footer>
<script src="/app.js"></script>
</body>
</html>
"""#
}
