/* plekken — the add-place form: symbol choice, errors next to their fields and in a summary,
 * and saving without leaving the page.
 */

import { contributorKey } from "./contributor.js";
import { addToken, h, isNarrow, reducedMotion, removeTokens } from "./dom.js";

const SUBMIT_TIMEOUT_MS = 60000;

/* Order of fields in the error summary (the order of the form). */
const FIELD_ORDER = [
  "lon", "lat", "location", "name", "quote", "story", "function_types", "symbol_icon",
  "symbol_image", "access_free_entry", "access_costs", "access_wheelchair",
  "access_opening_hours", "access_notes", "conditions", "home_buurt", "age_band", "contributor_role",
  "contributor_name", "consent",
];
const LOCATION_FIELDS = ["lon", "lat", "location"];
const GROUP_FIELDS = ["function_types", "conditions", "symbol_icon"];

/* Adds the form functions to ``app``. */
export function installForm(app) {
  const { msg, lang, config } = app;

  /* ---------- the form ---------- */

  function setupForm() {
    const form = document.getElementById("place-form");
    if (!form) return;
    const el = (id) => document.getElementById(id);
    const f = {
      form,
      lon: form.elements.namedItem("lon"),
      lat: form.elements.namedItem("lat"),
      buurt: form.elements.namedItem("buurt_pick"),
      status: el("location-status"),
      focusButton: el("draft-focus-button"),
      file: form.elements.namedItem("symbol_image"),
      preview: el("symbol-preview"),
      previewImg: el("symbol-preview-img"),
      previewRemove: el("symbol-preview-remove"),
      summary: el("place-form-errors"),
      statusRegion: el("place-form-status"),
      submitError: el("place-form-submit-error"),
      submit: el("place-form-submit") || form.querySelector('[type="submit"]'),
    };
    app.form = f;
    const canPick = Boolean(app.map && config.canAdd);

    form.classList.add("is-enhanced");
    form.querySelectorAll("[data-enhanced-only]").forEach((node) => { node.hidden = !canPick; });
    form.querySelectorAll("[data-basic-only]").forEach((node) => { node.hidden = canPick; });

    setupSymbolChoice(f);
    setupErrorSummaryLinks(f);
    app.setupDraftStorage(f);
    if (canPick) app.setupPicking(f);
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      submit(f);
    });
  }

  /* Symbol: an icon or an own picture, not both. */
  function setupSymbolChoice(f) {
    let previewUrl = null;
    const hidePreview = () => {
      if (previewUrl) URL.revokeObjectURL(previewUrl);
      previewUrl = null;
      if (f.previewImg) f.previewImg.removeAttribute("src");
      if (f.preview) f.preview.hidden = true;
    };
    f.clearPreview = hidePreview;
    if (!f.file) return;
    f.file.addEventListener("change", () => {
      const file = f.file.files && f.file.files[0];
      if (!file) {
        hidePreview();
        return;
      }
      f.form.querySelectorAll('input[name="symbol_icon"]').forEach((r) => { r.checked = false; });
      if (f.preview && f.previewImg && /^image\//.test(file.type)) {
        if (previewUrl) URL.revokeObjectURL(previewUrl);
        previewUrl = URL.createObjectURL(file);
        f.previewImg.src = previewUrl;
        f.preview.hidden = false;
      }
    });
    f.form.querySelectorAll('input[name="symbol_icon"]').forEach((radio) => {
      radio.addEventListener("change", () => {
        if (radio.checked && f.file.value) {
          f.file.value = "";
          hidePreview();
        }
      });
    });
    if (f.previewRemove) {
      f.previewRemove.addEventListener("click", () => {
        f.file.value = "";
        hidePreview();
        f.file.focus();
      });
    }
  }

  /* ---------- errors ---------- */

  /* "Fout: " before the page title while the form shows errors (GOV.UK error summary). */
  function markTitle(hasErrors) {
    const prefix = msg("errorPrefix") + " ";
    const bare = document.title.startsWith(prefix) ? document.title.slice(prefix.length) : document.title;
    document.title = hasErrors ? prefix + bare : bare;
  }

  function clearErrors(f) {
    const form = f.form;
    markTitle(false);
    form.querySelectorAll(".field-error").forEach((p) => {
      p.textContent = "";
      p.hidden = true;
    });
    form.querySelectorAll("[aria-invalid]").forEach((node) => node.removeAttribute("aria-invalid"));
    form.querySelectorAll("[aria-describedby]").forEach((node) =>
      removeTokens(node, "aria-describedby", (t) => t.startsWith("error-")));
    form.querySelectorAll(".form-group--error").forEach((g) => g.classList.remove("form-group--error"));
    if (f.summary) {
      f.summary.hidden = true;
      const list = f.summary.querySelector("ul");
      if (list) list.textContent = "";
    }
    if (f.submitError) f.submitError.textContent = "";
  }

  function anchorFor(name) {
    return LOCATION_FIELDS.includes(name) ? "field-location" : `field-${name}`;
  }

  /* Show one server message next to its field; false when the form has no place for it. */
  function showFieldError(f, name, message, shownLocation) {
    const form = f.form;
    const box = form.querySelector(`#error-${CSS.escape(name)}`);
    if (!box) return false;
    if (LOCATION_FIELDS.includes(name)) {
      if (shownLocation.has(message)) return true;
      shownLocation.add(message);
    }
    box.replaceChildren(h("span", { className: "visually-hidden", text: msg("errorPrefix") + " " }), message);
    box.hidden = false;
    const group = box.closest(".form-group");
    if (group) group.classList.add("form-group--error");
    if (LOCATION_FIELDS.includes(name)) {
      const fieldset = form.querySelector("#field-location");
      if (fieldset) addToken(fieldset, "aria-describedby", box.id);
      if (f.buurt) addToken(f.buurt, "aria-describedby", box.id);
    } else if (GROUP_FIELDS.includes(name)) {
      const fieldset = form.querySelector(`#field-${CSS.escape(name)}`);
      if (fieldset) addToken(fieldset, "aria-describedby", box.id);
    } else {
      const control = form.querySelector(`#field-${CSS.escape(name)}`);
      if (control) {
        control.setAttribute("aria-invalid", "true");
        addToken(control, "aria-describedby", box.id);
      }
    }
    const details = box.closest("details");
    if (details) details.open = true;
    return true;
  }

  function messageText(value) {
    if (Array.isArray(value)) return value.map(String).join(" ");
    if (value && typeof value === "object") return Object.values(value).map(String).join(" ");
    return String(value);
  }

  function showErrors(f, errors) {
    clearErrors(f);
    const names = Object.keys(errors);
    const ordered = FIELD_ORDER.filter((n) => names.includes(n)).concat(names.filter((n) => !FIELD_ORDER.includes(n)));
    const items = [];
    const seen = new Set();
    const shownLocation = new Set();
    for (const name of ordered) {
      const message = messageText(errors[name]);
      if (!message) continue;
      const placed = showFieldError(f, name, message, shownLocation);
      const href = placed ? anchorFor(name) : "";
      const key = href + "\u0000" + message;
      if (seen.has(key)) continue;
      seen.add(key);
      items.push(h("li", {}, [placed ? h("a", { href: "#" + href, text: message }) : message]));
    }
    if (!f.summary) return;
    const list = f.summary.querySelector("ul");
    if (list) list.replaceChildren(...items);
    f.summary.hidden = false;
    markTitle(true);
    f.summary.focus({ preventScroll: true });
    f.summary.scrollIntoView({ behavior: reducedMotion() ? "auto" : "smooth", block: "start" });
  }

  function setupErrorSummaryLinks(f) {
    if (!f.summary) return;
    f.summary.addEventListener("click", (ev) => {
      const link = ev.target.closest("a[href^='#']");
      if (!link) return;
      const target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
      if (!target) return;
      ev.preventDefault();
      const details = target.closest("details");
      if (details) details.open = true;
      const control = target.matches("input, select, textarea")
        ? target
        : target.querySelector("input:not([type=hidden]):not([disabled]), select, textarea");
      (target.closest(".form-group") || target).scrollIntoView({ block: "start" });
      if (control) control.focus({ preventScroll: true });
    });
  }

  /* ---------- saving ---------- */

  function showSubmitError(f, text) {
    if (!f.submitError) return;
    f.submitError.replaceChildren(h("div", { className: "notice notice--error" }, [h("p", { text })]));
  }

  function showSuccess(f, text) {
    if (!f.statusRegion) return;
    const note = h("div", { className: "notice notice--success", tabindex: "-1" }, [h("p", {}, [h("strong", { text })])]);
    f.statusRegion.replaceChildren(note);
    note.focus({ preventScroll: true });
    note.scrollIntoView({ behavior: reducedMotion() ? "auto" : "smooth", block: isNarrow() ? "end" : "nearest" });
  }

  function setBusy(f, busy) {
    const button = f.submit;
    if (!button) return;
    if (busy) {
      button.dataset.label = button.textContent;
      button.textContent = msg("submitBusy");
      button.setAttribute("aria-disabled", "true");
    } else {
      if (button.dataset.label) button.textContent = button.dataset.label;
      button.removeAttribute("aria-disabled");
    }
  }

  /* The same content sent again (after a lost answer) carries the same Idempotency-Key,
     so the server stores it once; changed content gets a new key. */
  function keyFor(f, data) {
    const content = JSON.stringify([...data.entries()].map(([k, v]) => [k, typeof v === "string" ? v : [v.name, v.size, v.lastModified]]));
    if (!f.requestKey || f.requestContent !== content) {
      const bytes = new Uint8Array(16);
      window.crypto.getRandomValues(bytes);
      f.requestKey = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
      f.requestContent = content;
    }
    return f.requestKey;
  }

  async function submit(f) {
    if (f.busy || app.mustConfirm()) return;
    f.busy = true;
    if (f.submitError) f.submitError.textContent = "";
    if (f.statusRegion) f.statusRegion.textContent = "";
    const data = new FormData(f.form);
    if (f.file && !(f.file.files && f.file.files.length)) data.delete("symbol_image");
    data.delete("idempotency_key");
    data.set("contributor_key", contributorKey());
    const requestKey = keyFor(f, data);
    setBusy(f, true);
    const controller = typeof AbortController === "function" ? new AbortController() : null;
    const timer = controller ? window.setTimeout(() => controller.abort(), SUBMIT_TIMEOUT_MS) : null;
    let response = null;
    let body = null;
    try {
      response = await fetch((config.api && config.api.places) || f.form.action, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: {
          Accept: "application/json",
          "Accept-Language": lang,
          "Idempotency-Key": requestKey,
          ...csrfHeader(),
        },
        signal: controller ? controller.signal : undefined,
      });
      try {
        body = await response.json();
      } catch (err) {
        body = null;
      }
    } catch (err) {
      response = null;
    } finally {
      if (timer) window.clearTimeout(timer);
      setBusy(f, false);
      f.busy = false;
    }

    if (response && response.ok) {
      onSaved(f, body);
    } else if (response && response.status === 413) {
      showErrors(f, { symbol_image: msg("fileTooLarge") });
    } else if (response && response.status < 500 && body && body.errors && typeof body.errors === "object") {
      showErrors(f, body.errors);
    } else {
      showSubmitError(f, msg("networkError"));
    }
  }

  function onSaved(f, feature) {
    f.requestKey = null;
    const isFeature = feature && feature.type === "Feature" && app.validFeature(feature);
    const pending = isFeature && feature.properties.status === "pending";
    app.clearForm(f);
    if (app.clearStoredDraft) app.clearStoredDraft();
    if (isFeature && app.map) {
      const marker = app.addPlace(feature, { isNew: true });
      app.updatePlaceCount();
      if (marker) {
        window.setTimeout(() => app.showMarker(marker), 50);
      }
    }
    showSuccess(f, pending ? msg("successPending") : msg("successPublished"));
    document.dispatchEvent(new CustomEvent("plekken:place-added", { detail: isFeature ? feature : null }));
  }

  Object.assign(app, { setupForm, clearErrors, showErrors });
}

/* A logged-in professional's session needs the page's CSRF token; residents send none. */
function csrfHeader() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta && meta.content ? { "X-CSRFToken": meta.content } : {};
}
