/* plekken — "bekijk als lijst": the places in view as a list, for people who find maps hard
 * and for screen readers. It follows the map (the places in view), the type filter, and a
 * chosen sort order (buurt, type, name); choosing a place shows it on the map.
 */
import { h } from "./dom.js";
const PAGE = 100;
const SORTS = ["buurt", "type", "name"];

export function createPlaceList(app, options) {
  const { map, msg, types } = app;
  const collator = new Intl.Collator(app.config.lang === "en" ? "en" : "nl", { sensitivity: "base", numeric: true });
  const buurtNames = new Map((app.config.buurten || []).map((b) => [b.code, b.name]));
  const typeOrder = new Map([...types.keys()].map((key, index) => [key, index]));
  let limit = PAGE;
  let sort = "buurt";
  let queued = false;

  const title = h("h2", { className: "place-list__title", id: "place-list-title", tabindex: "-1", text: msg("listTitle") });
  const status = h("p", { className: "place-list__status", "aria-live": "polite" });
  const select = h("select", { id: "place-list-sort", className: "place-list__sort" },
    SORTS.map((key) => h("option", { value: key, text: msg(`listSort_${key}`) })));
  const close = h("button", { type: "button", className: "place-list__close", text: msg("listClose") });
  const items = h("ol", { className: "place-list__items" });
  const more = h("button", { type: "button", className: "place-list__more button-link" });
  const panel = h("section", { className: "place-list", id: "place-list", "aria-labelledby": "place-list-title" }, [
    h("div", { className: "place-list__head" }, [
      title, close,
      h("p", { className: "place-list__controls" }, [h("label", { for: "place-list-sort", text: msg("listSortLabel") }), select]),
      status,
    ]),
    items, more,
  ]);
  panel.hidden = true;
  map.getContainer().closest(".map-pane").append(panel);

  const toggle = h("button", {
    type: "button", className: "place-list-toggle", "aria-controls": "place-list", "aria-expanded": "false",
    text: msg("listOpen"),
  });
  const Control = L.Control.extend({
    options: { position: "topleft" },
    onAdd() {
      const box = h("div", { className: "leaflet-control place-list-control" }, [toggle]);
      L.DomEvent.disableClickPropagation(box);
      return box;
    },
  });
  new Control().addTo(map);

  function buurtOf(entry) {
    return buurtNames.get(entry.buurt) || entry.buurtName || "";
  }

  const compare = {
    buurt: (a, b) => collator.compare(buurtOf(a), buurtOf(b)) || collator.compare(a.name, b.name),
    type: (a, b) => typeRank(a) - typeRank(b) || collator.compare(a.name, b.name),
    name: (a, b) => collator.compare(a.name, b.name) || collator.compare(buurtOf(a), buurtOf(b)),
  };
  function typeRank(entry) {
    const ranks = entry.types.map((k) => typeOrder.get(k)).filter((r) => r !== undefined);
    return ranks.length ? Math.min(...ranks) : typeOrder.size;
  }

  /** The places in view that the filter shows, in the chosen order. */
  function inView() {
    const bounds = map.getBounds();
    return app.entries
      .filter((entry) => app.isShown(entry) && bounds.contains([entry.lat, entry.lon]))
      .sort(compare[sort]);
  }

  function item(entry) {
    const chips = h("ul", { className: "plek-chips", "aria-label": msg("popupTypes") });
    entry.types.map((key) => types.get(key)).filter(Boolean).forEach((info) => {
      const chip = h("li", { className: "plek-chip" }, [
        options.shapeSvg(info.shape, info.colour, 14, false),
        h("span", { className: "plek-chip__label", text: info.label }),
      ]);
      chip.style.color = info.colour;
      chips.append(chip);
    });
    const button = h("button", { type: "button", className: "place-list__place", "data-place-id": String(entry.id) }, [
      h("img", { className: "place-list__symbol", src: entry.symbolUrl || options.fallbackSymbol, alt: "", width: 40, height: 40, loading: "lazy", decoding: "async" }),
      h("span", { className: "place-list__name", text: entry.name }),
    ]);
    button.addEventListener("click", () => choose(entry));
    return h("li", { className: "place-list__item" }, [
      button,
      entry.quote ? h("p", { className: "place-list__quote", text: `“${entry.quote}”` }) : null,
      chips,
      buurtOf(entry) ? h("p", { className: "place-list__buurt", text: buurtOf(entry) }) : null,
    ]);
  }

  function render() {
    queued = false;
    if (panel.hidden) return;
    const shown = inView();
    const n = shown.length;
    status.textContent = n === 1 ? msg("listCountOne") : msg("listCount", { n });
    items.replaceChildren(...shown.slice(0, limit).map(item));
    const rest = n - Math.min(n, limit);
    more.hidden = rest <= 0;
    more.textContent = msg("listMore", { n: Math.min(rest, PAGE) });
  }
  function queue() {
    if (queued || panel.hidden) return;
    queued = true;
    window.requestAnimationFrame(render);
  }

  function setOpen(open) {
    panel.hidden = !open;
    toggle.setAttribute("aria-expanded", String(open));
    toggle.textContent = open ? msg("listHide") : msg("listOpen");
    document.body.classList.toggle("has-place-list", open);
    if (open) {
      limit = PAGE;
      render();
      title.focus({ preventScroll: true });
    }
  }

  function choose(entry) {
    const narrow = window.matchMedia("(max-width: 640px)").matches;
    if (narrow) setOpen(false);
    app.showPlace(entry);
  }

  toggle.addEventListener("click", () => setOpen(panel.hidden));
  close.addEventListener("click", () => { setOpen(false); toggle.focus(); });
  select.addEventListener("change", () => { sort = select.value; render(); });
  more.addEventListener("click", () => {
    const first = limit;
    limit += PAGE;
    render();
    const next = items.children[first] && items.children[first].querySelector("button");
    if (next) next.focus();
  });
  panel.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape") { setOpen(false); toggle.focus(); }
  });
  map.on("moveend", queue);

  return { refresh: queue, setOpen, panel };
}

