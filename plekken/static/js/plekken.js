/* plekken — behaviour of the wijk map page.
 *
 * Reads its settings from <script id="plekken-config" type="application/json"> and
 * finds the Leaflet map that folium created (window[config.mapName]). The modules beside
 * this one each add their part to the app: the places on the map (markers.js), the legend
 * that filters them (legend.js), the add-place form (form.js) and its draft (draft.js).
 * Their texts come from the page config (translations/js_messages.json).
 */

import { format, h, readConfig } from "./dom.js";
import { installDraft } from "./draft.js";
import { installForm } from "./form.js";
import { installLegend } from "./legend.js";
import { SHAPE_BY_KEY, SHAPE_ORDER, installMarkers, safeColour } from "./markers.js";

function createApp(config) {
  const messages = config.messages || {};
  const msg = (key, values) => format(messages[key] !== undefined ? messages[key] : key, values);
  const lang = config.lang || document.documentElement.lang || "nl";

  const types = new Map();
  (config.functionTypes || []).forEach((ft, index) => {
    types.set(ft.key, {
      key: ft.key,
      label: ft.label || ft.key,
      explanation: ft.explanation || "",
      colour: safeColour(ft.colour),
      shape: ft.shape || SHAPE_BY_KEY[ft.key] || SHAPE_ORDER[index % SHAPE_ORDER.length],
    });
  });
  const buurten = (config.buurten || []).filter((b) => Number.isFinite(+b.lon) && Number.isFinite(+b.lat));
  const fallbackSymbol = ((config.icons || []).find((i) => i.key === "ster") || {}).url || "";

  const app = {
    config, msg, lang, types, buurten, fallbackSymbol,
    map: null,
    layer: null,
    entries: [],          // {feature, marker}
    byId: new Map(),
    stacks: new Map(),    // position key -> number of markers there
    active: new Set(types.keys()),
    filter: null,
    form: null,
    draft: null,
    announcer: null,
    scheduleSave: () => {},  // set by the draft storage
  };

  /* ---------- announcements for screen readers ---------- */

  app.announce = function (text) {
    if (!app.announcer) {
      app.announcer = h("div", { className: "visually-hidden", role: "status", "aria-live": "polite", id: "plekken-announcer" });
      document.body.append(app.announcer);
    }
    const el = app.announcer;
    el.textContent = "";
    window.setTimeout(() => { el.textContent = text; }, 60);
  };

  installMarkers(app);
  installLegend(app);
  installForm(app);
  installDraft(app);

  /* ---------- start ---------- */

  app.start = function () {
    const map = window[config.mapName];
    if (map && typeof map.addLayer === "function" && window.L) {
      app.map = map;
      app.readUrl();
      // A whole gemeente holds hundreds of places: they are clustered until zoomed in.
      // Clustering needs a maximum zoom; without tile layers the map has none of its own.
      if (!Number.isFinite(map.getMaxZoom())) map.setMaxZoom(19);
      app.layer = (config.cluster && typeof L.markerClusterGroup === "function")
        ? L.markerClusterGroup({
          showCoverageOnHover: false,
          maxClusterRadius: 45,
          disableClusteringAtZoom: 16,
          spiderfyOnMaxZoom: true,
        }).addTo(map)
        : L.layerGroup().addTo(map);
      app.buildFilterControl();
      app.localiseControls();
      const features = (config.places && config.places.features) || [];
      features.forEach((feature) => app.addPlace(feature));
      app.applyFilter();
      app.writeUrl();
    } else {
      console.warn("plekken: map not found:", config.mapName);
    }
    app.setupForm();
    if (app.form && app.map && app.form.lon && app.form.lat && app.form.lon.value && app.form.lat.value) {
      const lat = parseFloat(app.form.lat.value);
      const lon = parseFloat(app.form.lon.value);
      if (Number.isFinite(lat) && Number.isFinite(lon) && config.canAdd) app.setDraft([lat, lon], "restore");
    }
    if (config.added !== undefined && config.added !== null && app.map) app.openPlace(config.added);
    return app;
  };

  return app;
}

function init() {
  if (window.plekken && window.plekken.started) return;
  const config = readConfig();
  if (!config) return;
  const app = createApp(config);
  window.plekken = app;
  app.start();
  app.started = true;
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
else init();
