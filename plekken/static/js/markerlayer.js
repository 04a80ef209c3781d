/* plekken — the layer of place markers on a map of a wijk or a gemeente.
 *
 * Places that would overlap at the current zoom are grouped by Leaflet.markercluster into
 * a cluster that shows the mix of function types (a ring in the legend's colours) and the
 * count; places at (almost) the same spot form one location that shows their symbols and
 * fans out (spiderfy) when opened. Symbols are small when zoomed out and grow when zoomed
 * in, a little larger on a big screen. Markers and clusters are one tab stop: arrow keys
 * move between them, Enter or Space opens one.
 *
 * Icons are built only when they are drawn, from the place's data; texts from people are
 * set as attribute values or textContent, never as HTML.
 */
import { h } from "./dom.js";

/** Places closer than this (metres) are one location pinned by several people. */
const SAME_SPOT_METRES = 15;
const FALLBACK_COLOUR = "#6b6b76";
const ICON_SELECTOR = ".plek-marker, .plek-cluster";
const ARROWS = { ArrowUp: [0, -1], ArrowDown: [0, 1], ArrowLeft: [-1, 0], ArrowRight: [1, 0] };

/* ---------- sizes ---------- */

/** Symbol sizes in px (at the zoom that shows the whole area, and the largest) per screen. */
function screenSizes() {
  const width = window.innerWidth || 1024;
  if (width >= 1600) return { base: 34, max: 56 };  // a wall or a projector
  if (width >= 700) return { base: 30, max: 48 };
  return { base: 26, max: 44 };                       // a phone
}

/** The symbol size at ``zoom``: smaller zoomed out (never under 24 px, a tap target), larger zoomed in. */
function sizer(fitZoom) {
  const { base, max } = screenSizes();
  return (zoom) => {
    const steps = Math.round(zoom) - Math.round(fitZoom);
    return Math.max(24, Math.min(max, base + 5 * steps));
  };
}

/* ---------- icons ---------- */

/** A Leaflet icon whose element is built when it is drawn; CSS gives its size. */
const LazyIcon = L.DivIcon.extend({
  options: { html: false, iconSize: null, popupAnchor: [0, -16] },
  createIcon(oldIcon) {
    const div = L.DivIcon.prototype.createIcon.call(this, oldIcon);
    this.options.render(div);
    return div;
  },
});

/** A ring of coloured segments, sized by ``weights`` ([{colour, n}]), as a CSS background. */
export function ringBackground(weights, gap) {
  const total = weights.reduce((sum, w) => sum + w.n, 0);
  if (!total) return FALLBACK_COLOUR;
  if (weights.filter((w) => w.n).length === 1) return weights.find((w) => w.n).colour;
  const stops = [];
  let start = 0;
  for (const w of weights) {
    if (!w.n) continue;
    const end = start + (360 * w.n) / total;
    stops.push(`#fff ${start}deg ${start + gap}deg`, `${w.colour} ${start + gap}deg ${end}deg`);
    start = end;
  }
  return `conic-gradient(from ${-gap / 2}deg, ${stops.join(", ")})`;
}

/** Metres across a Leaflet bounds (its diagonal). */
function spanMetres(bounds) {
  return bounds.getSouthWest().distanceTo(bounds.getNorthEast());
}

