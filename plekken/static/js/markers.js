/* plekken — the places on the map: markers with their symbol and a ring in the colours of
 * their function types, popups, and adding, opening and counting places.
 *
 * Every text that comes from people is put in the page with textContent or as an attribute
 * value, never as HTML.
 */

import { format, h, reducedMotion, safeUrl, svg } from "./dom.js";

/* Colour is never the only cue: each function type also has a shape. */
export const SHAPE_BY_KEY = { functioneel: "square", verbindend: "circle", ideologisch: "triangle" };
export const SHAPE_ORDER = ["square", "circle", "triangle", "diamond"];
const FALLBACK_COLOUR = "#6b6b76";

export function safeColour(value) {
  return typeof value === "string" && /^#[0-9a-f]{3,8}$/i.test(value) ? value : FALLBACK_COLOUR;
}

/* A function-type shape as inline SVG (aria-hidden: the label carries the meaning). */
export function shapeSvg(shape, colour, size, outline) {
  const node = svg("svg", {
    class: "type-shape", width: size, height: size, viewBox: "0 0 20 20",
    "aria-hidden": "true", focusable: "false",
  });
  const paint = { fill: colour };
  if (outline) Object.assign(paint, { stroke: "#fff", "stroke-width": 2.5, "paint-order": "stroke" });
  if (shape === "square") node.append(svg("rect", { x: 3, y: 3, width: 14, height: 14, rx: 1.5, ...paint }));
  else if (shape === "circle") node.append(svg("circle", { cx: 10, cy: 10, r: 7.5, ...paint }));
  else if (shape === "triangle") node.append(svg("path", { d: "M10 2.2 18.6 17.4H1.4Z", ...paint }));
  else node.append(svg("path", { d: "M10 1.5 18.5 10 10 18.5 1.5 10Z", ...paint }));
  return node;
}

