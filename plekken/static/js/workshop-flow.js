/* plekken — the resident's step-by-step flow in a workshop: one question per screen, back
 * always possible, everything typed kept in the browser (local storage) until it is sent.
 *
 * Step 1 places the point: a tap on the map ("map"), a buurt from the list and perhaps a tap
 * within it ("list"), or the phone's location ("gps"); the map's zoom is sent with it. The
 * symbol is drawn (draw.js, sent as a PNG), a built-in icon, or a photo. The form is sent to
 * POST /api/v1/places with the workshop's join code.
 */
import { contributorKey } from "./contributor.js";
import { format, h, readConfig, safeUrl } from "./dom.js";
import { installDrawing } from "./draw.js";
import { installEndorsements } from "./endorse.js";

const config = readConfig() || {};
const messages = config.messages || {};
const msg = (key, values) => format(messages[key] !== undefined ? messages[key] : key, values);
const DRAFT_KEY = `plekken:workshop:${config.code}`;

const form = document.getElementById("flow-form");
const steps = [...form.querySelectorAll(".flow-step")];
const progress = document.getElementById("flow-progress");
const errorBox = document.getElementById("flow-errors");
const back = document.getElementById("flow-back");
const next = document.getElementById("flow-next");
const send = document.getElementById("flow-send");
const chosen = document.getElementById("flow-chosen");
const field = (name) => form.elements.namedItem(name);
let current = 0;

/* ------------------------------------------------------------------ the map (step 1) */

const L = window.L;
const map = L.map("flow-map", { zoomControl: true, tap: true });
for (const tiles of config.tiles || []) {
  L.tileLayer(tiles.url, { attribution: tiles.attribution, maxZoom: tiles.max_zoom || 19 }).addTo(map);
}
const outline = L.geoJSON(config.outline, { style: { color: "#1b1b1b", weight: 3, fill: false } }).addTo(map);
if (outline.getBounds().isValid()) map.fitBounds(outline.getBounds());
else map.setView([51.84, 5.86], 14);
let marker = null;

function setPoint(lat, lon, placement, announce) {
  field("lat").value = lat.toFixed(6);
  field("lon").value = lon.toFixed(6);
  field("placement").value = placement;
  field("map_zoom").value = String(map.getZoom());
  if (marker) marker.setLatLng([lat, lon]);
  else marker = L.circleMarker([lat, lon], { radius: 14, color: "#c62828", weight: 4, fillOpacity: 0.4 }).addTo(map);
  chosen.textContent = announce;
  saveDraft();
}

map.on("click", (event) => {
  const buurt = field("buurt_pick").value;
  setPoint(event.latlng.lat, event.latlng.lng, buurt ? "list" : "map", msg("flowChosenMap"));
});

field("buurt_pick").addEventListener("change", (event) => {
  const option = event.target.selectedOptions[0];
  if (!option || !option.value) return;
  const lat = Number(option.dataset.lat);
  const lon = Number(option.dataset.lon);
  map.setView([lat, lon], Math.max(map.getZoom(), 16));
  setPoint(lat, lon, "list", msg("flowChosenBuurt", { buurt: option.textContent }));
});

document.getElementById("use-location").addEventListener("click", () => {
  if (!navigator.geolocation) {
    chosen.textContent = msg("flowNoLocation");
    return;
  }
  chosen.textContent = msg("flowLocating");
  navigator.geolocation.getCurrentPosition(
    (position) => {
      const { latitude, longitude } = position.coords;
      map.setView([latitude, longitude], 17);
      setPoint(latitude, longitude, "gps", msg("flowChosenGps"));
    },
    () => { chosen.textContent = msg("flowNoLocation"); },
    { enableHighAccuracy: true, timeout: 15000 },
  );
});

/* ------------------------------------------------------------------ the symbol (step 3) */

