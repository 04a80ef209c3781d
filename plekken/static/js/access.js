/* plekken — the map page for everyone: buurt outlines out of the tab order (the buurt list
 * in the form serves keyboard users), the map's name with its number of places, and an honest
 * question when a pin lands outside the wijk.
 */

import { h } from "./dom.js";

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

  app.startAccess = function () {
    if (!app.map) return;
    keepOutlinesOutOfTabOrder();
    document.addEventListener("plekken:markers-shown", nameMap);
    document.addEventListener("plekken:place-added", nameMap);
  };
}
