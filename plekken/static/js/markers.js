/* plekken — the places on the map: markers with their symbol and a ring in the colours of
 * their function types, popups, and adding, opening and counting places.
 *
 * Every text that comes from people is put in the page with textContent or as an attribute
 * value, never as HTML.
 */

import { h, reducedMotion, safeUrl, svg } from "./dom.js";

/* Colour is never the only cue: each function type also has a shape. */
export const SHAPE_BY_KEY = { functioneel: "square", verbindend: "circle", ideologisch: "triangle" };
export const SHAPE_ORDER = ["square", "circle", "triangle", "diamond"];
const FALLBACK_COLOUR = "#6b6b76";

const MARKER_SIZE = 52;

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
    const keys = feature.properties.function_types || [];
    return keys.map((key, index) => typeInfo(key, index, feature));
  }

  /* Equal coloured segments, one per type, with a thin white gap between them. */
  function ringBackground(infos) {
    if (!infos.length) return FALLBACK_COLOUR;
    if (infos.length === 1) return infos[0].colour;
    const part = 360 / infos.length;
    const gap = 3;
    const stops = [];
    infos.forEach((info, i) => {
      const start = i * part;
      stops.push(`#fff ${start}deg ${start + gap}deg`, `${info.colour} ${start + gap}deg ${start + part}deg`);
    });
    return `conic-gradient(from ${-gap / 2}deg, ${stops.join(", ")})`;
  }

  /* Pixel offset for the n-th marker at (nearly) the same spot, so none hides another. */
  function stackOffset(n) {
    if (n === 0) return [0, 0];
    let ring = 1;
    let index = n - 1;
    let perRing = 6;
    while (index >= perRing) {
      index -= perRing;
      ring += 1;
      perRing = 6 * ring;
    }
    const angle = (2 * Math.PI * index) / perRing - Math.PI / 2;
    const radius = 46 * ring;
    return [Math.round(radius * Math.cos(angle)), Math.round(radius * Math.sin(angle))];
  }

  function markerIcon(feature, offset) {
    const p = feature.properties;
    const infos = featureTypes(feature);
    const ring = h("span", { className: "plek-marker__ring" });
    ring.style.background = ringBackground(infos);
    const img = h("img", {
      className: "plek-marker__img",
      src: safeUrl(p.symbol_url) || fallbackSymbol,
      alt: p.symbol_label || p.name || "",
      width: 42, height: 42, draggable: "false", decoding: "async",
    });
    if (fallbackSymbol) {
      img.addEventListener("error", () => {
        if (img.getAttribute("src") !== fallbackSymbol) img.setAttribute("src", fallbackSymbol);
      }, { once: true });
    }
    ring.append(img);
    if (infos.length) {
      const badges = h("span", { className: "plek-marker__badges" });
      infos.forEach((info) => badges.append(shapeSvg(info.shape, info.colour, 13, false)));
      ring.append(badges);
    }
    const half = MARKER_SIZE / 2;
    return L.divIcon({
      className: "plek-marker" + (p.status === "pending" ? " plek-marker--pending" : ""),
      html: ring,
      iconSize: [MARKER_SIZE, MARKER_SIZE],
      iconAnchor: [half - offset[0], half - offset[1]],
      popupAnchor: [offset[0], offset[1] - half + 2],
    });
  }

  function markerLabel(feature) {
    const labels = featureTypes(feature).map((t) => t.label);
    return [feature.properties.name || "", labels.join(", ")].filter(Boolean).join(" — ");
  }

  function validFeature(feature) {
    const c = feature && feature.geometry && feature.geometry.coordinates;
    return Boolean(feature && feature.properties && Array.isArray(c) && Number.isFinite(+c[0]) && Number.isFinite(+c[1]));
  }

  function createMarker(feature) {
    const [lon, lat] = feature.geometry.coordinates.map(Number);
    const key = `${lat.toFixed(5)},${lon.toFixed(5)}`;
    const n = app.stacks.get(key) || 0;
    app.stacks.set(key, n + 1);
    const marker = L.marker([lat, lon], {
      icon: markerIcon(feature, stackOffset(n)),
      title: feature.properties.name || "",
      keyboard: true,
      riseOnHover: true,
    });
    marker.on("add", () => {
      const el = marker.getElement();
      if (!el) return;
      el.setAttribute("aria-label", markerLabel(feature));
      el.dataset.placeId = String(feature.properties.id ?? "");
      el.dataset.types = (feature.properties.function_types || []).join(",");
    });
    marker.bindPopup((layer) => {
      layer.getPopup().options.maxHeight = Math.max(180, Math.min(460, app.map.getSize().y - 110));
      return buildPopup(feature);
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

  function isShown(feature) {
    const keys = (feature.properties.function_types || []).filter((k) => types.has(k));
    if (!keys.length) return true;
    return keys.some((k) => app.active.has(k));
  }

  app.addPlace = function (feature, options) {
    if (!validFeature(feature)) return null;
    const opts = options || {};
    const id = feature.properties.id ?? feature.id;
    if (id !== undefined && app.byId.has(String(id))) return app.byId.get(String(id)).marker;
    const marker = createMarker(feature);
    const entry = { feature, marker };
    app.entries.push(entry);
    if (id !== undefined) app.byId.set(String(id), entry);
    if (opts.isNew) {
      // The new place must be visible, even when its types were filtered away.
      if (!isShown(feature)) {
        (feature.properties.function_types || []).forEach((k) => { if (types.has(k)) app.active.add(k); });
        app.syncFilterInputs();
        app.writeUrl();
      }
      marker.once("add", () => {
        const el = marker.getElement();
        if (el && !reducedMotion()) el.classList.add("plek-marker--new");
      });
    }
    app.applyFilter();
    return marker;
  };

  app.openPlace = function (id) {
    const entry = app.byId.get(String(id));
    if (!entry) return false;
    if (!app.layer.hasLayer(entry.marker)) return false;
    app.showMarker(entry.marker);
    return true;
  };

  /* Open a marker's popup; in a cluster, zoom in until the marker stands on its own. */
  app.showMarker = function (marker) {
    if (typeof app.layer.zoomToShowLayer === "function") {
      app.layer.zoomToShowLayer(marker, () => marker.openPopup());
    } else {
      marker.openPopup();
    }
  };

  function updatePlaceCount() {
    const el = document.getElementById("place-count");
    if (!el) return;
    const n = app.entries.filter((e) => e.feature.properties.status !== "pending").length;
    el.textContent = n === 1 ? msg("placeCountSummaryOne") : msg("placeCountSummary", { n });
  }

  Object.assign(app, { isShown, validFeature, updatePlaceCount });
}