export function createMarkerLayer(app, options) {
  const { map, msg, types } = app;
  const fitZoom = map.getZoom();
  const sizeAt = sizer(fitZoom);
  const maxSize = sizeAt(map.getMaxZoom());
  const layerOf = new WeakMap();
  const animate = !window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  // Opening a cluster zooms in; with reduced motion the map jumps instead of gliding.
  if (!animate) map.options.zoomAnimationThreshold = 0;

  function typeWeights(entries) {
    const counts = new Map([...types.keys()].map((k) => [k, 0]));
    for (const entry of entries) {
      for (const key of entry.types) if (counts.has(key)) counts.set(key, counts.get(key) + 1);
    }
    return [...counts].map(([key, n]) => ({ key, n, colour: types.get(key).colour, label: types.get(key).label }));
  }

  function symbolImg(entry, className) {
    const img = h("img", {
      className, src: entry.symbolUrl || options.fallbackSymbol, alt: "",
      draggable: "false", decoding: "async",
    });
    if (options.fallbackSymbol) {
      img.addEventListener("error", () => {
        if (img.getAttribute("src") !== options.fallbackSymbol) img.setAttribute("src", options.fallbackSymbol);
      }, { once: true });
    }
    return img;
  }

  function renderPlace(div, entry, marker) {
    const infos = entry.types.map((key) => types.get(key)).filter(Boolean);
    const ring = h("span", { className: "plek-marker__ring" });
    ring.style.background = ringBackground(infos.map((t) => ({ colour: t.colour, n: 1 })), 3);
    ring.append(symbolImg(entry, "plek-marker__img"));
    div.replaceChildren(ring);
    if (infos.length) {
      const badges = h("span", { className: "plek-marker__badges" });
      infos.forEach((info) => badges.append(options.shapeSvg(info.shape, info.colour, 11, false)));
      div.append(badges);
    }
    div.setAttribute("aria-label", options.label(entry));
    div.dataset.placeId = String(entry.id ?? "");
    div.dataset.types = entry.types.join(",");
    layerOf.set(div, marker);
  }

  function placeIcon(entry, marker) {
    return new LazyIcon({
      className: "plek-marker" + (entry.status === "pending" ? " plek-marker--pending" : ""),
      render: (div) => renderPlace(div, entry, marker),
    });
  }

  function renderCluster(div, cluster) {
    const entries = cluster.getAllChildMarkers().map((m) => m.options.entry);
    const n = entries.length;
    const weights = typeWeights(entries);
    const spot = spanMetres(cluster.getBounds()) <= SAME_SPOT_METRES;
    const count = h("span", { className: "plek-cluster__count", text: String(n) });
    if (spot) {
      // One location, pinned by several people: their symbols side by side.
      const fan = h("span", { className: "plek-cluster__fan", "aria-hidden": "true" });
      entries.slice(0, 3).forEach((entry) => fan.append(symbolImg(entry, "plek-cluster__symbol")));
      div.replaceChildren(fan, count);
      div.setAttribute("aria-label", msg("spotLabel", { n }));
    } else {
      const ring = h("span", { className: "plek-cluster__ring", "aria-hidden": "true" });
      ring.style.background = ringBackground(weights, n > 1 ? 2 : 0);
      div.replaceChildren(ring, count);
      div.setAttribute("aria-label", msg("clusterLabel", { n }));
    }
    const mix = weights.filter((w) => w.n).map((w) => `${w.n} ${w.label.toLowerCase()}`).join(", ");
    div.title = mix ? `${msg("placesCount", { n })}: ${mix}` : msg("placesCount", { n });
    layerOf.set(div, cluster);
  }

  function clusterIcon(cluster) {
    const n = cluster.getChildCount();
    const size = n < 10 ? "s" : n < 100 ? "m" : "l";
    const spot = spanMetres(cluster.getBounds()) <= SAME_SPOT_METRES;
    return new LazyIcon({
      className: `marker-cluster plek-cluster plek-cluster--${size}` + (spot ? " plek-cluster--spot" : ""),
      render: (div) => renderCluster(div, cluster),
    });
  }

  /* Clusters are gathered per whole zoom level and drawn at fractional zooms down to
   * 2^-0.5 of that scale; the radius keeps symbols and clusters apart even then. */
  const group = L.markerClusterGroup({
    maxClusterRadius: (zoom) => Math.round(1.45 * (sizeAt(zoom) + 12)),
    iconCreateFunction: clusterIcon,
    showCoverageOnHover: false,
    spiderfyOnMaxZoom: true,
    spiderfyDistanceMultiplier: Math.max(1, maxSize / 24),
    removeOutsideVisibleBounds: true,
    chunkedLoading: true,
    // Thousands of places are added in chunks, so the page stays responsive; tell when done.
    chunkProgress: (done, total) => { if (done >= total) group.fire("plekken:chunksdone"); },
    animate,
  });

  function applySize() {
    const size = sizeAt(map.getZoom());
    const box = map.getContainer();
    box.style.setProperty("--plek-size", `${size}px`);
    box.classList.toggle("plek-markers-large", size >= 38);
  }
  map.on("zoomend", applySize);
  applySize();

  group.createMarker = function (entry) {
    const marker = L.marker([entry.lat, entry.lon], {
      entry,
      title: entry.name || "",
      keyboard: true,
      riseOnHover: true,
    });
    marker.setIcon(placeIcon(entry, marker));
    return marker;
  };

  setupKeyboard(map, group, layerOf, app);
  return group;
}

/* ---------- keyboard ---------- */

