/* plekken — small maps of one place: on the moderation list, the moderator's edit page and
 * the contributor's own page.
 *
 * Each <div class="pinmap" data-lat data-lon> becomes a Leaflet map around the point. With
 * data-editable the pin moves by dragging it or tapping the map, and the form's latitude and
 * longitude fields (data-lat-field, data-lon-field) follow; those fields stay the way to move
 * the pin with a keyboard or without JavaScript. Settings (base-map tiles) come from
 * <script id="pinmap-config" type="application/json">.
 */

import { readConfig } from "./dom.js";

const L = window.L;
const config = readConfig("pinmap-config") || {};
const ZOOM = 16;

function tileLayers(map) {
  for (const tiles of config.tiles || []) {
    L.tileLayer(tiles.url, { attribution: tiles.attribution, maxZoom: tiles.max_zoom || 19 }).addTo(map);
  }
}

function editable(element, map, marker) {
  const form = element.closest("form") || document;
  const latField = form.querySelector(element.dataset.latField || "[name=lat]");
  const lonField = form.querySelector(element.dataset.lonField || "[name=lon]");
  if (!latField || !lonField) return;
  const moveTo = (latlng) => {
    marker.setLatLng(latlng);
    latField.value = latlng.lat.toFixed(6);
    lonField.value = latlng.lng.toFixed(6);
  };
  marker.on("dragend", () => moveTo(marker.getLatLng()));
  map.on("click", (event) => moveTo(event.latlng));
  const follow = () => {
    const lat = Number(latField.value);
    const lon = Number(lonField.value);
    if (latField.value && lonField.value && Number.isFinite(lat) && Number.isFinite(lon)) {
      marker.setLatLng([lat, lon]);
      map.panTo([lat, lon]);
    }
  };
  latField.addEventListener("change", follow);
  lonField.addEventListener("change", follow);
}

function install(element) {
  const lat = Number(element.dataset.lat);
  const lon = Number(element.dataset.lon);
  if (!Number.isFinite(lat) || !Number.isFinite(lon)) return;
  const canEdit = element.hasAttribute("data-editable");
  // Only an editable map takes part in the tab order; a picture of where a place lies
  // does not need to (its coordinates are written beside it).
  const map = L.map(element, {
    zoomControl: canEdit, keyboard: canEdit, scrollWheelZoom: false, attributionControl: true,
  }).setView([lat, lon], ZOOM);
  tileLayers(map);
  const marker = canEdit
    ? L.marker([lat, lon], {
      draggable: true, keyboard: false, title: element.dataset.pinTitle || "",
      icon: L.divIcon({ className: "pinmap__pin", iconSize: [28, 28], iconAnchor: [14, 14] }),
    })
    : L.circleMarker([lat, lon], { radius: 9, color: "#c62828", weight: 3, fillOpacity: 0.5, interactive: false });
  marker.addTo(map);
  if (canEdit) editable(element, map, marker);
}

document.querySelectorAll(".pinmap").forEach(install);
