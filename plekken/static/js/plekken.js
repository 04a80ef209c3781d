/* plekken — behaviour of the wijk map page.
 *
 * Reads its settings from <script id="plekken-config" type="application/json"> and
 * finds the Leaflet map that folium created (window[config.mapName]). The modules beside
 * this one each add their part to the app: the places on the map (markers.js, clustered by
 * markerlayer.js), the list of places in view (placelist.js), the legend
 * that filters them (legend.js), the add-place form (form.js) and its draft (draft.js).
 * Their texts come from the page config (translations/js_messages.json).
 */

import { installAccess } from "./access.js";
import { format, h, readConfig } from "./dom.js";
import { installDraft } from "./draft.js";
import { installForm } from "./form.js";
import { installLegend } from "./legend.js";
import { createMarkerLayer } from "./markerlayer.js";
import { SHAPE_BY_KEY, SHAPE_ORDER, installMarkers, safeColour, shapeSvg } from "./markers.js";
import { createPlaceList } from "./placelist.js";

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
    entries: [],          // places: see toEntry() in markers.js
    byId: new Map(),
    markersShown: false,
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
  installAccess(app);

  /* ---------- start ---------- */

  app.start = function () {
    const map = window[config.mapName];
    if (map && typeof map.addLayer === "function" && window.L) {
      app.map = map;
      app.readUrl();
      // Clustering needs a maximum zoom; without tile layers the map has none of its own.
      if (!Number.isFinite(map.getMaxZoom())) map.setMaxZoom(19);
      if (window.performance && performance.mark) performance.mark("plekken:map-ready");
      app.layer = createMarkerLayer(app, { fallbackSymbol, shapeSvg, label: app.markerLabel }).addTo(map);
      app.buildFilterControl();
      app.list = createPlaceList(app, { fallbackSymbol, shapeSvg });
      app.localiseControls();
      app.startAccess();
      app.writeUrl();
      app.loaded = app.loadMarkers().then(() => {
        if (config.added !== undefined && config.added !== null) app.openPlace(config.added);
      });
    } else {
      console.warn("plekken: map not found:", config.mapName);
    }
    app.setupForm();
    if (app.form && app.map && app.form.lon && app.form.lat && app.form.lon.value && app.form.lat.value) {
      const lat = parseFloat(app.form.lat.value);
      const lon = parseFloat(app.form.lon.value);
      if (Number.isFinite(lat) && Number.isFinite(lon) && config.canAdd) app.setDraft([lat, lon], "restore");
    }
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
