/* plekken — the draft of a new place: picking its spot on the map (by click, tap, buurt or
 * arrow keys) and keeping what people typed in the browser until it is saved.
 */

import { h, reducedMotion, svg } from "./dom.js";

const STEP_METRES = 10;
const BIG_STEP_METRES = 50;
const DRAFT_MAX_AGE_MS = 7 * 24 * 3600 * 1000;

/* What the local draft keeps. The contributor's name is left out on purpose: devices
 * are shared in workshops, and a name should not turn up for the next person. */
const DRAFT_FIELDS = [
  "name", "quote", "story", "access_opening_hours", "access_notes", "access_free_entry",
  "access_costs", "access_wheelchair", "contributor_role", "symbol_icon", "buurt_pick",
  "lon", "lat",
];
const DRAFT_LISTS = ["function_types", "conditions"];

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

/* Adds the draft functions to ``app``. */
export function installDraft(app) {
  const { msg, buurten, config } = app;

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
    if (where.outside) app.checkOutside(latlng);
    else app.clearOutside();
    if (f.buurt && source !== "select") {
      const code = where.buurt ? where.buurt.code : "";
      if ([...f.buurt.options].some((o) => o.value === code)) f.buurt.value = code;
    }
    showLocation(f, latlng, where);
    if (f.focusButton) f.focusButton.disabled = false;
    if (source === "click" || source === "drag" || source === "select") app.announce(locationText(latlng, where));
    if (source !== "restore") app.scheduleSave();
    // On a phone the page stays where it is (the map must not move under the finger).
    if (source === "click" || source === "drag") app.showPinNote(locationText(latlng, where));
  };

  app.clearDraft = function () {
    const f = app.form;
    app.clearOutside();
    app.hidePinNote();
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
    app.scheduleSave = () => {
      if (timer) window.clearTimeout(timer);
      timer = window.setTimeout(save, 300);
    };
    app.clearStoredDraft = () => {
      if (timer) window.clearTimeout(timer);
      timer = null;
      if (store) store.removeItem(draftKey());
    };
    f.form.addEventListener("input", app.scheduleSave);
    f.form.addEventListener("change", app.scheduleSave);
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
    app.clearErrors(f);
  }

  Object.assign(app, { setupPicking, setupDraftStorage, clearForm });
}