const drawing = installDrawing(document.getElementById("draw-canvas"), { onChange: () => saveDraft() });
document.querySelectorAll(".pen-colour, .pen-width").forEach((button) => {
  button.addEventListener("click", () => {
    const group = button.classList.contains("pen-colour") ? ".pen-colour" : ".pen-width";
    document.querySelectorAll(group).forEach((b) => b.setAttribute("aria-pressed", String(b === button)));
    if (button.dataset.colour) drawing.pen.colour = button.dataset.colour;
    if (button.dataset.width) drawing.pen.width = Number(button.dataset.width);
  });
});
document.getElementById("draw-undo").addEventListener("click", () => drawing.undo());
document.getElementById("draw-clear").addEventListener("click", () => drawing.clear());

const symbolKind = () => (form.querySelector("input[name=symbol_kind]:checked") || {}).value || "draw";
function showSymbolPanel() {
  form.querySelectorAll(".symbol-panel").forEach((panel) => { panel.hidden = panel.dataset.kind !== symbolKind(); });
}
form.querySelectorAll("input[name=symbol_kind]").forEach((radio) => radio.addEventListener("change", showSymbolPanel));

/* ------------------------------------------------------------------ steps */

function showErrors(list) {
  errorBox.replaceChildren();
  if (!list.length) {
    errorBox.hidden = true;
    return;
  }
  const items = document.createElement("ul");
  for (const text of list) {
    const li = document.createElement("li");
    li.textContent = text;
    items.append(li);
  }
  const intro = document.createElement("p");
  intro.textContent = msg("flowErrors");
  errorBox.append(intro, items);
  errorBox.hidden = false;
}

function show(index, focus = true) {
  current = Math.max(0, Math.min(index, steps.length - 1));
  steps.forEach((step, i) => { step.hidden = i !== current; });
  progress.textContent = msg("flowStep", { n: current + 1, m: steps.length });
  next.hidden = current === steps.length - 1;
  send.hidden = current !== steps.length - 1;
  if (current === 0) map.invalidateSize();
  if (focus) steps[current].querySelector("h2").focus();
  saveDraft();
}

function problems(index) {
  const found = [];
  const step = steps[index].dataset.step;
  if (step === "1" && !field("lon").value) found.push(msg("flowNeedPlace"));
  if (step === "2" && !field("name").value.trim()) found.push(msg("flowNeedName"));
  if (step === "3" && symbolKind() === "photo" && !field("symbol_image").files.length) found.push(msg("flowNeedPhoto"));
  if (step === "5" && !form.querySelector("input[name=function_types]:checked")) found.push(msg("flowNeedType"));
  if (step === "7" && !field("consent").checked) found.push(msg("flowNeedConsent"));
  return found;
}

next.addEventListener("click", () => {
  const found = problems(current);
  showErrors(found);
  if (found.length) {
    errorBox.setAttribute("tabindex", "-1");
    errorBox.focus();
    return;
  }
  show(current + 1);
});

back.addEventListener("click", () => {
  showErrors([]);
  if (current === 0) window.location.assign(config.join.replace(/\/plek$/, ""));
  else show(current - 1);
});

/* ------------------------------------------------------------------ the draft */

function saveDraft() {
  const values = {};
  for (const element of form.elements) {
    if (!element.name || element.type === "file" || element.name === "workshop") continue;
    if (element.type === "checkbox") {
      values[element.name] = values[element.name] || [];
      if (element.checked) values[element.name].push(element.value);
    } else if (element.type === "radio") {
      if (element.checked) values[element.name] = element.value;
    } else {
      values[element.name] = element.value;
    }
  }
  try {
    window.localStorage.setItem(DRAFT_KEY, JSON.stringify({ values, step: current, strokes: drawing.strokes() }));
  } catch (err) {
    /* private mode or full: the flow works without a draft */
  }
}

function restoreDraft() {
  let draft = null;
  try {
    draft = JSON.parse(window.localStorage.getItem(DRAFT_KEY) || "null");
  } catch (err) {
    draft = null;
  }
  if (!draft || typeof draft !== "object") return 0;
  const values = draft.values || {};
  for (const element of form.elements) {
    if (!element.name || !(element.name in values) || element.type === "file" || element.name === "workshop") continue;
    const value = values[element.name];
    if (element.type === "checkbox") element.checked = Array.isArray(value) && value.includes(element.value);
    else if (element.type === "radio") element.checked = element.value === value;
    else element.value = value;
  }
  drawing.restore(draft.strokes);
  const lat = Number(field("lat").value);
  const lon = Number(field("lon").value);
  if (field("lon").value && Number.isFinite(lat) && Number.isFinite(lon)) {
    marker = L.circleMarker([lat, lon], { radius: 14, color: "#c62828", weight: 4, fillOpacity: 0.4 }).addTo(map);
    chosen.textContent = msg("flowChosenMap");
  }
  return Number.isInteger(draft.step) ? draft.step : 0;
}

