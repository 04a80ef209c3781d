/* plekken — "mijn plekken": the places this browser added, remembered with their private
 * owner token in local storage, so the contributor can find, change and withdraw them later
 * without an account.
 *
 * - After a place is saved (event "plekken:place-added"), remembers its token and shows the
 *   private link with its QR code once.
 * - On a map page, asks the API for this browser's own places (Authorization: Bearer <token>)
 *   and shows the ones still waiting for approval, marked "wacht op goedkeuring".
 * - On the page /mijn-plekken (#mijn-plekken), lists them with their status.
 */
import { h, readConfig } from "./dom.js";

const KEY = "plekken:mijn-plekken";
const config = readConfig() || {};
const messages = config.messages || {};
const msg = (key, fallback) => messages[key] || fallback;

function load() {
  try {
    const list = JSON.parse(window.localStorage.getItem(KEY) || "[]");
    return Array.isArray(list) ? list.filter((e) => e && Number.isInteger(e.id) && typeof e.token === "string") : [];
  } catch (err) {
    return [];
  }
}

function save(list) {
  try {
    window.localStorage.setItem(KEY, JSON.stringify(list));
  } catch (err) {
    /* private mode or full: the link shown once is then the only way back */
  }
}

function remember(feature) {
  const p = feature.properties || {};
  const list = load().filter((e) => e.id !== feature.id);
  list.unshift({ id: feature.id, name: p.name || "", token: feature.owner_token, manageUrl: feature.manage_url, added: new Date().toISOString().slice(0, 10) });
  save(list);
}

function forget(id) {
  save(load().filter((e) => e.id !== id));
}

async function fetchOwn(entry) {
  try {
    const response = await fetch(`${config.placesUrl || "/api/v1/places"}/${entry.id}`, {
      headers: { Accept: "application/json", Authorization: `Bearer ${entry.token}` },
      credentials: "omit",
    });
    if (response.status === 404 || response.status === 403) {
      forget(entry.id);
      return null;
    }
    return response.ok ? await response.json() : null;
  } catch (err) {
    return null;
  }
}

function showLink(feature) {
  const region = document.getElementById("place-form-status");
  if (!region || !feature.manage_url) return;
  const box = h("div", { className: "manage-link", id: "manage-link" }, [
    h("p", { text: msg("manageIntro", "Met deze privé-link kun je je plek later nog veranderen of weghalen.") }),
    h("p", {}, [h("a", { href: feature.manage_url, text: msg("manageLink", "Mijn plek beheren") })]),
  ]);
  if (feature.manage_qr) box.append(h("img", { src: feature.manage_qr, alt: msg("qrAlt", "QR-code van de privé-link"), width: 160, height: 160 }));
  region.append(box);
}

document.addEventListener("plekken:place-added", (event) => {
  const feature = event.detail;
  if (!feature || !feature.owner_token) return;
  remember(feature);
  showLink(feature);
});

async function showOwnPending() {
  const app = window.plekken;
  if (!app || typeof app.addPlace !== "function" || !app.map) return;
  const shown = new Set((app.entries || []).map((e) => e.feature.id));
  for (const entry of load()) {
    if (shown.has(entry.id)) continue;
    const feature = await fetchOwn(entry);
    const scope = config.scope || {};
    const p = feature && feature.properties;
    if (!p || p.status === "published") continue;
    if (p[`${scope.kind}_code`] !== scope.code) continue;
    app.addPlace(feature);
  }
}

const STATUS = {
  published: ["Staat op de kaart", "On the map"],
  pending: ["Wacht op goedkeuring", "Waiting for approval"],
  hidden: ["Verborgen door een opbouwwerker", "Hidden by a community worker"],
};

async function listMine(container) {
  const en = document.documentElement.lang === "en";
  const list = load();
  const items = container.querySelector("[data-mine-list]");
  const empty = container.querySelector("[data-mine-empty]");
  if (!list.length) {
    if (empty) empty.hidden = false;
    return;
  }
  for (const entry of list) {
    const feature = await fetchOwn(entry);
    if (!feature) continue;
    const p = feature.properties || {};
    const status = (STATUS[p.status] || [p.status, p.status])[en ? 1 : 0];
    items.append(h("li", { className: "mine-item", "data-place-id": entry.id }, [
      h("a", { href: entry.manageUrl, text: p.name || entry.name }),
      " — ",
      h("span", { className: `mine-status mine-status--${p.status}`, text: status }),
    ]));
  }
  if (!items.children.length && empty) empty.hidden = false;
}

function start() {
  const container = document.getElementById("mijn-plekken");
  if (container) listMine(container);
  else showOwnPending();
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
