/* plekken — small DOM helpers shared by the map page's modules.
 *
 * Texts are always added as text nodes or attribute values, never parsed as HTML.
 */

export const SVG_NS = "http://www.w3.org/2000/svg";

/* "{n} plekken" with {n: 3} → "3 plekken"; unknown names stay as they are. */
export function format(template, values) {
  return String(template).replace(/\{(\w+)\}/g, (all, name) =>
    values && values[name] !== undefined ? String(values[name]) : all);
}

/* An HTML element with attributes ("className", "text" are special) and children. */
export function h(tag, props, children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "className") node.className = value;
    else if (name === "text") node.textContent = value;
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of [].concat(children || [])) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/* An SVG element with attributes and child elements. */
export function svg(tag, attrs, children) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, String(value));
  for (const child of children || []) node.append(child);
  return node;
}

/* The page settings from <script id="plekken-config" type="application/json">. */
export function readConfig(id = "plekken-config") {
  const el = document.getElementById(id);
  if (!el) return null;
  try {
    return JSON.parse(el.textContent);
  } catch (err) {
    console.error("plekken: the page config is not valid JSON", err);
    return null;
  }
}

export const reducedMotion = () => window.matchMedia("(prefers-reduced-motion: reduce)").matches;

export const isNarrow = () => window.matchMedia("(max-width: 899px)").matches;

export function safeUrl(value) {
  if (typeof value !== "string" || !value) return "";
  try {
    const url = new URL(value, window.location.href);
    if (url.protocol === "http:" || url.protocol === "https:" || url.protocol === "blob:") return value;
    if (url.protocol === "data:" && /^data:image\//i.test(value)) return value;
  } catch (err) {
    return "";
  }
  return "";
}

export function addToken(el, attr, token) {
  const tokens = (el.getAttribute(attr) || "").split(/\s+/).filter(Boolean);
  if (!tokens.includes(token)) tokens.push(token);
  el.setAttribute(attr, tokens.join(" "));
}

export function removeTokens(el, attr, test) {
  const tokens = (el.getAttribute(attr) || "").split(/\s+/).filter((t) => t && !test(t));
  if (tokens.length) el.setAttribute(attr, tokens.join(" "));
  else el.removeAttribute(attr);
}
