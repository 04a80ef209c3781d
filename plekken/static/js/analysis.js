/* plekken — the analysis panel of the wijk map.
 *
 * Enhances the analysis panel (templates/_analysis_panel.html): its controls choose a layer
 * (kept in the URL, so a view can be shared), which is fetched from the analysis API and
 * drawn on the map that plekken.js found (analysis-layers.js), and it fills the table of
 * figures per buurt (analysis-table.js). Layers refresh when plekken.js reports a new place
 * ("plekken:place-added").
 */

import { format, h, readConfig } from "./dom.js";
import { installLayers, isNumber } from "./analysis-layers.js";
import { installTable } from "./analysis-table.js";

const DISTANCE_MIN = 50;
const DISTANCE_MAX = 5000;
const REQUEST_TIMEOUT_MS = 90000;
const LAYERS = ["none", "coverage", "surface", "gaps"];
const URL_KEYS = { layer: "analysis", type: "analysis_type", distance: "distance", cell: "cell", method: "distance_method" };

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

  const state = { layer: "none", type: "verbindend", distance: 400, cell: 100, method: "straight_line" };
  const cache = new Map();
  const request = { id: 0, controller: null };
  let lastMeta = {};

  /* What the layers (analysis-layers.js) and the table (analysis-table.js) share with the
   * panel; each adds its functions to it. */
  const ctx = {
    config, msg, fmtInt, fmtOne, fmtTwo, fmtPct, el, panel, state, scopeParam, typeKeys,
    typeLabels, buurtNames, placeWords, errorText, getJson, apiUrl,
    coverageByCode: null,  // covered share per buurt code of the coverage layer shown
    distanceType: null,    // the function type of the table's distance column
    summaryLoaded: false,
  };
  installLayers(ctx);
  installTable(ctx);

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
    const method = form.elements.namedItem("distance_method");
    state.method = method && method.value === "network" ? "network" : "straight_line";
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
    const method = form.querySelector(`input[name="distance_method"][value="${params.get(URL_KEYS.method)}"]`);
    if (method) method.checked = true;
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
      if (state.method === "network") params.set(URL_KEYS.method, state.method);
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
    if (ctx.summaryLoaded && state.type !== ctx.distanceType) ctx.loadDistances();
  }

  /* ---------- fetching ---------- */

  function apiUrl(name, params) {
    const url = new URL(urls[name], window.location.href);
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, String(value));
    return url.toString();
  }

  function layerUrl() {
    const common = { ...scopeParam, distance: state.distance, type: state.type };
    if (state.method === "network") common.distance_method = "network";
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

  async function refreshLayer() {
    if (request.controller) request.controller.abort();
    const id = ++request.id;
    el.error.textContent = "";
    ctx.coverageByCode = null;
    ctx.closePopups();
    if (state.layer === "none") {
      request.controller = null;
      ctx.clearLayer();
      ctx.setLoading(false);
      el.meta.textContent = "";
      ctx.showLegend(null);
      ctx.renderSummary();
      return;
    }
    const controller = new AbortController();
    request.controller = controller;
    ctx.setLoading(true);
    let data;
    try {
      data = await getJson(layerUrl(), controller);
    } catch (err) {
      if (id !== request.id) return;
      ctx.setLoading(false);
      ctx.clearLayer();
      ctx.showLegend(null);
      showError(errorText(err), refreshLayer);
      return;
    }
    if (id !== request.id) return;
    ctx.setLoading(false);
    lastMeta = (data && data.metadata) || {};
    el.explain.textContent = explanation();
    showMeta(lastMeta);
    ctx.draw(data);
  }

  function start() {
    if (!panel || !form) return;
    panel.querySelectorAll("[data-analysis-enhanced]").forEach((node) => { node.hidden = false; });
    panel.querySelectorAll("[data-analysis-basic]").forEach((node) => { node.hidden = true; });
    el.tableWrap.hidden = true;
    if (!ctx.setupMap()) {
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
      if (panel.open && !ctx.summaryLoaded) ctx.loadSummary();
    });
    document.addEventListener("plekken:place-added", () => {
      cache.clear();
      ctx.distanceType = null;
      if (state.layer !== "none") refreshLayer();
      if (ctx.summaryLoaded) ctx.loadSummary();
    });
    if (fromUrl && state.layer !== "none") {
      panel.open = true;
      refreshLayer();
    }
    if (panel.open && !ctx.summaryLoaded) ctx.loadSummary();
  }

  return { start, state, refresh: refreshLayer, loadSummary: ctx.loadSummary };
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