/* Adds the markers and places functions to ``app``. */
export function installMarkers(app) {
  const { msg, lang, types, fallbackSymbol } = app;

  /* ---------- markers ---------- */

  function typeInfo(key, index, feature) {
    const known = types.get(key);
    if (known) return known;
    const labels = (feature && feature.properties.function_type_labels) || [];
    return { key, label: labels[index] || key, colour: FALLBACK_COLOUR, shape: "diamond" };
  }

  function featureTypes(feature) {
    const keys = (feature && feature.properties.function_types) || [];
    return keys.map((key, index) => typeInfo(key, index, feature));
  }

  function markerLabel(entry) {
    const labels = entry.types.map((key, index) => typeInfo(key, index, entry.full).label);
    return [entry.name || "", labels.join(", ")].filter(Boolean).join(" — ");
  }

  function validFeature(feature) {
    const c = feature && feature.geometry && feature.geometry.coordinates;
    return Boolean(feature && feature.properties && Array.isArray(c) && Number.isFinite(+c[0]) && Number.isFinite(+c[1]));
  }

  const iconUrls = new Map((app.config.icons || []).map((icon) => [icon.key, icon.url]));

  /* What a marker, a cluster and the list need, from a compact feature of the markers API
   * or from a full feature (a place just added). */
  function toEntry(feature) {
    const p = feature.properties;
    const [lon, lat] = feature.geometry.coordinates.map(Number);
    const full = p.function_types ? feature : null;
    let symbolUrl = p.symbol_url || "";
    if (!symbolUrl && p.image !== undefined) symbolUrl = format(app.config.symbolImageUrl || "", { id: p.image });
    if (!symbolUrl && p.symbol) symbolUrl = iconUrls.get(p.symbol) || "";
    return {
      id: p.id ?? feature.id,
      lat, lon,
      name: p.name || "",
      quote: p.quote || "",
      types: (full ? p.function_types : p.types) || [],
      symbolUrl: safeUrl(symbolUrl),
      buurt: full ? p.buurt_code : p.buurt,
      buurtName: full ? p.buurt_name : "",
      status: p.status || "published",
      full,
      marker: null,
    };
  }

  /* The whole place for its popup: at hand for a place just added, else from the API. */
  function fullFeature(entry) {
    if (entry.full) return Promise.resolve(entry.full);
    if (!entry.loading) {
      const url = format(app.config.api.place, { id: encodeURIComponent(entry.id) });
      entry.loading = fetch(url, { headers: { Accept: "application/json", "Accept-Language": lang }, credentials: "same-origin" })
        .then((r) => (r.ok ? r.json() : null))
        .then((feature) => {
          if (validFeature(feature)) entry.full = feature;
          entry.loading = null;
          return entry.full;
        })
        .catch(() => { entry.loading = null; return null; });
    }
    return entry.loading;
  }

  /* A popup with what the marker knows at once; the rest follows from the API. */
  function compactFeature(entry) {
    return {
      type: "Feature", id: entry.id, geometry: { type: "Point", coordinates: [entry.lon, entry.lat] },
      properties: { id: entry.id, name: entry.name, quote: entry.quote, function_types: entry.types, symbol_url: entry.symbolUrl, status: entry.status },
    };
  }

  function createMarker(entry) {
    const marker = app.layer.createMarker(entry);
    marker.bindPopup((layer) => {
      layer.getPopup().options.maxHeight = Math.max(180, Math.min(460, app.map.getSize().y - 110));
      if (app.sheetPopup) app.sheetPopup(layer.getPopup());
      if (!entry.full) {
        fullFeature(entry).then((feature) => {
          const popup = layer.getPopup();
          if (!feature || !popup || !popup.isOpen()) return;
          const before = popup.getElement();
          const hadFocus = Boolean(before && before.contains(document.activeElement));
          popup.setContent(buildPopup(feature));
          const heading = hadFocus && popup.getElement().querySelector(".plek-popup__name");
          if (heading) heading.focus({ preventScroll: true });
        });
      }
      return buildPopup(entry.full || compactFeature(entry));
    }, {
      className: "plek-popup-wrap",
      maxWidth: 330,
      minWidth: 240,
      // Room at the top for the collapsed legend button and the zoom buttons.
      autoPanPaddingTopLeft: [24, 64],
      autoPanPaddingBottomRight: [24, 24],
    });
    wirePopupFocus(marker);
    return marker;
  }

  /* ---------- popups ---------- */

  function buildPopup(feature) {
    const p = feature.properties;
    const article = h("article", { className: "plek-popup" });
    const symbolUrl = safeUrl(p.symbol_url) || fallbackSymbol;
    const head = h("div", { className: "plek-popup__head" }, [
      symbolUrl ? h("img", {
        className: "plek-popup__symbol", src: symbolUrl, width: 60, height: 60,
        alt: p.symbol_label ? msg("symbolAlt", { label: p.symbol_label }) : msg("ownSymbolAlt"),
      }) : null,
      h("h2", { className: "plek-popup__name", tabindex: "-1", text: p.name || "" }),
    ]);
    article.append(head);
    if (p.status === "pending") article.append(h("p", { className: "plek-popup__pending", text: msg("pending") }));
    if (p.quote) {
      article.append(h("blockquote", { className: "plek-popup__quote" }, [h("p", { text: `“${p.quote}”` })]));
    }
    if (p.story) article.append(h("p", { className: "plek-popup__story", text: p.story }));
    if (p.endorsements > 0) {
      article.append(h("p", { className: "plek-popup__shared", text: msg("popupEndorsed", { n: p.endorsements }) }));
    }

    const infos = featureTypes(feature);
    if (infos.length) {
      const chips = h("ul", { className: "plek-chips", "aria-label": msg("popupTypes") });
      infos.forEach((info) => {
        const chip = h("li", { className: "plek-chip" }, [
          shapeSvg(info.shape, info.colour, 16, false),
          h("span", { className: "plek-chip__label", text: info.label }),
        ]);
        chip.style.color = info.colour;
        chips.append(chip);
      });
      article.append(chips);
    }

    const meta = h("dl", { className: "plek-popup__meta" });
    const row = (term, detail) => meta.append(h("dt", { text: term }), h("dd", {}, [detail]));
    const list = (items) => h("ul", {}, items.map((item) => h("li", { text: item })));
    if (p.buurt_name) row(msg("popupBuurt"), p.buurt_name);
    const who = [p.contributor_role_label, p.contributor_name].filter(Boolean).join(" · ");
    if (who) row(msg("popupContributor"), who);
    const access = (p.access || []).filter(Boolean);
    if (access.length) row(msg("popupAccess"), list(access));
    const conditions = (p.condition_labels || []).filter(Boolean);
    if (conditions.length) row(msg("popupConditions"), list(conditions));
    const created = p.created_at ? new Date(p.created_at) : null;
    if (created && !Number.isNaN(created.getTime())) {
      const date = new Intl.DateTimeFormat(lang === "en" ? "en-GB" : "nl-NL", {
        day: "numeric", month: "long", year: "numeric",
      }).format(created);
      row(msg("popupAdded"), date);
    }
    if (meta.childNodes.length) article.append(meta);
    return article;
  }

  /* Keyboard users land on the popup's heading; Escape brings them back to the marker. */
  function wirePopupFocus(marker) {
    let fromKeyboard = false;
    marker.on("popupopen", (e) => {
      const markerEl = marker.getElement();
      fromKeyboard = Boolean(markerEl && document.activeElement === markerEl);
      const container = e.popup.getElement();
      if (!container) return;
      const close = container.querySelector(".leaflet-popup-close-button");
      if (close) {
        close.setAttribute("aria-label", msg("popupClose"));
        close.setAttribute("title", msg("popupClose"));
      }
      if (!container.dataset.plekkenKeys) {
        container.dataset.plekkenKeys = "1";
        container.addEventListener("keydown", (ev) => {
          if (ev.key === "Escape") {
            ev.preventDefault();
            app.map.closePopup();
          }
        });
      }
      avoidFilterOverlap(container);
      app.map.once("moveend", () => avoidFilterOverlap(container));
      if (fromKeyboard) {
        const heading = container.querySelector(".plek-popup__name");
        if (heading) heading.focus({ preventScroll: true });
      }
    });
    marker.on("popupclose", (e) => {
      const container = e.popup.getElement();
      const focusInside = container && container.contains(document.activeElement);
      if ((fromKeyboard || focusInside) && marker.getElement()) marker.getElement().focus({ preventScroll: true });
      fromKeyboard = false;
    });
  }

  /* An open legend must not cover the popup someone is reading: fold it away. */
  function avoidFilterOverlap(popupEl) {
    const filter = app.filter;
    if (!filter || filter.body.hidden || !popupEl.isConnected) return;
    const a = popupEl.getBoundingClientRect();
    const b = filter.container.getBoundingClientRect();
    const overlap = a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    if (overlap) filter.setOpen(false);
  }

  /* ---------- places ---------- */

  function isShown(entry) {
    const keys = entry.types.filter((k) => types.has(k));
    if (!keys.length) return true;
    return keys.some((k) => app.active.has(k));
  }
  app.isShown = isShown;

  function register(feature) {
    if (!validFeature(feature)) return null;
    const entry = toEntry(feature);
    const key = entry.id === undefined || entry.id === null ? null : String(entry.id);
    if (key !== null && app.byId.has(key)) return null;
    entry.marker = createMarker(entry);
    app.entries.push(entry);
    if (key !== null) app.byId.set(key, entry);
    return entry;
  }

  /* Add one place (a full feature, e.g. just saved) to the map. */
  app.addPlace = function (feature, options) {
    const opts = options || {};
    const id = validFeature(feature) ? feature.properties.id ?? feature.id : undefined;
    if (id !== undefined && app.byId.has(String(id))) return app.byId.get(String(id)).marker;
    const entry = register(feature);
    if (!entry) return null;
    if (opts.isNew) {
      // The new place must be visible, even when its types were filtered away.
      if (!isShown(entry)) {
        entry.types.forEach((k) => { if (types.has(k)) app.active.add(k); });
        app.syncFilterInputs();
        app.writeUrl();
      }
      entry.marker.once("add", () => {
        const el = entry.marker.getElement();
        if (el && !reducedMotion()) el.classList.add("plek-marker--new");
      });
    }
    app.applyFilter();
    return entry.marker;
  };

  /* Load the markers as compact GeoJSON and show them all at once. */
  async function loadMarkers() {
    let features = [];
    try {
      const response = await fetch(app.config.api.markers, { headers: { Accept: "application/geo+json, application/json" }, credentials: "same-origin" });
      if (response.ok) features = ((await response.json()) || {}).features || [];
    } catch (err) {
      console.warn("plekken: places could not be loaded", err);
    }
    features.forEach(register);
    // The cluster layer adds thousands of markers in chunks: wait until the last is in.
    const adding = app.entries.some((e) => isShown(e) && !app.layer.hasLayer(e.marker));
    const added = adding ? new Promise((resolve) => app.layer.once("plekken:chunksdone", resolve)) : null;
    app.applyFilter();
    if (added) await added;
    updatePlaceCount();
    await new Promise((resolve) => window.requestAnimationFrame(() => resolve()));
    app.markersShown = true;
    if (window.performance && performance.mark) performance.mark("plekken:markers-shown");
    document.dispatchEvent(new CustomEvent("plekken:markers-shown", { detail: { count: app.entries.length } }));
  }

  app.openPlace = function (id) {
    const entry = app.byId.get(String(id));
    if (!entry) return false;
    if (!app.layer.hasLayer(entry.marker)) return false;
    app.showMarker(entry.marker);
    return true;
  };

  app.showPlace = function (entry) {
    if (!isShown(entry)) return;
    app.showMarker(entry.marker);
  };

  /* Open a marker's popup; in a cluster, zoom in until the marker stands on its own. */
  app.showMarker = function (marker) {
    app.layer.zoomToShowLayer(marker, () => marker.openPopup());
  };

  function updatePlaceCount() {
    const el = document.getElementById("place-count");
    if (!el) return;
    const n = app.entries.filter((e) => e.status !== "pending").length;
    el.textContent = n === 1 ? msg("placeCountSummaryOne") : msg("placeCountSummary", { n });
  }

  Object.assign(app, { isShown, validFeature, updatePlaceCount, loadMarkers, markerLabel });
}
