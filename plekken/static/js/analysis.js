/* plekken — analysis layers on the wijk map.
 *
 * Enhances the analysis panel (templates/_analysis_panel.html): it fetches coverage per
 * buurt, an accessibility grid or the gaps from the analysis API and draws them on the
 * Leaflet map that plekken.js found, with a legend in plain language; and it fills the
 * table of figures per buurt. Layers follow the controls, and refresh when plekken.js
 * reports a new place ("plekken:place-added").
 *
 * Texts from the server (buurt names, messages) go into the page with textContent or as
 * attribute values, never as HTML.
 */
(function () {
  "use strict";

  /* Sequential, single hue (lightness carries the meaning, so it reads for every kind of
   * colour vision); darker = better within reach. */
  const REACH_COLOURS = ["#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f"];
  const NO_DATA_FILL = "url(#analysis-pattern-nodata)";
  const GAP_COLOUR = "#b3261e";
  const GAP_FILL = "url(#analysis-pattern-gap)";
  const OUTLINE = "#3a3a44";
  const PANE = "plekkenAnalysis";
  const DISTANCE_MIN = 50;
  const DISTANCE_MAX = 5000;
  const REQUEST_TIMEOUT_MS = 90000;
  const LAYERS = ["none", "coverage", "surface", "gaps"];
  /* Above this many grid cells the surface is painted on a canvas: one SVG path per cell
   * would make a whole city sluggish. */
  const MANY_CELLS = 2500;
  const NO_DATA_GREY = "#c9c9cf";
  const URL_KEYS = { layer: "analysis", type: "analysis_type", distance: "distance", cell: "cell" };

  /* ---------- small helpers ---------- */

  const { format, h, svg, readConfig } = window.plekkenDom;

  function isNumber(value) {
    return value !== null && value !== undefined && value !== "" && Number.isFinite(Number(value));
  }

  /* Fill patterns for the gaps and for "no data", shared by the map and the legend. */
  function addPatterns() {
    if (document.getElementById("analysis-patterns")) return;
    const stripes = (id, background, line, width) => svg("pattern", {
      id, width: 8, height: 8, patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)",
    }, [
      svg("rect", { width: 8, height: 8, fill: background }),
      svg("line", { x1: 0, y1: 0, x2: 0, y2: 8, stroke: line, "stroke-width": width }),
    ]);
    const root = svg("svg", {
      id: "analysis-patterns", width: 0, height: 0, "aria-hidden": "true", focusable: "false",
      style: "position:absolute;width:0;height:0;overflow:hidden",
    }, [svg("defs", {}, [
      stripes("analysis-pattern-gap", "rgba(179,38,30,0.16)", GAP_COLOUR, 2.5),
      stripes("analysis-pattern-nodata", "#e4e4e4", "#8a8a8a", 1.5),
    ])]);
    document.body.append(root);
  }

  function swatch(fill, stroke) {
    return svg("svg", { class: "analysis-swatch", width: 22, height: 16, viewBox: "0 0 22 16", "aria-hidden": "true", focusable: "false" }, [
      svg("rect", { x: 1, y: 1, width: 20, height: 14, rx: 2, fill, stroke: stroke || OUTLINE, "stroke-width": stroke ? 2 : 1 }),
    ]);
  }

  /* ---------- the panel ---------- */

  function createAnalysis(config) {
    const messages = config.messages || {};
    const msg = (key, values) => format(messages[key] !== undefined ? messages[key] : key, values);
    const lang = config.lang || document.documentElement.lang || "nl";
    const locale = lang === "en" ? "en-GB" : "nl-NL";
    /* The map shows one wijk or a whole gemeente: the API takes wijk=… or gemeente=…. */
    const scope = config.scope || { kind: "wijk", code: "" };
    const scopeParam = { [scope.kind === "gemeente" ? "gemeente" : "wijk"]: scope.code };
    const urls = Object.assign({
      coverage: "/api/v1/analysis/coverage",
      surface: "/api/v1/analysis/surface",
      gaps: "/api/v1/analysis/gaps",
      summary: "/api/v1/analysis/summary",
      proximity: "/api/v1/analysis/proximity",
    }, config.analysisApi || {});
    const typeLabels = new Map((config.functionTypes || []).map((ft) => [ft.key, ft.label || ft.key]));
    const typeKeys = [...typeLabels.keys()];
    const buurtNames = new Map((config.buurten || []).map((b) => [b.code, b.name]));

    const numberFormat = (digits) => new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: 0 });
    const fmtInt = numberFormat(0).format;
    const fmtOne = numberFormat(1).format;
    const fmtTwo = new Intl.NumberFormat(locale, { maximumFractionDigits: 2, minimumFractionDigits: 2 }).format;
    const fmtPct = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 }).format;

    const byId = (id) => document.getElementById(id);
    const panel = byId("analysis");
    const form = byId("analysis-form");
    const el = {
      panel, form,
      type: byId("analysis-type"),
      distance: byId("analysis-distance"),
      customField: byId("analysis-custom-distance-field"),
      custom: byId("analysis-custom-distance"),
      distanceError: byId("analysis-distance-error"),
      cellField: byId("analysis-cell-field"),
      cell: byId("analysis-cell"),
      explain: byId("analysis-explain"),
      status: byId("analysis-status"),
      error: byId("analysis-error"),
      meta: byId("analysis-meta"),
      mapNote: byId("analysis-map-note"),
      tableWrap: byId("analysis-table-wrap"),
      summaryStatus: byId("analysis-summary-status"),
      summaryNotes: byId("analysis-summary-notes"),
      csv: byId("analysis-csv"),
    };

    const state = { layer: "none", type: "verbindend", distance: 400, cell: 100 };
    const cache = new Map();
    let map = null;
    let group = null;
    let renderer = null;
    let canvasRenderer = null;
    let legend = null;
    let request = { id: 0, controller: null };
    let summaryRequest = { id: 0, controller: null };
    let summaryLoaded = false;
    let summaryRecords = null;
    let summaryMeta = {};
    let coverageByCode = null;
    /* Mean distance from residents to the nearest place of ``distanceType``, per buurt code. */
    let distanceByCode = null;
    let distanceType = null;
    let lastMeta = {};

    /* ---------- words ---------- */

    function placeWords(type) {
      const key = "analysisPlace_" + type;
      if (messages[key] !== undefined) return msg(key);
      return msg("analysisPlaceOther", { label: typeLabels.get(type) || type });
    }

    function methodWords(meta) {
      const method = meta && meta.distance_method;
      return method === "network" ? msg("analysisMethodNetwork") : msg("analysisMethodStraight");
    }

    function explanation() {
      const values = {
        distance: fmtInt(state.distance), cell: fmtInt(state.cell),
        place: placeWords(state.type), method: methodWords(lastMeta),
      };
      if (state.layer === "coverage") return msg("analysisExplainCoverage", values);
      if (state.layer === "surface") return msg("analysisExplainSurface", values);
      if (state.layer === "gaps") return msg("analysisExplainGaps", values);
      return msg("analysisExplainNone");
    }

    function formatDate(value) {
      if (!value) return "";
      const text = String(value);
      const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
      if (!match) return text;
      const date = new Date(Date.UTC(+match[1], +match[2] - 1, +match[3]));
      if (Number.isNaN(date.getTime())) return text;
      return new Intl.DateTimeFormat(locale, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(date);
    }

    function showMeta(meta) {
      const parts = [msg("analysisMetaMethod", { method: methodWords(meta) })];
      if (meta.data_date) parts.push(msg("analysisMetaDate", { date: formatDate(meta.data_date) }));
      if (isNumber(meta.places_counted)) {
        const n = Number(meta.places_counted);
        parts.push(n === 1 ? msg("analysisMetaPlacesOne") : msg("analysisMetaPlaces", { n: fmtInt(n) }));
      }
      el.meta.textContent = parts.join(" · ");
    }

    /* ---------- controls ---------- */

    function readControls() {
      const layer = form.elements.namedItem("layer").value;
      const custom = el.distance.value === "custom";
      el.customField.hidden = !custom;
      el.cellField.hidden = layer !== "surface";
      el.mapNote.hidden = layer === "none";
      let distance = Number(el.distance.value);
      if (custom) {
        distance = Number(el.custom.value);
        const valid = el.custom.value !== "" && Number.isInteger(distance) && distance >= DISTANCE_MIN && distance <= DISTANCE_MAX;
        showDistanceError(valid ? "" : msg("analysisDistanceInvalid", { min: DISTANCE_MIN, max: fmtInt(DISTANCE_MAX) }));
        if (!valid) return false;
      } else {
        showDistanceError("");
      }
      state.layer = LAYERS.includes(layer) ? layer : "none";
      state.type = el.type.value || "verbindend";
      state.distance = distance;
      state.cell = Number(el.cell.value) || 100;
      return true;
    }

    function showDistanceError(text) {
      el.distanceError.textContent = "";
      el.distanceError.hidden = !text;
      if (text) el.distanceError.append(h("span", { className: "visually-hidden", text: msg("errorPrefix") + " " }), text);
      if (text) el.custom.setAttribute("aria-invalid", "true");
      else el.custom.removeAttribute("aria-invalid");
      const described = ["analysis-distance-hint"].concat(text ? ["analysis-distance-error"] : []).join(" ");
      el.custom.setAttribute("aria-describedby", described);
    }

    /* Controls from ?analysis=…&analysis_type=…&distance=…&cell=…, so a view can be shared. */
    function readUrl() {
      const params = new URLSearchParams(window.location.search);
      const layer = params.get(URL_KEYS.layer);
      if (!layer || !LAYERS.includes(layer)) return false;
      const radio = form.querySelector(`input[name="layer"][value="${layer}"]`);
      if (radio) radio.checked = true;
      const type = params.get(URL_KEYS.type);
      if (type && [...el.type.options].some((o) => o.value === type)) el.type.value = type;
      const distance = params.get(URL_KEYS.distance);
      if (distance && /^\d+$/.test(distance)) {
        if ([...el.distance.options].some((o) => o.value === distance)) {
          el.distance.value = distance;
        } else {
          el.distance.value = "custom";
          el.custom.value = distance;
        }
      }
      const cell = params.get(URL_KEYS.cell);
      if (cell && [...el.cell.options].some((o) => o.value === cell)) el.cell.value = cell;
      return true;
    }

    function writeUrl() {
      const params = new URLSearchParams(window.location.search);
      Object.values(URL_KEYS).forEach((key) => params.delete(key));
      if (state.layer !== "none") {
        params.set(URL_KEYS.layer, state.layer);
        params.set(URL_KEYS.type, state.type);
        params.set(URL_KEYS.distance, String(state.distance));
        if (state.layer === "surface") params.set(URL_KEYS.cell, String(state.cell));
      }
      const query = params.toString();
      try {
        window.history.replaceState(window.history.state, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
      } catch (err) {
        /* Sandboxed pages may refuse; the layer still works. */
      }
    }

    function onControlsChange() {
      if (!readControls()) return;
      writeUrl();
      el.explain.textContent = explanation();
      refreshLayer();
      if (summaryLoaded && state.type !== distanceType) loadDistances();
    }

    /* ---------- fetching ---------- */

    function apiUrl(name, params) {
      const url = new URL(urls[name], window.location.href);
      for (const [key, value] of Object.entries(params)) url.searchParams.set(key, String(value));
      return url.toString();
    }

    function layerUrl() {
      const common = { ...scopeParam, distance: state.distance, type: state.type };
      if (state.layer === "coverage") return apiUrl("coverage", { ...common, level: "buurt" });
      if (state.layer === "surface") return apiUrl("surface", { ...common, cell: state.cell });
      return apiUrl("gaps", common);
    }

    async function getJson(url, controller) {
      if (cache.has(url)) return cache.get(url);
      const timer = window.setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
      let response;
      try {
        response = await fetch(url, {
          credentials: "same-origin",
          headers: { Accept: "application/json", "Accept-Language": lang },
          signal: controller.signal,
        });
      } finally {
        window.clearTimeout(timer);
      }
      let body = null;
      try {
        body = await response.json();
      } catch (err) {
        body = null;
      }
      if (!response.ok || !body) {
        const error = new Error(`analysis request failed: ${response.status}`);
        error.status = response.status;
        error.body = body;
        throw error;
      }
      cache.set(url, body);
      return body;
    }

    function errorText(err) {
      const errors = err && err.body && err.body.errors;
      if (err && err.status === 422 && errors && typeof errors === "object") {
        return msg("analysisErrorInput", { details: Object.values(errors).map(String).join(" ") });
      }
      if (err && err.status === 404) return msg("analysisErrorMissing");
      if (err && err.status) return msg("analysisErrorServer");
      return msg("analysisErrorNetwork");
    }

    function showError(text, retry) {
      const button = h("button", { type: "button", className: "button button--secondary button--small", text: msg("analysisRetry") });
      button.addEventListener("click", retry);
      el.error.replaceChildren(h("div", { className: "notice notice--error" }, [h("p", { text }), button]));
    }

    /* ---------- the map layer ---------- */

    function setLoading(loading) {
      el.status.textContent = loading ? msg("analysisLoading") : "";
      panel.classList.toggle("is-loading", loading);
      if (legend) legend.container.classList.toggle("is-loading", loading);
      if (map) map.getContainer().classList.toggle("analysis-loading", loading);
    }

    async function refreshLayer() {
      if (request.controller) request.controller.abort();
      const id = ++request.id;
      el.error.textContent = "";
      coverageByCode = null;
      closePopups();
      if (state.layer === "none") {
        request.controller = null;
        clearLayer();
        setLoading(false);
        el.meta.textContent = "";
        showLegend(null);
        renderSummary();
        return;
      }
      const controller = new AbortController();
      request.controller = controller;
      setLoading(true);
      let data;
      try {
        data = await getJson(layerUrl(), controller);
      } catch (err) {
        if (id !== request.id) return;
        setLoading(false);
        clearLayer();
        showLegend(null);
        showError(errorText(err), refreshLayer);
        return;
      }
      if (id !== request.id) return;
      setLoading(false);
      lastMeta = (data && data.metadata) || {};
      el.explain.textContent = explanation();
      showMeta(lastMeta);
      draw(data);
    }

    /* A popup of the previous layer would tell about figures no longer shown. */
    function closePopups() {
      if (group) group.eachLayer((layer) => { if (layer.isPopupOpen && layer.isPopupOpen()) layer.closePopup(); });
    }

    function clearLayer() {
      if (!group) return;
      closePopups();
      group.clearLayers();
    }

    function draw(data) {
      const features = ((data && data.features) || []).filter((f) => f && f.geometry && f.properties);
      clearLayer();
      if (state.layer === "coverage") drawCoverage(features);
      else if (state.layer === "surface") drawSurface(features);
      else if (state.layer === "gaps") drawGaps(features);
      renderSummary();
    }

    function polygon(feature, style) {
      const type = feature.geometry.type;
      if (type !== "Polygon" && type !== "MultiPolygon") return null;
      // No `feature` on the layer: plekken.js looks for buurt outlines by that property.
      return L.GeoJSON.geometryToLayer(feature, Object.assign({
        renderer, pane: PANE, bubblingMouseEvents: false,
      }, style));
    }

    function addShape(feature, style, popup, tooltip) {
      const layer = polygon(feature, style);
      if (!layer || !group) return null;
      layer.bindPopup(() => popup(feature.properties), {
        className: "analysis-popup-wrap", maxWidth: 300, minWidth: 200,
        autoPanPaddingTopLeft: [24, 64], autoPanPaddingBottomRight: [24, 24],
      });
      layer.on("popupopen", (e) => {
        avoidLegend(e.popup.getElement());
        map.once("moveend", () => avoidLegend(e.popup.getElement()));
      });
      if (tooltip) layer.bindTooltip(tooltip(feature.properties), { sticky: true, direction: "top", className: "analysis-tooltip" });
      layer.on("add", () => {
        const path = layer.getElement && layer.getElement();
        if (path && feature.properties.code) path.dataset.code = feature.properties.code;
      });
      group.addLayer(layer);
      return layer;
    }

    function popupBox(title, rows) {
      const dl = h("dl", { className: "analysis-popup__rows" });
      for (const [term, detail] of rows) dl.append(h("dt", { text: term }), h("dd", { text: detail }));
      return h("div", { className: "analysis-popup" }, [h("h3", { className: "analysis-popup__title", text: title }), dl]);
    }

    function areaName(p) {
      return p.name || buurtNames.get(p.code) || p.code || "";
    }

    /* Coverage: a choropleth of the buurten. */
    function shareClass(share) {
      if (!isNumber(share)) return -1;
      return Math.min(REACH_COLOURS.length - 1, Math.max(0, Math.floor(Number(share) * REACH_COLOURS.length)));
    }

    /* The API may send the chosen type together with "any": draw the chosen one. */
    function coverageFeatures(features) {
      const chosen = features.filter((f) => f.properties.function_type === state.type);
      return chosen.length ? chosen : features;
    }

    function drawCoverage(all) {
      const features = coverageFeatures(all);
      coverageByCode = new Map();
      for (const f of features) {
        const p = f.properties;
        const k = shareClass(p.covered_share);
        if (p.code) coverageByCode.set(p.code, p.covered_share);
        addShape(f, {
          className: "analysis-area",
          color: OUTLINE, weight: 1.5, opacity: 0.9,
          fillColor: k < 0 ? NO_DATA_FILL : REACH_COLOURS[k], fillOpacity: k < 0 ? 1 : 0.62,
        }, coveragePopup, (q) => `${areaName(q)}: ${isNumber(q.covered_share) ? fmtPct(Number(q.covered_share)) : msg("analysisNoData")}`);
      }
      const rows = REACH_COLOURS.map((colour, i) => [swatch(colour), msg("analysisShareRange", {
        low: fmtInt((i * 100) / REACH_COLOURS.length), high: fmtPct((i + 1) / REACH_COLOURS.length),
      })]).reverse();
      rows.push([swatch(NO_DATA_FILL), msg("analysisNoData")]);
      showLegend({ title: msg("analysisLegendCoverage", { distance: fmtInt(state.distance), place: placeWords(state.type) }), rows });
    }

    function coveragePopup(p) {
      const rows = [[
        msg("analysisPopupCovered", { distance: fmtInt(state.distance) }),
        isNumber(p.covered_share) ? fmtPct(Number(p.covered_share)) : msg("analysisNoData"),
      ]];
      if (isNumber(p.covered_inhabitants) && isNumber(p.inhabitants)) {
        rows.push([msg("analysisPopupInhabitants"), msg("analysisAboutOf", {
          n: fmtInt(Number(p.covered_inhabitants)), total: fmtInt(Number(p.inhabitants)),
        })]);
      } else {
        rows.push([msg("analysisPopupInhabitants"), msg("analysisUnknown")]);
      }
      // Places near enough to reach part of the buurt, also those just outside it.
      if (isNumber(p.n_places)) rows.push([msg("analysisPopupPlaces", { distance: fmtInt(state.distance) }), fmtInt(Number(p.n_places))]);
      return popupBox(areaName(p), rows);
    }

    /* Surface: grid cells coloured by the distance to the nearest place of the type. */
    function distanceBreaks() {
      const d = state.distance;
      return [d / 4, d / 2, d, d * 2];
    }

    function distanceClass(value, breaks) {
      if (!isNumber(value)) return -1;
      const i = breaks.findIndex((b) => Number(value) <= b);
      return i < 0 ? breaks.length : i;
    }

    function pickKey(p, candidates) {
      return candidates.find((key) => key in p);
    }

    function drawSurface(features) {
      const breaks = distanceBreaks();
      const colours = [...REACH_COLOURS].reverse();  // near = dark
      const distKey = `dist_${state.type}`;
      const many = features.length > MANY_CELLS;
      if (many && !canvasRenderer) canvasRenderer = L.canvas({ pane: PANE, padding: 0.5 });
      for (const f of features) {
        const k = distanceClass(f.properties[distKey], breaks);
        const noData = many ? NO_DATA_GREY : NO_DATA_FILL;  // a canvas cannot fill with a pattern
        addShape(f, {
          className: "analysis-cell",
          stroke: true, color: "#ffffff", weight: 0.5, opacity: 0.6,
          fillColor: k < 0 ? noData : colours[k], fillOpacity: k < 0 ? 0.9 : 0.8,
          ...(many ? { renderer: canvasRenderer } : {}),
        }, surfacePopup, null);
      }
      const m = (v) => fmtInt(v);
      const labels = [
        msg("analysisUpTo", { n: m(breaks[0]) }),
        msg("analysisRange", { low: m(breaks[0]), high: m(breaks[1]) }),
        msg("analysisRange", { low: m(breaks[1]), high: m(breaks[2]) }),
        msg("analysisRange", { low: m(breaks[2]), high: m(breaks[3]) }),
        msg("analysisMoreThan", { n: m(breaks[3]) }),
      ];
      const rows = labels.map((text, i) => [swatch(colours[i]), text]);
      rows.push([swatch(NO_DATA_FILL), msg("analysisNoPlaceOfType", { place: placeWords(state.type) })]);
      showLegend({ title: msg("analysisLegendSurface", { place: placeWords(state.type) }), rows });
    }

    function surfacePopup(p) {
      const dist = p[`dist_${state.type}`];
      const rows = [[
        msg("analysisPopupNearest", { place: placeWords(state.type) }),
        isNumber(dist) ? msg("analysisMetres", { n: fmtInt(Number(dist)) }) : msg("analysisNoPlaceOfType", { place: placeWords(state.type) }),
      ]];
      const countKey = pickKey(p, [`n_${state.type}_${state.distance}`, `n_${state.type}_${state.distance}.0`, `n_${state.type}`]);
      if (countKey && isNumber(p[countKey])) {
        rows.push([msg("analysisPopupWithin", { distance: fmtInt(state.distance) }), fmtInt(Number(p[countKey]))]);
      }
      const name = buurtNames.get(p.code) || p.name || "";
      return popupBox(name ? msg("analysisCellIn", { name }) : msg("analysisCell"), rows);
    }

    /* Gaps: hatched red polygons of land beyond reach. */
    function drawGaps(features) {
      let area = 0;
      let inhabitants = 0;
      let inhabitantsKnown = false;
      for (const f of features) {
        const p = f.properties;
        if (isNumber(p.area_m2)) area += Number(p.area_m2);
        const est = inhabitantsOf(p);
        if (isNumber(est)) {
          inhabitants += Number(est);
          inhabitantsKnown = true;
        }
        addShape(f, {
          className: "analysis-gap",
          color: GAP_COLOUR, weight: 2.5, opacity: 1,
          fillColor: GAP_FILL, fillOpacity: 1,
        }, gapPopup, (q) => areaName(q));
      }
      const rows = [[swatch(GAP_FILL, GAP_COLOUR), msg("analysisGapLegend", { distance: fmtInt(state.distance), place: placeWords(state.type) })]];
      let note;
      if (!features.length) {
        note = msg("analysisGapsNone", { distance: fmtInt(state.distance), place: placeWords(state.type) });
      } else {
        note = msg(features.length === 1 ? "analysisGapsTotalOne" : "analysisGapsTotal", {
          n: fmtInt(features.length), ha: fmtOne(area / 10000),
        });
        if (inhabitantsKnown) note += " " + msg("analysisGapsInhabitants", { n: fmtInt(inhabitants) });
      }
      showLegend({ title: msg("analysisLegendGaps"), rows, note });
    }

    function inhabitantsOf(p) {
      const key = pickKey(p, ["inhabitants_est", "estimated_inhabitants", "inhabitants"]);
      return key ? p[key] : null;
    }

    function gapPopup(p) {
      const rows = [];
      if (isNumber(p.area_m2)) rows.push([msg("analysisPopupArea"), msg("analysisHectares", { n: fmtOne(Number(p.area_m2) / 10000) })]);
      const est = inhabitantsOf(p);
      rows.push([msg("analysisPopupGapInhabitants"), isNumber(est) ? msg("analysisAbout", { n: fmtInt(Number(est)) }) : msg("analysisUnknown")]);
      if (isNumber(p.share_of_land)) rows.push([msg("analysisPopupShareOfBuurt"), fmtPct(Number(p.share_of_land))]);
      return popupBox(areaName(p), rows);
    }

    /* ---------- legend ---------- */

    function buildLegend() {
      const Legend = L.Control.extend({
        // Top left, under the zoom buttons: the bottom of a tall map can be below the fold.
        options: { position: "topleft" },
        onAdd() {
          const container = h("div", { className: "analysis-legend leaflet-control", role: "group" });
          container.hidden = true;
          L.DomEvent.disableClickPropagation(container);
          L.DomEvent.disableScrollPropagation(container);
          return container;
        },
      });
      const control = new Legend();
      control.addTo(map);
      return { control, container: control.getContainer() };
    }

    /* The legend folds away behind its title, so it never has to hide the map for good. */
    let legendOpen = true;
    let legendFoldedByUser = false;

    function setLegendOpen(open) {
      legendOpen = open;
      const toggle = legend && legend.container.querySelector(".analysis-legend__toggle");
      const body = legend && legend.container.querySelector(".analysis-legend__body");
      if (toggle) toggle.setAttribute("aria-expanded", String(open));
      if (body) body.hidden = !open;
    }

    /* An open legend must not cover the popup someone is reading: fold it away. */
    function avoidLegend(popupEl) {
      if (!legend || !legendOpen || !popupEl || !popupEl.isConnected) return;
      const a = popupEl.getBoundingClientRect();
      const b = legend.container.getBoundingClientRect();
      if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) setLegendOpen(false);
    }

    function showLegend(spec) {
      if (!legend) return;
      const box = legend.container;
      if (!spec) {
        box.hidden = true;
        box.replaceChildren();
        return;
      }
      legendOpen = !legendFoldedByUser;
      const bodyId = "analysis-legend-body";
      const toggle = h("button", {
        type: "button", className: "analysis-legend__toggle", id: "analysis-legend-title",
        "aria-expanded": String(legendOpen), "aria-controls": bodyId,
      }, [h("span", { text: spec.title }), h("span", { className: "analysis-legend__chevron", "aria-hidden": "true" })]);
      const list = h("ul", { className: "analysis-legend__list" });
      for (const [mark, text] of spec.rows) list.append(h("li", {}, [mark, h("span", { text })]));
      const body = h("div", { className: "analysis-legend__body", id: bodyId }, [list]);
      if (spec.note) body.append(h("p", { className: "analysis-legend__note", text: spec.note }));
      body.hidden = !legendOpen;
      toggle.addEventListener("click", () => {
        legendFoldedByUser = legendOpen;
        setLegendOpen(!legendOpen);
      });
      box.setAttribute("aria-labelledby", toggle.id);
      box.replaceChildren(toggle, body);
      box.hidden = false;
    }

    /* ---------- the table per buurt ---------- */

    async function loadSummary() {
      if (summaryRequest.controller) summaryRequest.controller.abort();
      const id = ++summaryRequest.id;
      const controller = new AbortController();
      summaryRequest.controller = controller;
      summaryLoaded = true;
      el.summaryStatus.textContent = msg("analysisSummaryLoading");
      let data;
      try {
        data = await getJson(apiUrl("summary", { ...scopeParam, level: "buurt" }), controller);
      } catch (err) {
        if (id !== summaryRequest.id) return;
        summaryLoaded = false;
        el.summaryStatus.replaceChildren();
        const retry = h("button", { type: "button", className: "button button--secondary button--small", text: msg("analysisRetry") });
        retry.addEventListener("click", loadSummary);
        el.summaryStatus.append(h("div", { className: "notice notice--error", role: "alert" }, [h("p", { text: errorText(err) }), retry]));
        return;
      }
      if (id !== summaryRequest.id) return;
      el.summaryStatus.textContent = "";
      summaryRecords = Array.isArray(data.records) ? data.records : [];
      summaryMeta = data.metadata || {};
      renderSummary();
      loadDistances();
    }

    /* The distance column: where people live to the nearest place of the chosen type, as the
     * CBS Nabijheidsstatistiek reports it for facilities. The table works without it. */
    async function loadDistances() {
      const type = state.type;
      let data;
      try {
        const url = apiUrl("proximity", { ...scopeParam, level: "buurt", type });
        data = await getJson(url, new AbortController());
      } catch (err) {
        return;
      }
      if (type !== state.type || !Array.isArray(data.features)) return;
      distanceByCode = new Map(
        data.features
          .filter((f) => f.properties && f.properties.function_type === type)
          .map((f) => [f.properties.code, f.properties.mean_distance_m]),
      );
      distanceType = type;
      renderSummary();
    }

    function renderSummary() {
      if (!summaryRecords) return;
      const records = summaryRecords.filter((r) => !r.level || r.level === "buurt");
      if (!records.length) {
        el.tableWrap.hidden = true;
        el.summaryNotes.replaceChildren(h("p", { text: msg("analysisSummaryEmpty") }));
        return;
      }
      const types = typeKeys.filter((t) => records.some((r) => `n_${t}` in r));
      const withCoverage = coverageByCode && coverageByCode.size > 0;
      const withDistance = distanceByCode && distanceType === state.type;
      const headRow = h("tr", {}, [
        h("th", { scope: "col", text: msg("analysisColBuurt") }),
        h("th", { scope: "col", className: "num", text: msg("analysisColPlaces") }),
        ...types.map((t) => h("th", { scope: "col", className: "num", text: typeLabels.get(t) || t })),
        h("th", { scope: "col", className: "num", text: msg("analysisColPer1000") }),
        h("th", { scope: "col", className: "num", text: msg("analysisColContributors") }),
        h("th", { scope: "col", className: "num", text: msg("analysisColDiversity") }),
        withCoverage ? h("th", { scope: "col", className: "num", text: msg("analysisColCoverage", { distance: fmtInt(state.distance), place: placeWords(state.type) }) }) : null,
        withDistance ? h("th", { scope: "col", className: "num", text: msg("analysisColDistance", { place: placeWords(state.type) }) }) : null,
      ]);
      const body = h("tbody");
      let flagged = 0;
      for (const r of records) {
        const small = r.small_sample === true || r.small_sample === 1 || r.small_sample === "true";
        if (small) flagged += 1;
        const nameCell = h("th", { scope: "row" }, [
          h("span", { text: r.name || r.code || "" }),
          small ? h("span", { className: "analysis-flag", text: msg("analysisFewData") }) : null,
        ]);
        const typeCells = types.map((t) => {
          const n = isNumber(r[`n_${t}`]) ? fmtInt(Number(r[`n_${t}`])) : "–";
          const share = r[`share_${t}`];
          return h("td", { className: "num" }, [n, isNumber(share) ? h("span", { className: "analysis-share", text: ` (${fmtPct(Number(share))})` }) : null]);
        });
        const cov = withCoverage ? coverageByCode.get(r.code) : undefined;
        const dist = withDistance ? distanceByCode.get(r.code) : undefined;
        body.append(h("tr", { className: small ? "is-flagged" : null, "data-code": r.code || null }, [
          nameCell,
          h("td", { className: "num", text: isNumber(r.n_places) ? fmtInt(Number(r.n_places)) : "–" }),
          ...typeCells,
          h("td", { className: "num", text: isNumber(r.places_per_1000_inhabitants) ? fmtOne(Number(r.places_per_1000_inhabitants)) : "–" }),
          h("td", { className: "num", text: isNumber(r.n_contributors) ? fmtInt(Number(r.n_contributors)) : "–" }),
          h("td", { className: "num", text: isNumber(r.diversity) ? fmtTwo(Number(r.diversity)) : "–" }),
          withCoverage ? h("td", { className: "num", text: isNumber(cov) ? fmtPct(Number(cov)) : "–" }) : null,
          withDistance ? h("td", { className: "num", "data-distance": r.code || null, text: isNumber(dist) ? msg("analysisMetres", { n: fmtInt(Number(dist)) }) : "–" }) : null,
        ]));
      }
      const table = h("table", { className: "analysis-table" }, [
        h("caption", { className: "visually-hidden", text: msg("analysisTableCaption") }),
        h("thead", {}, [headRow]),
        body,
      ]);
      el.tableWrap.replaceChildren(table);
      el.tableWrap.hidden = false;
      const notes = [];
      if (flagged) {
        notes.push(h("p", {}, [
          h("span", { className: "analysis-flag", text: msg("analysisFewData") }), " ",
          msg("analysisFewDataNote", { places: summaryMeta.min_places ?? 5, people: summaryMeta.min_contributors ?? 3 }),
        ]));
      }
      notes.push(h("p", { text: msg("analysisSharesNote") }));
      notes.push(h("p", { text: msg("analysisDiversityNote") }));
      if (withDistance) notes.push(h("p", { text: msg("analysisDistanceNote") }));
      el.summaryNotes.replaceChildren(...notes);
    }

    /* ---------- start ---------- */

    function findMap() {
      const app = window.plekken;
      const candidate = (app && app.map) || window[config.mapName];
      return candidate && typeof candidate.addLayer === "function" && window.L ? candidate : null;
    }

    function setupMap() {
      map = findMap();
      if (!map) return false;
      addPatterns();
      if (!map.getPane(PANE)) {
        const pane = map.createPane(PANE);
        pane.style.zIndex = "450";  // above the buurt outlines, below the place markers
      }
      renderer = L.svg({ pane: PANE, padding: 0.5 });
      group = L.layerGroup().addTo(map);
      legend = buildLegend();
      return true;
    }

    function start() {
      if (!panel || !form) return;
      panel.querySelectorAll("[data-analysis-enhanced]").forEach((node) => { node.hidden = false; });
      panel.querySelectorAll("[data-analysis-basic]").forEach((node) => { node.hidden = true; });
      el.tableWrap.hidden = true;
      if (!setupMap()) {
        form.querySelectorAll('input[name="layer"]').forEach((r) => { if (r.value !== "none") r.disabled = true; });
      }
      const fromUrl = readUrl();
      readControls();
      el.explain.textContent = explanation();
      form.addEventListener("change", (ev) => {
        if (ev.target === el.custom && el.distance.value !== "custom") return;
        onControlsChange();
      });
      form.addEventListener("submit", (ev) => {
        ev.preventDefault();
        onControlsChange();
      });
      panel.addEventListener("toggle", () => {
        if (panel.open && !summaryLoaded) loadSummary();
      });
      document.addEventListener("plekken:place-added", () => {
        cache.clear();
        distanceType = null;
        if (state.layer !== "none") refreshLayer();
        if (summaryLoaded) loadSummary();
      });
      if (fromUrl && state.layer !== "none") {
        panel.open = true;
        refreshLayer();
      }
      if (panel.open && !summaryLoaded) loadSummary();
    }

    return { start, state, refresh: refreshLayer, loadSummary };
  }

  function init() {
    const config = readConfig();
    if (!config || window.plekkenAnalysis) return;
    const analysis = createAnalysis(config);
    window.plekkenAnalysis = analysis;
    analysis.start();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
