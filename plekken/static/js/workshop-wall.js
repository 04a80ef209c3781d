/* plekken — the wall map of a workshop, for the projector: follows the workshop's feed
 * (GET /api/v1/workshops/<CODE>/places?since=<cursor>) and shows every new place at once,
 * its symbol large and its quote for a moment, with a counter per function type. No
 * controls: it runs by itself for the whole evening.
 */
import { readConfig, reducedMotion, safeUrl } from "./dom.js";

const config = readConfig() || {};
const SPOTLIGHT_MS = 9000;
const L = window.L;
const wall = document.getElementById("wall");
const map = L.map("wall-map", { zoomControl: false, attributionControl: true, keyboard: false });
for (const tiles of config.tiles || []) {
  L.tileLayer(tiles.url, { attribution: tiles.attribution, maxZoom: tiles.max_zoom || 19 }).addTo(map);
}
const outline = L.geoJSON(config.outline, { style: { color: "#111", weight: 4, fill: false } }).addTo(map);
if (outline.getBounds().isValid()) map.fitBounds(outline.getBounds(), { padding: [40, 40] });
else map.setView([51.84, 5.86], 14);

let cursor = 0;
const shown = new Set();
const queue = [];
let showing = false;

function symbolOf(properties) {
  return safeUrl(properties.symbol_url) || config.symbolFallback;
}

function addMarker(feature) {
  const [lon, lat] = feature.geometry.coordinates;
  const icon = L.icon({ iconUrl: symbolOf(feature.properties), iconSize: [56, 56], className: "wall-marker" });
  L.marker([lat, lon], { icon, keyboard: false, interactive: false, alt: feature.properties.name || "" }).addTo(map);
  shown.add(feature.id);
  wall.dataset.places = String(shown.size);
}

function nextSpotlight() {
  const box = document.getElementById("wall-spotlight");
  const feature = queue.shift();
  if (!feature) {
    box.hidden = true;
    showing = false;
    return;
  }
  showing = true;
  const p = feature.properties;
  document.getElementById("spotlight-symbol").src = symbolOf(p);
  document.getElementById("spotlight-name").textContent = p.name || "";
  document.getElementById("spotlight-quote").textContent = p.quote ? `“${p.quote}”` : "";
  document.getElementById("spotlight-who").textContent = p.contributor_name || "";
  box.dataset.placeId = String(feature.id);
  box.hidden = false;
  box.classList.toggle("wall-spotlight--animate", !reducedMotion());
  window.setTimeout(nextSpotlight, SPOTLIGHT_MS);
}

function updateCounts(counts) {
  let total = 0;
  document.querySelectorAll(".wall-counts li[data-type]").forEach((item) => {
    const n = Number(counts[item.dataset.type] || 0);
    item.querySelector("[data-count]").textContent = String(n);
  });
  total = shown.size;
  document.getElementById("wall-total").textContent = String(total);
}

async function poll(first) {
  try {
    const response = await fetch(`${config.feedUrl}?since=${cursor}`, { headers: { Accept: "application/json" }, cache: "no-store" });
    if (response.ok) {
      const answer = await response.json();
      for (const feature of answer.features || []) {
        if (shown.has(feature.id)) continue;
        addMarker(feature);
        if (!first) queue.push(feature);
      }
      cursor = Number.isInteger(answer.cursor) ? answer.cursor : cursor;
      updateCounts(answer.counts || {});
      if (!showing) nextSpotlight();
    }
  } catch (err) {
    /* the network of the room hiccups: the next poll tries again */
  }
  window.setTimeout(() => poll(false), config.pollMs || 3000);
}

poll(true);