function setupKeyboard(map, group, layerOf, app) {
  const pane = map.getPane("markerPane");
  const container = map.getContainer();
  let current = null;
  let queued = false;
  let pendingFocus = null;   // after a cluster opened by keyboard: where to put the focus
  let byKeyboard = false;

  const centre = (el) => {
    const r = el.getBoundingClientRect();
    return [r.left + r.width / 2, r.top + r.height / 2];
  };
  function inView(el) {
    const box = container.getBoundingClientRect();
    const [x, y] = centre(el);
    return x >= box.left && x <= box.right && y >= box.top && y <= box.bottom;
  }
  const icons = () => [...pane.querySelectorAll(ICON_SELECTOR)].filter(inView);

  function nearest(list, [x, y]) {
    let best = null;
    let bestD = Infinity;
    for (const el of list) {
      const [ex, ey] = centre(el);
      const d = (ex - x) ** 2 + (ey - y) ** 2;
      if (d < bestD) { best = el; bestD = d; }
    }
    return best;
  }

  function containerCentre() {
    const box = container.getBoundingClientRect();
    return [box.left + box.width / 2, box.top + box.height / 2];
  }

  /** Exactly one marker or cluster takes part in the tab order. */
  function refresh() {
    queued = false;
    const list = icons();
    if (!current || !current.isConnected || !list.includes(current)) {
      if (current && current.isConnected && document.activeElement === current) return;
      current = nearest(list, containerCentre());
    }
    pane.querySelectorAll(ICON_SELECTOR).forEach((el) => {
      const index = el === current ? "0" : "-1";
      if (el.getAttribute("tabindex") !== index) el.setAttribute("tabindex", index);
    });
    if (pendingFocus && !group._inZoomAnimation) focusPending(list);
  }
  function queue() {
    if (queued) return;
    queued = true;
    window.requestAnimationFrame(refresh);
  }

  function focus(el) {
    if (!el) return;
    current = el;
    pane.querySelectorAll(ICON_SELECTOR).forEach((other) => other.setAttribute("tabindex", other === el ? "0" : "-1"));
    el.focus({ preventScroll: true });
  }

  function focusPending(list) {
    const target = pendingFocus;
    pendingFocus = null;
    if (target.markers) {
      const first = target.markers.map((m) => m.getElement()).find(Boolean);
      if (first) focus(first);
      return;
    }
    const point = map.latLngToContainerPoint(target.latlng);
    const box = container.getBoundingClientRect();
    focus(nearest(list, [box.left + point.x, box.top + point.y]));
  }

  /** The next icon from ``el`` in direction ``[dx, dy]``: nearest, favouring a straight line. */
  function neighbour(el, [dx, dy]) {
    const [x, y] = centre(el);
    let best = null;
    let bestScore = Infinity;
    for (const other of icons()) {
      if (other === el) continue;
      const [ox, oy] = centre(other);
      const along = (ox - x) * dx + (oy - y) * dy;
      const across = Math.abs((ox - x) * dy - (oy - y) * dx);
      if (along <= 0) continue;
      const score = along + 2 * across;
      if (score < bestScore) { best = other; bestScore = score; }
    }
    return best;
  }

  pane.addEventListener("keydown", (ev) => {
    const el = ev.target.closest && ev.target.closest(ICON_SELECTOR);
    if (!el) return;
    byKeyboard = true;
    const direction = ARROWS[ev.key];
    if (direction) {
      ev.preventDefault();
      ev.stopPropagation();
      const next = neighbour(el, direction);
      if (next) focus(next);
    } else if (ev.key === " " || ev.key === "Spacebar") {
      // Leaflet opens a marker on Enter itself; Space does the same here.
      ev.preventDefault();
      const layer = layerOf.get(el);
      if (layer) layer.fire("click", { originalEvent: ev, latlng: layer.getLatLng() });
    } else if (ev.key === "Escape" && group._spiderfied) {
      const cluster = group._spiderfied;
      group.unspiderfy();
      pendingFocus = { latlng: cluster.getLatLng() };
      queue();
    }
  });
  pane.addEventListener("focusin", (ev) => {
    const el = ev.target.closest && ev.target.closest(ICON_SELECTOR);
    if (el) current = el;
  });
  container.addEventListener("pointerdown", () => { byKeyboard = false; }, true);

  group.on("clusterclick", (e) => {
    if (byKeyboard) pendingFocus = { latlng: e.layer.getLatLng() };
  });
  group.on("spiderfied", (e) => {
    if (byKeyboard) pendingFocus = { markers: e.markers };
    queue();
  });
  group.on("animationend", queue);
  map.on("moveend zoomend", queue);
  new MutationObserver(queue).observe(pane, { childList: true });
  app.focusMarkers = () => focus(current || nearest(icons(), containerCentre()));
}