form.addEventListener("input", saveDraft);
form.addEventListener("change", saveDraft);

/* ------------------------------------------------------------------ sending */

const STEP_OF_FIELD = {
  lon: 1, lat: 1, location: 1, placement: 1, map_zoom: 1, name: 2, story: 2,
  symbol_icon: 3, symbol_image: 3, quote: 4, function_types: 5, conditions: 6,
  access_free_entry: 6, access_costs: 6, access_wheelchair: 6, access_opening_hours: 6,
  home_buurt: 6, age_band: 6, contributor_key: 7,
  contributor_name: 7, show_name: 7, consent: 7, workshop: 7,
};

async function body() {
  const data = new FormData(form);
  data.delete("symbol_kind");
  data.delete("buurt_pick");
  const kind = symbolKind();
  if (kind !== "icon") data.delete("symbol_icon");
  if (kind !== "photo") data.delete("symbol_image");
  if (kind === "draw" && !drawing.isEmpty()) data.append("symbol_image", await drawing.toBlob(), "tekening.png");
  data.set("contributor_key", contributorKey());
  return data;
}

function done(feature) {
  const p = feature.properties || {};
  document.dispatchEvent(new CustomEvent("plekken:place-added", { detail: feature }));
  try {
    window.localStorage.removeItem(DRAFT_KEY);
  } catch (err) {
    /* nothing kept */
  }
  document.getElementById("done-status").textContent = msg(p.status === "published" ? "flowPublished" : "flowPending");
  const link = document.getElementById("done-manage");
  link.href = feature.manage_url;
  link.textContent = feature.manage_url;
  document.getElementById("done-qr").src = feature.manage_qr;
  form.hidden = true;
  progress.textContent = "";
  document.getElementById("flow-done").hidden = false;
  document.getElementById("done-title").focus();
  endorsements.show(feature.id);
}

/* Who the resident is stays the same for their next place and their endorsements. */
const about = () => ({ home_buurt: field("home_buurt").value, age_band: field("age_band").value });
const endorsements = installEndorsements({ config, msg, h, safeUrl, about });

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const found = problems(current);
  showErrors(found);
  if (found.length) return;
  send.disabled = true;
  progress.textContent = msg("flowSending");
  const headers = { Accept: "application/json" };
  const token = document.querySelector("meta[name=csrf-token]");
  if (token) headers["X-CSRFToken"] = token.content;
  try {
    const response = await fetch(config.api, { method: "POST", body: await body(), headers, credentials: "same-origin" });
    const answer = await response.json().catch(() => ({}));
    if (response.status === 201) {
      done(answer);
      return;
    }
    const errors = answer.errors || {};
    showErrors(Object.values(errors).map(String));
    const first = Object.keys(errors).map((name) => STEP_OF_FIELD[name] || 7).sort((a, b) => a - b)[0];
    show((first || 7) - 1, false);
    errorBox.setAttribute("tabindex", "-1");
    errorBox.focus();
  } catch (err) {
    showErrors([msg("flowOffline")]);
    progress.textContent = msg("flowStep", { n: current + 1, m: steps.length });
  } finally {
    send.disabled = false;
  }
});

document.getElementById("flow-again").addEventListener("click", () => {
  const person = about();
  form.reset();
  field("home_buurt").value = person.home_buurt;
  field("age_band").value = person.age_band;
  for (const name of ["lon", "lat", "placement", "map_zoom"]) field(name).value = "";
  drawing.clear();
  if (marker) {
    marker.remove();
    marker = null;
  }
  chosen.textContent = "";
  showSymbolPanel();
  document.getElementById("flow-done").hidden = true;
  form.hidden = false;
  show(0);
});

const start = restoreDraft();
showSymbolPanel();
show(start, false);
