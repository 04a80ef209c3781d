/* plekken — behaviour of the wijk map page.
 *
 * Reads its settings from <script id="plekken-config" type="application/json"> and
 * finds the Leaflet map that folium created (window[config.mapName]). It draws the
 * places, adds a legend that filters by function type (kept in ?type=… so a filtered
 * view can be shared), and turns the add-place form into one that picks its spot on
 * the map and saves without leaving the page.
 *
 * Every text that comes from people (names, quotes, stories, …) is put in the page with
 * textContent or as an attribute value, never as HTML.
 */
(function () {
  "use strict";

  /* Dutch defaults, used when the page config lacks a message. */
  const DEFAULT_MESSAGES = {
    filterToggle: "Legenda en filter",
    filterLegend: "Soort plek",
    filterHelp: "De kleur van de rand en het vormpje laten zien wat voor plek het is. Haal een vinkje weg om die plekken te verbergen.",
    filterStatus: "{shown} van {total} plekken te zien",
    noPlaces: "Nog geen plekken in deze wijk. Voeg de eerste toe!",
    placesCount: "{n} plekken",
    placesCountOne: "1 plek",
    placeCountSummary: "{n} plekken op de kaart",
    placeCountSummaryOne: "1 plek op de kaart",
    popupTypes: "Soort plek",
    popupBuurt: "Buurt",
    popupContributor: "Ingebracht door",
    popupAccess: "Toegankelijkheid",
    popupConditions: "Draagt bij aan",
    popupAdded: "Toegevoegd op",
    popupClose: "Sluiten",
    pending: "Wacht op controle: deze plek is nog niet voor iedereen te zien.",
    symbolAlt: "Symbool: {label}",
    ownSymbolAlt: "Eigen tekening of foto",
    zoomIn: "Inzoomen",
    zoomOut: "Uitzoomen",
    layers: "Kaartlagen",
    draftMarkerLabel: "Nieuwe plek. Verschuif met de pijltjestoetsen, druk op Enter als het goed is.",
    locationNone: "Nog geen plek gekozen.",
    locationChosen: "Gekozen plek: in buurt {buurt}",
    locationChosenCoords: "Gekozen plek: {lat}, {lon}",
    locationOutside: "Gekozen plek: buiten de buurten van deze wijk",
    moveNorth: "Speld {metres} meter naar het noorden.",
    moveSouth: "Speld {metres} meter naar het zuiden.",
    moveEast: "Speld {metres} meter naar het oosten.",
    moveWest: "Speld {metres} meter naar het westen.",
    submitBusy: "Bezig met opslaan…",
    successPublished: "Dank je wel! Je plek staat nu op de kaart.",
    successPending: "Dank je wel! Je plek wordt eerst bekeken door een opbouwwerker.",
    errorPrefix: "Fout:",
    networkError: "Opslaan lukte niet. Controleer je verbinding en probeer het opnieuw.",
    fileTooLarge: "Dit bestand is te groot. Kies een kleinere afbeelding.",
    draftRestored: "We hebben teruggezet wat je eerder had ingevuld.",
    draftDiscard: "Formulier leegmaken",
  };

  /* Colour is never the only cue: each function type also has a shape. */
  const SHAPE_BY_KEY = { functioneel: "square", verbindend: "circle", ideologisch: "triangle" };
  const SHAPE_ORDER = ["square", "circle", "triangle", "diamond"];
  const FALLBACK_COLOUR = "#6b6b76";

  const MARKER_SIZE = 52;
  const STEP_METRES = 10;
  const BIG_STEP_METRES = 50;
  const DRAFT_MAX_AGE_MS = 7 * 24 * 3600 * 1000;
  const SUBMIT_TIMEOUT_MS = 60000;

  /* Order of fields in the error summary (the order of the form). */
  const FIELD_ORDER = [
    "lon", "lat", "location", "name", "quote", "story", "function_types", "symbol_icon",
    "symbol_image", "access_free_entry", "access_costs", "access_wheelchair",
    "access_opening_hours", "access_notes", "conditions", "contributor_role",
    "contributor_name", "consent",
  ];
  const LOCATION_FIELDS = ["lon", "lat", "location"];
  const GROUP_FIELDS = ["function_types", "conditions", "symbol_icon"];

  /* What the local draft keeps. The contributor's name is left out on purpose: devices
   * are shared in workshops, and a name should not turn up for the next person. */
  const DRAFT_FIELDS = [
    "name", "quote", "story", "access_opening_hours", "access_notes", "access_free_entry",
    "access_costs", "access_wheelchair", "contributor_role", "symbol_icon", "buurt_pick",
    "lon", "lat",
  ];
  const DRAFT_LISTS = ["function_types", "conditions"];

  const reducedMotion = () => window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  const isNarrow = () => window.matchMedia("(max-width: 899px)").matches;

  /* ---------- small helpers ---------- */

  const { format, h, svg, readConfig } = window.plekkenDom;

  function safeColour(value) {
    return typeof value === "string" && /^#[0-9a-f]{3,8}$/i.test(value) ? value : FALLBACK_COLOUR;
  }

  function safeUrl(value) {
    if (typeof value !== "string" || !value) return "";
    try {
      const url = new URL(value, window.location.href);
      if (url.protocol === "http:" || url.protocol === "https:" || url.protocol === "blob:") return value;
      if (url.protocol === "data:" && /^data:image\//i.test(value)) return value;
    } catch (err) {
      return "";
    }
    return "";
  }

  function addToken(el, attr, token) {
    const tokens = (el.getAttribute(attr) || "").split(/\s+/).filter(Boolean);
    if (!tokens.includes(token)) tokens.push(token);
    el.setAttribute(attr, tokens.join(" "));
  }

  function removeTokens(el, attr, test) {
    const tokens = (el.getAttribute(attr) || "").split(/\s+/).filter((t) => t && !test(t));
    if (tokens.length) el.setAttribute(attr, tokens.join(" "));
    else el.removeAttribute(attr);
  }

  function storage() {
    try {
      const store = window.localStorage;
      const probe = "plekken:probe";
      store.setItem(probe, "1");
      store.removeItem(probe);
      return store;
    } catch (err) {
      return null;
    }
  }

  /* A function-type shape as inline SVG (aria-hidden: the label carries the meaning). */
  function shapeSvg(shape, colour, size, outline) {
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

  /* ---------- the app ---------- */

  function createApp(config) {
    const messages = Object.assign({}, DEFAULT_MESSAGES, config.messages || {});
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
      config, msg, types, buurten,
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
    };
    let scheduleSave = () => {};

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
          syncFilterInputs();
          writeUrl();
        }
        marker.once("add", () => {
          const el = marker.getElement();
          if (el && !reducedMotion()) el.classList.add("plek-marker--new");
        });
      }
      applyFilter();
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

    /* ---------- filter and legend ---------- */

    function readUrl() {
      const raw = new URLSearchParams(window.location.search).get("type");
      if (raw === null) return;
      app.active = new Set(raw.split(",").map((s) => s.trim()).filter((k) => types.has(k)));
    }

    function writeUrl() {
      const params = new URLSearchParams(window.location.search);
      params.delete("type");
      let query = params.toString();
      if (app.active.size !== types.size) {
        const keys = [...types.keys()].filter((k) => app.active.has(k)).map(encodeURIComponent);
        query += (query ? "&" : "") + "type=" + keys.join(",");
      }
      const url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
      try {
        window.history.replaceState(window.history.state, "", url);
      } catch (err) {
        /* file:// pages and sandboxed frames may refuse; the filter still works. */
      }
    }

    function applyFilter() {
      let shown = 0;
      for (const { feature, marker } of app.entries) {
        const visible = isShown(feature);
        if (visible) shown += 1;
        if (visible && !app.layer.hasLayer(marker)) app.layer.addLayer(marker);
        else if (!visible && app.layer.hasLayer(marker)) app.layer.removeLayer(marker);
      }
      updateFilterControl(shown);
    }

    function syncFilterInputs() {
      if (!app.filter) return;
      app.filter.inputs.forEach((input, key) => { input.checked = app.active.has(key); });
    }

    function updateFilterControl(shown) {
      if (!app.filter) return;
      const counts = new Map([...types.keys()].map((k) => [k, 0]));
      for (const { feature } of app.entries) {
        for (const k of new Set(feature.properties.function_types || [])) {
          if (counts.has(k)) counts.set(k, counts.get(k) + 1);
        }
      }
      counts.forEach((n, key) => {
        const out = app.filter.counts.get(key);
        if (!out) return;
        out.visible.textContent = String(n);
        out.spoken.textContent = ` (${n === 1 ? msg("placesCountOne") : msg("placesCount", { n })})`;
      });
      app.filter.toggleShapes.forEach((shape, key) => shape.classList.toggle("is-off", !app.active.has(key)));
      const total = app.entries.length;
      app.filter.status.textContent = total ? msg("filterStatus", { shown, total }) : msg("noPlaces");
    }

    function buildFilterControl() {
      const FilterControl = L.Control.extend({
        options: { position: "topright" },
        onAdd() {
          const container = h("div", { className: "plek-filter leaflet-control" });
          const bodyId = "plek-filter-body";
          const toggleShapes = new Map();
          const shapes = h("span", { className: "plek-filter__toggle-shapes", "aria-hidden": "true" });
          types.forEach((t, key) => {
            const s = shapeSvg(t.shape, t.colour, 14, false);
            toggleShapes.set(key, s);
            shapes.append(s);
          });
          const collapsed = window.matchMedia("(max-width: 640px)").matches;
          const toggle = h("button", {
            type: "button", className: "plek-filter__toggle",
            "aria-expanded": collapsed ? "false" : "true", "aria-controls": bodyId,
          }, [shapes, h("span", { text: msg("filterToggle") }), h("span", { className: "plek-filter__chevron", "aria-hidden": "true" })]);
          const body = h("div", { className: "plek-filter__body", id: bodyId });
          body.hidden = collapsed;
          const setOpen = (open) => {
            toggle.setAttribute("aria-expanded", String(open));
            body.hidden = !open;
          };
          toggle.addEventListener("click", () => setOpen(toggle.getAttribute("aria-expanded") !== "true"));

          const fieldset = h("fieldset", {}, [h("legend", { text: msg("filterLegend") })]);
          const inputs = new Map();
          const counts = new Map();
          types.forEach((t, key) => {
            const input = h("input", { type: "checkbox", value: key, id: `plek-filter-${key}` });
            input.checked = app.active.has(key);
            input.addEventListener("change", () => {
              if (input.checked) app.active.add(key);
              else app.active.delete(key);
              applyFilter();
              writeUrl();
            });
            const swatch = h("span", { className: "plek-filter__swatch", "aria-hidden": "true" }, [shapeSvg(t.shape, t.colour, 14, false)]);
            swatch.style.color = t.colour;
            const visible = h("span", { className: "plek-filter__count", "aria-hidden": "true" });
            const spoken = h("span", { className: "visually-hidden" });
            const label = h("label", { className: "plek-filter__option", for: input.id, title: t.explanation || null }, [
              input, swatch, h("span", { className: "plek-filter__label", text: t.label }), spoken, visible,
            ]);
            fieldset.append(label);
            inputs.set(key, input);
            counts.set(key, { visible, spoken });
          });
          const status = h("p", { className: "plek-filter__status", "aria-live": "polite" });
          body.append(h("p", { className: "plek-filter__help", text: msg("filterHelp") }), fieldset, status);
          container.append(toggle, body);
          L.DomEvent.disableClickPropagation(container);
          L.DomEvent.disableScrollPropagation(container);
          app.filter = { container, toggle, body, inputs, counts, status, toggleShapes, setOpen };
          return container;
        },
      });
      new FilterControl().addTo(app.map);
    }

    function localiseControls() {
      const root = app.map.getContainer();
      const label = (selector, text) => {
        const el = root.querySelector(selector);
        if (el) {
          el.setAttribute("title", text);
          el.setAttribute("aria-label", text);
        }
      };
      label(".leaflet-control-zoom-in", msg("zoomIn"));
      label(".leaflet-control-zoom-out", msg("zoomOut"));
      label(".leaflet-control-layers-toggle", msg("layers"));
    }

    /* ---------- the form ---------- */

    function setupForm() {
      const form = document.getElementById("place-form");
      if (!form) return;
      const el = (id) => document.getElementById(id);
      const f = {
        form,
        lon: form.elements.namedItem("lon"),
        lat: form.elements.namedItem("lat"),
        buurt: form.elements.namedItem("buurt_pick"),
        status: el("location-status"),
        focusButton: el("draft-focus-button"),
        file: form.elements.namedItem("symbol_image"),
        preview: el("symbol-preview"),
        previewImg: el("symbol-preview-img"),
        previewRemove: el("symbol-preview-remove"),
        summary: el("place-form-errors"),
        statusRegion: el("place-form-status"),
        submitError: el("place-form-submit-error"),
        submit: el("place-form-submit") || form.querySelector('[type="submit"]'),
      };
      app.form = f;
      const canPick = Boolean(app.map && config.canAdd);

      form.classList.add("is-enhanced");
      form.querySelectorAll("[data-enhanced-only]").forEach((node) => { node.hidden = !canPick; });
      form.querySelectorAll("[data-basic-only]").forEach((node) => { node.hidden = canPick; });

      setupSymbolChoice(f);
      setupErrorSummaryLinks(f);
      setupDraftStorage(f);
      if (canPick) setupPicking(f);
      form.addEventListener("submit", (ev) => {
        ev.preventDefault();
        submit(f);
      });
    }

    /* Symbol: an icon or an own picture, not both. */
    function setupSymbolChoice(f) {
      let previewUrl = null;
      const hidePreview = () => {
        if (previewUrl) URL.revokeObjectURL(previewUrl);
        previewUrl = null;
        if (f.previewImg) f.previewImg.removeAttribute("src");
        if (f.preview) f.preview.hidden = true;
      };
      f.clearPreview = hidePreview;
      if (!f.file) return;
      f.file.addEventListener("change", () => {
        const file = f.file.files && f.file.files[0];
        if (!file) {
          hidePreview();
          return;
        }
        f.form.querySelectorAll('input[name="symbol_icon"]').forEach((r) => { r.checked = false; });
        if (f.preview && f.previewImg && /^image\//.test(file.type)) {
          if (previewUrl) URL.revokeObjectURL(previewUrl);
          previewUrl = URL.createObjectURL(file);
          f.previewImg.src = previewUrl;
          f.preview.hidden = false;
        }
      });
      f.form.querySelectorAll('input[name="symbol_icon"]').forEach((radio) => {
        radio.addEventListener("change", () => {
          if (radio.checked && f.file.value) {
            f.file.value = "";
            hidePreview();
          }
        });
      });
      if (f.previewRemove) {
        f.previewRemove.addEventListener("click", () => {
          f.file.value = "";
          hidePreview();
          f.file.focus();
        });
      }
    }

    /* ---------- picking the spot ---------- */

    /* Buurt outlines, when the map draws them as GeoJSON with a buurt code per feature. */
    let buurtShapes = null;
    function findBuurtShapes() {
      const byCode = new Map(buurten.map((b) => [b.code, b]));
      const shapes = [];
      app.map.eachLayer((layer) => {
        const f = layer.feature;
        const code = f && f.properties && f.properties.code;
        const g = f && f.geometry;
        if (!byCode.has(code) || !g) return;
        if (g.type === "Polygon") shapes.push({ buurt: byCode.get(code), polygons: [g.coordinates] });
        else if (g.type === "MultiPolygon") shapes.push({ buurt: byCode.get(code), polygons: g.coordinates });
      });
      return shapes;
    }

    function inRing(lon, lat, ring) {
      let inside = false;
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi, yi] = ring[i];
        const [xj, yj] = ring[j];
        if ((yi > lat) !== (yj > lat) && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
      }
      return inside;
    }

    /* The buurt a point lies in: by outline when the map has them, else the nearest centre.
     * Returns {buurt, outside}; outside is true when outlines exist and none holds the point. */
    function locateBuurt(latlng) {
      if (buurtShapes === null) buurtShapes = app.map ? findBuurtShapes() : [];
      if (buurtShapes.length) {
        for (const shape of buurtShapes) {
          const hit = shape.polygons.some((rings) =>
            inRing(latlng.lng, latlng.lat, rings[0]) && !rings.slice(1).some((hole) => inRing(latlng.lng, latlng.lat, hole)));
          if (hit) return { buurt: shape.buurt, outside: false };
        }
        return { buurt: null, outside: true };
      }
      return { buurt: nearestBuurt(latlng), outside: false };
    }

    function nearestBuurt(latlng) {
      let best = null;
      let bestDistance = Infinity;
      const cos = Math.cos((latlng.lat * Math.PI) / 180);
      for (const b of buurten) {
        const dx = (b.lon - latlng.lng) * cos;
        const dy = b.lat - latlng.lat;
        const d = dx * dx + dy * dy;
        if (d < bestDistance) {
          bestDistance = d;
          best = b;
        }
      }
      return best;
    }

    function locationText(latlng, where) {
      if (where.buurt) return msg("locationChosen", { buurt: where.buurt.name });
      if (where.outside) return msg("locationOutside");
      return msg("locationChosenCoords", { lat: latlng.lat.toFixed(5), lon: latlng.lng.toFixed(5) });
    }

    function showLocation(f, latlng, where) {
      if (!f.status) return;
      if (!latlng) {
        f.status.classList.remove("is-chosen");
        f.status.textContent = msg("locationNone");
        return;
      }
      f.status.classList.add("is-chosen");
      f.status.classList.toggle("is-outside", Boolean(where.outside));
      f.status.replaceChildren(
        h("span", {}, [
          locationText(latlng, where),
          h("span", { className: "location-status__coords", "aria-hidden": "true", text: `${latlng.lat.toFixed(5)}, ${latlng.lng.toFixed(5)}` }),
        ]),
      );
    }

    function draftIcon() {
      const pin = svg("svg", { class: "plek-draft__pin", width: 40, height: 52, viewBox: "0 0 40 52", "aria-hidden": "true", focusable: "false" });
      pin.append(
        svg("path", { d: "M20 50C20 50 3.5 31 3.5 19a16.5 16.5 0 0 1 33 0C36.5 31 20 50 20 50Z", fill: "#5a2a82", stroke: "#fff", "stroke-width": 2.5 }),
        svg("circle", { cx: 20, cy: 19, r: 8, fill: "#fff" }),
        svg("path", { d: "M20 14.5v9M15.5 19h9", stroke: "#5a2a82", "stroke-width": 2.6, "stroke-linecap": "round" }),
      );
      return L.divIcon({ className: "plek-draft", html: pin, iconSize: [40, 52], iconAnchor: [20, 50] });
    }

    app.setDraft = function (latlngLike, source) {
      const f = app.form;
      if (!f || !app.map) return;
      const latlng = L.latLng(latlngLike).wrap();
      if (!app.draft) {
        app.draft = L.marker(latlng, {
          icon: draftIcon(), draggable: true, keyboard: true, autoPan: true,
          title: msg("draftMarkerLabel"), zIndexOffset: 1000, bubblingMouseEvents: false,
        });
        app.draft.on("add", () => {
          const el = app.draft && app.draft.getElement();
          if (el) {
            el.setAttribute("aria-label", msg("draftMarkerLabel"));
            el.dataset.draft = "true";
          }
        });
        app.draft.on("dragend", () => app.setDraft(app.draft.getLatLng(), "drag"));
        app.draft.on("keydown", (e) => onDraftKey(e.originalEvent));
        app.draft.addTo(app.map);
      } else if (!app.draft.getLatLng().equals(latlng)) {
        app.draft.setLatLng(latlng);
      }
      f.lon.value = latlng.lng.toFixed(6);
      f.lat.value = latlng.lat.toFixed(6);
      const where = locateBuurt(latlng);
      if (f.buurt && source !== "select") {
        const code = where.buurt ? where.buurt.code : "";
        if ([...f.buurt.options].some((o) => o.value === code)) f.buurt.value = code;
      }
      showLocation(f, latlng, where);
      if (f.focusButton) f.focusButton.disabled = false;
      if (source === "click" || source === "drag" || source === "select") app.announce(locationText(latlng, where));
      if (source !== "restore") scheduleSave();
      if (source === "click" && isNarrow()) scrollFormIntoView(f);
    };

    app.clearDraft = function () {
      const f = app.form;
      if (app.draft) {
        app.draft.remove();
        app.draft = null;
      }
      if (f) {
        if (f.lon) f.lon.value = "";
        if (f.lat) f.lat.value = "";
        showLocation(f, null);
        if (f.focusButton) f.focusButton.disabled = true;
      }
    };

    function onDraftKey(ev) {
      if (!ev || !app.draft) return;
      const moves = {
        ArrowUp: [1, 0, "moveNorth"], ArrowDown: [-1, 0, "moveSouth"],
        ArrowRight: [0, 1, "moveEast"], ArrowLeft: [0, -1, "moveWest"],
      };
      if (ev.key in moves) {
        ev.preventDefault();
        ev.stopPropagation();
        const [north, east, key] = moves[ev.key];
        const metres = ev.shiftKey ? BIG_STEP_METRES : STEP_METRES;
        const here = app.draft.getLatLng();
        const dLat = (north * metres) / 111320;
        const dLon = (east * metres) / (111320 * Math.cos((here.lat * Math.PI) / 180));
        const next = L.latLng(here.lat + dLat, here.lng + dLon);
        app.setDraft(next, "keyboard");
        app.map.panInside(next, { padding: [60, 60], animate: !reducedMotion() });
        app.announce(`${msg(key, { metres })} ${locationText(next, locateBuurt(next))}`);
      } else if ((ev.key === "Enter" || ev.key === "Escape") && app.form && app.form.focusButton) {
        ev.preventDefault();
        app.form.focusButton.focus();
      }
    }

    function scrollFormIntoView(f) {
      const target = f.status || f.form;
      window.setTimeout(() => {
        const box = target.getBoundingClientRect();
        if (box.top >= 0 && box.bottom <= window.innerHeight) return;
        target.scrollIntoView({ behavior: reducedMotion() ? "auto" : "smooth", block: "end" });
      }, 350);
    }

    function setupPicking(f) {
      const map = app.map;
      map.getContainer().classList.add("plekken-can-add");
      showLocation(f, null);

      // A click that only closes an open popup should not also drop the pin.
      const openPopups = new Set();
      let closingPopup = false;
      map.on("popupopen", (e) => openPopups.add(e.popup));
      map.on("popupclose", (e) => openPopups.delete(e.popup));
      map.on("preclick", () => { closingPopup = openPopups.size > 0; });
      map.on("click", (e) => {
        if (closingPopup) {
          closingPopup = false;
          return;
        }
        app.setDraft(e.latlng, "click");
      });

      if (f.buurt) {
        f.buurt.addEventListener("change", () => {
          const code = f.buurt.value;
          if (!code) return;
          const option = f.buurt.selectedOptions[0];
          const b = buurten.find((x) => x.code === code) ||
            (option && { code, name: option.textContent.trim(), lon: +option.dataset.lon, lat: +option.dataset.lat });
          if (!b || !Number.isFinite(+b.lat) || !Number.isFinite(+b.lon)) return;
          const latlng = L.latLng(+b.lat, +b.lon);
          app.setDraft(latlng, "select");
          map.setView(latlng, Math.max(map.getZoom(), 16), { animate: !reducedMotion() });
        });
      }
      if (f.focusButton) {
        f.focusButton.disabled = true;
        f.focusButton.addEventListener("click", () => {
          const el = app.draft && app.draft.getElement();
          if (el) el.focus();
        });
      }
    }

    /* ---------- keeping what people typed ---------- */

    function draftKey() {
      return "plekken:draft:" + ((config.wijk && config.wijk.code) || window.location.pathname);
    }

    function collectDraft(form) {
      const fields = {};
      for (const name of DRAFT_FIELDS) {
        const control = form.elements.namedItem(name);
        if (!control) continue;
        const value = control instanceof RadioNodeList || control.type !== "radio" ? control.value : (control.checked ? control.value : "");
        if (value) fields[name] = value;
      }
      const lists = {};
      for (const name of DRAFT_LISTS) {
        const checked = [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((i) => i.value);
        if (checked.length) lists[name] = checked;
      }
      return { fields, lists };
    }

    function isDefault(control) {
      if (control instanceof RadioNodeList) return ![...control].some((r) => r.checked);
      if (control.tagName === "SELECT") {
        const selected = control.selectedOptions[0];
        return !selected || selected.defaultSelected || control.selectedIndex === 0;
      }
      return control.value === "";
    }

    function setupDraftStorage(f) {
      const store = storage();
      let timer = null;
      const save = () => {
        timer = null;
        if (!store) return;
        const { fields, lists } = collectDraft(f.form);
        const meaningful = Object.keys(fields).some((k) => k !== "contributor_role") || Object.keys(lists).length;
        try {
          if (meaningful) store.setItem(draftKey(), JSON.stringify({ v: 1, savedAt: Date.now(), fields, lists }));
          else store.removeItem(draftKey());
        } catch (err) {
          /* Storage full or blocked: the form itself still holds everything. */
        }
      };
      scheduleSave = () => {
        if (timer) window.clearTimeout(timer);
        timer = window.setTimeout(save, 300);
      };
      app.clearStoredDraft = () => {
        if (timer) window.clearTimeout(timer);
        timer = null;
        if (store) store.removeItem(draftKey());
      };
      f.form.addEventListener("input", scheduleSave);
      f.form.addEventListener("change", scheduleSave);
      window.addEventListener("pagehide", () => { if (timer) { window.clearTimeout(timer); save(); } });

      if (!store) return;
      let saved = null;
      try {
        saved = JSON.parse(store.getItem(draftKey()) || "null");
      } catch (err) {
        saved = null;
      }
      if (!saved || typeof saved !== "object" || !saved.fields) return;
      if (!saved.savedAt || Date.now() - saved.savedAt > DRAFT_MAX_AGE_MS) {
        store.removeItem(draftKey());
        return;
      }
      let restored = false;
      for (const [name, value] of Object.entries(saved.fields)) {
        const control = f.form.elements.namedItem(name);
        if (!control || typeof value !== "string" || !isDefault(control)) continue;
        if (control instanceof RadioNodeList) {
          const radio = [...control].find((r) => r.value === value);
          if (radio) radio.checked = true;
        } else if (control.tagName === "SELECT") {
          if (![...control.options].some((o) => o.value === value)) continue;
          control.value = value;
        } else {
          control.value = value;
        }
        if (!["lon", "lat", "buurt_pick", "contributor_role"].includes(name)) restored = true;
      }
      for (const [name, values] of Object.entries(saved.lists || {})) {
        const boxes = [...f.form.querySelectorAll(`input[name="${name}"]`)];
        if (!Array.isArray(values) || boxes.some((b) => b.checked)) continue;
        boxes.forEach((b) => { if (values.includes(b.value)) { b.checked = true; restored = true; } });
      }
      if (restored) showDraftNote(f);
    }

    function showDraftNote(f) {
      if (!f.statusRegion) return;
      const discard = h("button", { type: "button", className: "button-link", text: msg("draftDiscard") });
      const note = h("div", { className: "notice draft-note" }, [h("p", { text: msg("draftRestored") }), discard]);
      discard.addEventListener("click", () => {
        clearForm(f);
        if (app.clearStoredDraft) app.clearStoredDraft();
        note.remove();
        const first = f.form.elements.namedItem("name");
        if (first) first.focus();
      });
      f.statusRegion.replaceChildren(note);
    }

    function clearForm(f) {
      const form = f.form;
      form.reset();
      for (const control of form.elements) {
        if (control.type === "hidden") {
          if (control.name === "lon" || control.name === "lat") control.value = "";
        } else if (control.type === "checkbox" || control.type === "radio") {
          control.checked = false;
        } else if (control.tagName === "SELECT") {
          const bewoner = control.name === "contributor_role" && [...control.options].find((o) => o.value === "bewoner");
          if (bewoner) control.value = "bewoner";
          else control.selectedIndex = 0;
        } else if (control.type === "file" || control.tagName === "TEXTAREA" || control.tagName === "INPUT") {
          control.value = "";
        }
      }
      if (f.clearPreview) f.clearPreview();
      app.clearDraft();
      clearErrors(f);
    }

    /* ---------- errors ---------- */

    function clearErrors(f) {
      const form = f.form;
      form.querySelectorAll(".field-error").forEach((p) => {
        p.textContent = "";
        p.hidden = true;
      });
      form.querySelectorAll("[aria-invalid]").forEach((node) => node.removeAttribute("aria-invalid"));
      form.querySelectorAll("[aria-describedby]").forEach((node) =>
        removeTokens(node, "aria-describedby", (t) => t.startsWith("error-")));
      form.querySelectorAll(".form-group--error").forEach((g) => g.classList.remove("form-group--error"));
      if (f.summary) {
        f.summary.hidden = true;
        const list = f.summary.querySelector("ul");
        if (list) list.textContent = "";
      }
      if (f.submitError) f.submitError.textContent = "";
    }

    function anchorFor(name) {
      return LOCATION_FIELDS.includes(name) ? "field-location" : `field-${name}`;
    }

    /* Show one server message next to its field; false when the form has no place for it. */
    function showFieldError(f, name, message, shownLocation) {
      const form = f.form;
      const box = form.querySelector(`#error-${CSS.escape(name)}`);
      if (!box) return false;
      if (LOCATION_FIELDS.includes(name)) {
        if (shownLocation.has(message)) return true;
        shownLocation.add(message);
      }
      box.replaceChildren(h("span", { className: "visually-hidden", text: msg("errorPrefix") + " " }), message);
      box.hidden = false;
      const group = box.closest(".form-group");
      if (group) group.classList.add("form-group--error");
      if (LOCATION_FIELDS.includes(name)) {
        const fieldset = form.querySelector("#field-location");
        if (fieldset) addToken(fieldset, "aria-describedby", box.id);
        if (f.buurt) addToken(f.buurt, "aria-describedby", box.id);
      } else if (GROUP_FIELDS.includes(name)) {
        const fieldset = form.querySelector(`#field-${CSS.escape(name)}`);
        if (fieldset) addToken(fieldset, "aria-describedby", box.id);
      } else {
        const control = form.querySelector(`#field-${CSS.escape(name)}`);
        if (control) {
          control.setAttribute("aria-invalid", "true");
          addToken(control, "aria-describedby", box.id);
        }
      }
      const details = box.closest("details");
      if (details) details.open = true;
      return true;
    }

    function messageText(value) {
      if (Array.isArray(value)) return value.map(String).join(" ");
      if (value && typeof value === "object") return Object.values(value).map(String).join(" ");
      return String(value);
    }

    function showErrors(f, errors) {
      clearErrors(f);
      const names = Object.keys(errors);
      const ordered = FIELD_ORDER.filter((n) => names.includes(n)).concat(names.filter((n) => !FIELD_ORDER.includes(n)));
      const items = [];
      const seen = new Set();
      const shownLocation = new Set();
      for (const name of ordered) {
        const message = messageText(errors[name]);
        if (!message) continue;
        const placed = showFieldError(f, name, message, shownLocation);
        const href = placed ? anchorFor(name) : "";
        const key = href + "\u0000" + message;
        if (seen.has(key)) continue;
        seen.add(key);
        items.push(h("li", {}, [placed ? h("a", { href: "#" + href, text: message }) : message]));
      }
      if (!f.summary) return;
      const list = f.summary.querySelector("ul");
      if (list) list.replaceChildren(...items);
      f.summary.hidden = false;
      f.summary.focus({ preventScroll: true });
      f.summary.scrollIntoView({ behavior: reducedMotion() ? "auto" : "smooth", block: "start" });
    }

    function setupErrorSummaryLinks(f) {
      if (!f.summary) return;
      f.summary.addEventListener("click", (ev) => {
        const link = ev.target.closest("a[href^='#']");
        if (!link) return;
        const target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
        if (!target) return;
        ev.preventDefault();
        const details = target.closest("details");
        if (details) details.open = true;
        const control = target.matches("input, select, textarea")
          ? target
          : target.querySelector("input:not([type=hidden]):not([disabled]), select, textarea");
        (target.closest(".form-group") || target).scrollIntoView({ block: "start" });
        if (control) control.focus({ preventScroll: true });
      });
    }

    /* ---------- saving ---------- */

    function showSubmitError(f, text) {
      if (!f.submitError) return;
      f.submitError.replaceChildren(h("div", { className: "notice notice--error" }, [h("p", { text })]));
    }

    function showSuccess(f, text) {
      if (!f.statusRegion) return;
      const note = h("div", { className: "notice notice--success", tabindex: "-1" }, [h("p", {}, [h("strong", { text })])]);
      f.statusRegion.replaceChildren(note);
      note.focus({ preventScroll: true });
      note.scrollIntoView({ behavior: reducedMotion() ? "auto" : "smooth", block: isNarrow() ? "end" : "nearest" });
    }

    function setBusy(f, busy) {
      const button = f.submit;
      if (!button) return;
      if (busy) {
        button.dataset.label = button.textContent;
        button.textContent = msg("submitBusy");
        button.setAttribute("aria-disabled", "true");
      } else {
        if (button.dataset.label) button.textContent = button.dataset.label;
        button.removeAttribute("aria-disabled");
      }
    }

    async function submit(f) {
      if (f.busy) return;
      f.busy = true;
      if (f.submitError) f.submitError.textContent = "";
      if (f.statusRegion) f.statusRegion.textContent = "";
      const data = new FormData(f.form);
      if (f.file && !(f.file.files && f.file.files.length)) data.delete("symbol_image");
      setBusy(f, true);
      const controller = typeof AbortController === "function" ? new AbortController() : null;
      const timer = controller ? window.setTimeout(() => controller.abort(), SUBMIT_TIMEOUT_MS) : null;
      let response = null;
      let body = null;
      try {
        response = await fetch((config.api && config.api.places) || f.form.action, {
          method: "POST",
          body: data,
          credentials: "same-origin",
          headers: { Accept: "application/json", "Accept-Language": lang },
          signal: controller ? controller.signal : undefined,
        });
        try {
          body = await response.json();
        } catch (err) {
          body = null;
        }
      } catch (err) {
        response = null;
      } finally {
        if (timer) window.clearTimeout(timer);
        setBusy(f, false);
        f.busy = false;
      }

      if (response && response.ok) {
        onSaved(f, body);
      } else if (response && response.status === 413) {
        showErrors(f, { symbol_image: msg("fileTooLarge") });
      } else if (response && response.status < 500 && body && body.errors && typeof body.errors === "object") {
        showErrors(f, body.errors);
      } else {
        showSubmitError(f, msg("networkError"));
      }
    }

    function onSaved(f, feature) {
      const isFeature = feature && feature.type === "Feature" && validFeature(feature);
      const pending = isFeature && feature.properties.status === "pending";
      clearForm(f);
      if (app.clearStoredDraft) app.clearStoredDraft();
      if (isFeature && app.map) {
        const marker = app.addPlace(feature, { isNew: true });
        updatePlaceCount();
        if (marker) {
          window.setTimeout(() => app.showMarker(marker), 50);
        }
      }
      showSuccess(f, pending ? msg("successPending") : msg("successPublished"));
      document.dispatchEvent(new CustomEvent("plekken:place-added", { detail: isFeature ? feature : null }));
    }

    /* ---------- start ---------- */

    app.start = function () {
      const map = window[config.mapName];
      if (map && typeof map.addLayer === "function" && window.L) {
        app.map = map;
        readUrl();
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
        buildFilterControl();
        localiseControls();
        const features = (config.places && config.places.features) || [];
        features.forEach((feature) => app.addPlace(feature));
        applyFilter();
        writeUrl();
      } else {
        console.warn("plekken: map not found:", config.mapName);
      }
      setupForm();
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
})();
