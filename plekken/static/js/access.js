/* plekken — the map page for everyone: buurt outlines out of the tab order (the buurt list
 * in the form serves keyboard users), the map's name with its number of places, an honest
 * question when a pin lands outside the wijk, and on a phone: the map framed on the wijk,
 * a note instead of a scroll when the pin is placed, and the place as a bottom sheet.
 */

import { h, reducedMotion } from "./dom.js";

/* Phones: the place opens as a sheet over the bottom of the map. */
const SHEET_QUERY = "(max-width: 599px)";
const isSheet = () => window.matchMedia(SHEET_QUERY).matches;

/* Adds the accessibility functions to ``app``. */
export function installAccess(app) {
  const { msg, config } = app;
  const scope = config.scope || {};

  /* ---------- buurt outlines: hover and click only ---------- */

  function untab(layer) {
    const geometry = layer && layer.feature && layer.feature.geometry;
    if (!geometry || !/Polygon$/.test(geometry.type) || typeof layer.getElement !== "function") return;
    const el = layer.getElement();
    if (el) el.setAttribute("tabindex", "-1");
  }

  function keepOutlinesOutOfTabOrder() {
    app.map.eachLayer(untab);
    app.map.on("layeradd", (e) => untab(e.layer));
  }

  /* ---------- the map's name: "Kaart van X met N plekken" ---------- */

  function nameMap() {
    const pane = document.getElementById("map-pane");
    if (!pane) return;
    const n = app.entries.filter((e) => e.status !== "pending").length;
    pane.setAttribute("aria-label", n === 1 ? msg("mapNameOne", { name: scope.name }) : msg("mapName", { name: scope.name, n }));
  }

  /* ---------- a pin outside the wijk ---------- */

  let question = null;   // the open question, or null
  let confirmed = null;  // "lon,lat" of the spot the person said yes to

  function closeQuestion() {
    if (question) question.remove();
    question = null;
  }

  /* Ask where the spot lies and whether it should be saved there; called by the draft when
   * the pin lands outside the buurten of this map. */
  app.checkOutside = async function (latlng) {
    const key = `${latlng.lng.toFixed(6)},${latlng.lat.toFixed(6)}`;
    closeQuestion();
    confirmed = null;
    let found = null;
    try {
      const url = `${config.whereUrl}?lon=${encodeURIComponent(latlng.lng.toFixed(6))}&lat=${encodeURIComponent(latlng.lat.toFixed(6))}`;
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      found = response.ok ? await response.json() : null;
    } catch (err) {
      found = null;
    }
    const f = app.form;
    if (!f || !f.lon || `${f.lon.value},${f.lat.value}` !== key) return;  // the pin moved on
    const wijk = found && found.wijk;
    const box = h("div", { className: "outside-question notice", id: "outside-question", tabindex: "-1" });
    if (wijk) {
      const yes = h("button", { type: "button", className: "button button--small", text: msg("outsideYes") });
      const no = h("button", { type: "button", className: "button button--secondary button--small", text: msg("outsideNo") });
      box.append(
        h("p", {}, [h("strong", { text: msg("outsideAsk", { wijk: wijk.name }) })]),
        h("p", {}, [msg("outsideShows", { wijk: wijk.name }) + " ", h("a", { href: wijk.url, text: msg("outsideLink", { wijk: wijk.name }) })]),
        h("div", { className: "outside-question__actions" }, [yes, no]),
      );
      yes.addEventListener("click", () => {
        confirmed = key;
        closeQuestion();
        app.announce(msg("outsideConfirmed", { wijk: wijk.name }));
        if (f.focusButton) f.focusButton.focus();
      });
      no.addEventListener("click", () => {
        closeQuestion();
        app.clearDraft();
        if (f.buurt) f.buurt.focus();
      });
    } else {
      // Nothing to confirm: the server refuses such a spot and says so in the error summary.
      box.dataset.nothingToAsk = "true";
      box.append(h("p", {}, [h("strong", { text: msg("outsideNowhere") })]));
    }
    question = box;
    (f.status || f.form).after(box);
    app.announce(box.textContent);
  };

  /* Whether saving must wait for an answer; puts the focus on the question when it must. */
  app.mustConfirm = function () {
    const f = app.form;
    if (!question || question.dataset.nothingToAsk || !f || !f.lon || !f.lon.value) return false;
    if (confirmed === `${f.lon.value},${f.lat.value}`) return false;
    question.focus();
    question.scrollIntoView({ block: "center" });
    return true;
  };

  app.clearOutside = function () {
    closeQuestion();
    confirmed = null;
  };

  /* ---------- phone: the map framed on the wijk ---------- */

  function areaBounds() {
    let bounds = null;
    app.map.eachLayer((layer) => {
      const geometry = layer.feature && layer.feature.geometry;
      if (!geometry || !/Polygon$/.test(geometry.type) || typeof layer.getBounds !== "function") return;
      bounds = bounds ? bounds.extend(layer.getBounds()) : L.latLngBounds(layer.getBounds().getSouthWest(), layer.getBounds().getNorthEast());
    });
    return bounds && bounds.isValid() ? bounds : null;
  }

  /* On a phone the map is as tall as the wijk needs (within limits), and shows all of it. */
  function frameOnArea() {
    const bounds = areaBounds();
    if (!bounds) return;
    const pane = document.getElementById("map-pane");
    const map = app.map;
    if (pane && isSheet()) {
      const zoom = map.getZoom();
      const sw = map.project(bounds.getSouthWest(), zoom);
      const ne = map.project(bounds.getNorthEast(), zoom);
      const ratio = Math.abs(sw.y - ne.y) / Math.max(1, Math.abs(ne.x - sw.x));
      const width = pane.clientWidth;
      const wanted = Math.round(width * ratio + 32);
      const lowest = Math.round(window.innerHeight * 0.5);
      const highest = Math.round(window.innerHeight * 0.62);
      pane.style.height = `${Math.min(highest, Math.max(lowest, wanted))}px`;
      map.invalidateSize({ animate: false });
    }
    map.fitBounds(bounds, { padding: [8, 8], animate: false });
  }

  /* ---------- phone: a note on the map when the pin is placed (the page does not move) ---------- */

  let note = null;
  app.showPinNote = function (text) {
    if (!isSheet() || !app.map) return;
    if (!note) {
      const link = h("a", { href: "#add-place", className: "map-note__link", text: msg("pinNoteLink") });
      note = h("div", { className: "map-note", id: "map-note" }, [h("p", { className: "map-note__text" }), link]);
      L.DomEvent.disableClickPropagation(note);
      app.map.getContainer().append(note);
    }
    note.querySelector(".map-note__text").textContent = text;
    note.hidden = false;
  };
  app.hidePinNote = function () {
    if (note) note.hidden = true;
  };

  /* ---------- phone: the place as a bottom sheet ---------- */

  /* Called as a place's popup fills: on a phone it becomes a sheet, not a bubble that pans. */
  app.sheetPopup = function (popup) {
    const sheet = isSheet();
    popup.options.autoPan = !sheet;
    if (sheet) popup.options.maxHeight = null;
  };

  function onPopupOpen(e) {
    const el = e.popup.getElement();
    if (!el || !el.classList.contains("plek-popup-wrap") || !isSheet()) return;
    el.classList.add("is-sheet");
    app.map.getContainer().append(el);  // out of the moving map pane: fixed to the screen's bottom
    const content = el.querySelector(".leaflet-popup-content");
    if (content) content.style.maxHeight = "";
    // Keep the place itself in view above the sheet.
    const marker = e.popup._source;
    if (!marker || typeof marker.getLatLng !== "function") return;
    const point = app.map.latLngToContainerPoint(marker.getLatLng());
    const mapTop = app.map.getContainer().getBoundingClientRect().top;
    const free = Math.min(app.map.getSize().y, el.getBoundingClientRect().top - mapTop);
    if (point.y > free - 24 || point.y < 24) {
      app.map.panBy([0, point.y - Math.max(24, free / 2)], { animate: !reducedMotion() });
    }
  }

  /* With large text the legend (top right) and the zoom and list buttons (top left) can
   * meet on a phone: then the left ones move down below the legend. */
  function keepCornersApart() {
    const box = app.map.getContainer();
    const left = box.querySelector(".leaflet-top.leaflet-left");
    const right = box.querySelector(".leaflet-top.leaflet-right");
    if (!left || !right) return;
    left.style.top = "";
    const a = left.getBoundingClientRect();
    const b = right.getBoundingClientRect();
    const apart = a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top;
    if (!apart) left.style.top = `${right.offsetHeight}px`;
  }

  /* No animated zoom, fade or fly for people who asked their system for less motion. */
  function calmDown() {
    if (!reducedMotion()) return;
    const map = app.map;
    Object.assign(map.options, { zoomAnimation: false, fadeAnimation: false, markerZoomAnimation: false, inertia: false });
    map._zoomAnimated = false;  // read by Leaflet on every zoom; set once at creation otherwise
    if (app.layer && app.layer.options) app.layer.options.animate = false;
  }

  app.startAccess = function () {
    if (!app.map) return;
    calmDown();
    // On a phone the attribution would cover the layer button: stack them in one corner.
    // Without Leaflet's own credit (its licence is in plekken/static/vendor) it also stays short.
    if (isSheet() && app.map.attributionControl) app.map.attributionControl.setPosition("bottomleft").setPrefix(false);
    frameOnArea();
    keepCornersApart();
    window.addEventListener("resize", keepCornersApart);
    app.map.on("popupopen", onPopupOpen);
    keepOutlinesOutOfTabOrder();
    document.addEventListener("plekken:markers-shown", nameMap);
    document.addEventListener("plekken:place-added", nameMap);
  };
}
