/* plekken — the analysis layers on the map: coverage per buurt, the accessibility grid and
 * the gaps, each with its popups and a legend in plain language.
 *
 * Texts from the server (buurt names) go into the page with textContent or as attribute
 * values, never as HTML.
 */

import { h, svg } from "./dom.js";

/* Sequential, single hue (lightness carries the meaning, so it reads for every kind of
 * colour vision); darker = better within reach. */
const REACH_COLOURS = ["#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f"];
const NO_DATA_FILL = "url(#analysis-pattern-nodata)";
const GAP_COLOUR = "#b3261e";
const GAP_FILL = "url(#analysis-pattern-gap)";
const OUTLINE = "#3a3a44";
const PANE = "plekkenAnalysis";
/* Above this many grid cells the surface is painted on a canvas: one SVG path per cell
 * would make a whole city sluggish. */
const MANY_CELLS = 2500;
const NO_DATA_GREY = "#c9c9cf";

export function isNumber(value) {
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

/* Adds the map layer and legend functions to ``ctx``, the analysis panel's shared state. */
export function installLayers(ctx) {
  const { msg, fmtInt, fmtOne, fmtPct, el, state } = ctx;
  let map = null;
  let group = null;
  let renderer = null;
  let canvasRenderer = null;
  let legend = null;

  function setLoading(loading) {
    el.status.textContent = loading ? msg("analysisLoading") : "";
    ctx.panel.classList.toggle("is-loading", loading);
    if (legend) legend.container.classList.toggle("is-loading", loading);
    if (map) map.getContainer().classList.toggle("analysis-loading", loading);
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
    ctx.renderSummary();
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
    return p.name || ctx.buurtNames.get(p.code) || p.code || "";
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
    ctx.coverageByCode = new Map();
    for (const f of features) {
      const p = f.properties;
      const k = shareClass(p.covered_share);
      if (p.code) ctx.coverageByCode.set(p.code, p.covered_share);
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
    showLegend({ title: msg("analysisLegendCoverage", { distance: fmtInt(state.distance), place: ctx.placeWords(state.type) }), rows });
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
    rows.push([swatch(NO_DATA_FILL), msg("analysisNoPlaceOfType", { place: ctx.placeWords(state.type) })]);
    showLegend({ title: msg("analysisLegendSurface", { place: ctx.placeWords(state.type) }), rows });
  }

  function surfacePopup(p) {
    const dist = p[`dist_${state.type}`];
    const rows = [[
      msg("analysisPopupNearest", { place: ctx.placeWords(state.type) }),
      isNumber(dist) ? msg("analysisMetres", { n: fmtInt(Number(dist)) }) : msg("analysisNoPlaceOfType", { place: ctx.placeWords(state.type) }),
    ]];
    const countKey = pickKey(p, [`n_${state.type}_${state.distance}`, `n_${state.type}_${state.distance}.0`, `n_${state.type}`]);
    if (countKey && isNumber(p[countKey])) {
      rows.push([msg("analysisPopupWithin", { distance: fmtInt(state.distance) }), fmtInt(Number(p[countKey]))]);
    }
    const name = ctx.buurtNames.get(p.code) || p.name || "";
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
    const rows = [[swatch(GAP_FILL, GAP_COLOUR), msg("analysisGapLegend", { distance: fmtInt(state.distance), place: ctx.placeWords(state.type) })]];
    let note;
    if (!features.length) {
      note = msg("analysisGapsNone", { distance: fmtInt(state.distance), place: ctx.placeWords(state.type) });
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

  function findMap() {
    const app = window.plekken;
    const candidate = (app && app.map) || window[ctx.config.mapName];
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

  Object.assign(ctx, { setLoading, closePopups, clearLayer, draw, showLegend, setupMap });
}
