/* plekken — "ook voor mij": after adding a place, a resident sees the other public places of
 * the workshop and can say, with one tap, that a place matters to them too (and take it
 * back). The browser keeps a random key for the resident and the token of each endorsement;
 * the contributor key, home buurt and age band go along for the reach analysis.
 */
import { contributorKey } from "./contributor.js";

const RESIDENT_KEY = "plekken:bewoner";
const TOKENS_KEY = "plekken:ook-voor-mij";

function stored(key, fallback) {
  try {
    return JSON.parse(window.localStorage.getItem(key) || "null") || fallback;
  } catch (err) {
    return fallback;
  }
}

function store(key, value) {
  try {
    window.localStorage.setItem(key, JSON.stringify(value));
  } catch (err) {
    /* private mode: endorsing works, withdrawing later does not */
  }
}

function residentKey() {
  let key = stored(RESIDENT_KEY, "");
  if (typeof key !== "string" || key.length < 16) {
    const bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    key = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    store(RESIDENT_KEY, key);
  }
  return key;
}

export function installEndorsements({ config, msg, h, safeUrl, about = () => ({}) }) {
  const section = document.getElementById("flow-others");
  const list = document.getElementById("others-list");
  const url = (id) => `${config.api}/${id}/endorsements`;

  function label(button, on) {
    button.setAttribute("aria-pressed", String(on));
    button.textContent = on ? msg("endorsed") : msg("endorse");
  }

  async function toggle(button, id) {
    const tokens = stored(TOKENS_KEY, {});
    button.disabled = true;
    try {
      if (tokens[id]) {
        const response = await fetch(url(id), { method: "DELETE", headers: { Authorization: `Bearer ${tokens[id]}` }, credentials: "omit" });
        if (response.status === 204 || response.status === 404) {
          delete tokens[id];
          label(button, false);
        }
      } else {
        const response = await fetch(url(id), {
          method: "POST", credentials: "omit",
          headers: { "Content-Type": "application/json", Accept: "application/json" },
          body: JSON.stringify({ resident: residentKey(), contributor_key: contributorKey(), ...about() }),
        });
        const answer = await response.json().catch(() => ({}));
        if (response.status === 201) {
          tokens[id] = answer.owner_token;
          label(button, true);
        }
      }
      store(TOKENS_KEY, tokens);
    } finally {
      button.disabled = false;
    }
  }

  async function show(ownId) {
    list.replaceChildren();
    const response = await fetch(`${config.feedUrl}?since=0`, { headers: { Accept: "application/json" } }).catch(() => null);
    if (!response || !response.ok) return;
    const answer = await response.json();
    const tokens = stored(TOKENS_KEY, {});
    const own = new Set(stored("plekken:mijn-plekken", []).map((e) => e && e.id));
    for (const feature of answer.features || []) {
      if (feature.id === ownId || own.has(feature.id)) continue;
      const p = feature.properties || {};
      const button = h("button", { type: "button", className: "button button--big endorse-button", "data-place-id": feature.id });
      label(button, Boolean(tokens[feature.id]));
      button.addEventListener("click", () => toggle(button, feature.id));
      list.append(h("li", { className: "others-item" }, [
        h("img", { src: safeUrl(p.symbol_url) || config.symbolFallback, alt: "", width: 48, height: 48 }),
        h("div", {}, [h("strong", { text: p.name || "" }), p.quote ? h("p", { text: `“${p.quote}”` }) : null]),
        button,
      ]));
    }
    document.getElementById("others-intro").textContent = msg("endorseIntro");
    section.hidden = list.children.length === 0;
  }

  return { show };
}
