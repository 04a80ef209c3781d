/* plekken — the legend of the map, which is also its filter by function type (kept in
 * ?type=… so a filtered view can be shared), and the map controls' labels.
 */

import { h } from "./dom.js";
import { shapeSvg } from "./markers.js";

/* Adds the legend and filter functions to ``app``. */
export function installLegend(app) {
  const { msg, types } = app;

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

  /* Markers in or out by the type filter, in one batch (the cluster layer is fast that way). */
  function applyFilter() {
    const add = [];
    const remove = [];
    let shown = 0;
    for (const entry of app.entries) {
      const visible = app.isShown(entry);
      if (visible) shown += 1;
      const present = app.layer.hasLayer(entry.marker);
      if (visible && !present) add.push(entry.marker);
      else if (!visible && present) remove.push(entry.marker);
    }
    if (remove.length) app.layer.removeLayers(remove);
    if (add.length) app.layer.addLayers(add);
    updateFilterControl(shown);
    if (app.list) app.list.refresh();
  }

  function syncFilterInputs() {
    if (!app.filter) return;
    app.filter.inputs.forEach((input, key) => { input.checked = app.active.has(key); });
  }

  function updateFilterControl(shown) {
    if (!app.filter) return;
    const counts = new Map([...types.keys()].map((k) => [k, 0]));
    for (const entry of app.entries) {
      for (const k of new Set(entry.types)) {
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

  Object.assign(app, {
    readUrl, writeUrl, applyFilter, syncFilterInputs, buildFilterControl, localiseControls,
  });
}
