/* plekken — small DOM helpers shared by plekken.js and analysis.js.
 *
 * Texts are always added as text nodes or attribute values, never parsed as HTML.
 */
(function () {
  "use strict";

  const SVG_NS = "http://www.w3.org/2000/svg";

  /* "{n} plekken" with {n: 3} → "3 plekken"; unknown names stay as they are. */
  function format(template, values) {
    return String(template).replace(/\{(\w+)\}/g, (all, name) =>
      values && values[name] !== undefined ? String(values[name]) : all);
  }

  /* An HTML element with attributes ("className", "text" are special) and children. */
  function h(tag, props, children) {
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
  function svg(tag, attrs, children) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, String(value));
    for (const child of children || []) node.append(child);
    return node;
  }

  /* The page settings from <script id="plekken-config" type="application/json">. */
  function readConfig() {
    const el = document.getElementById("plekken-config");
    if (!el) return null;
    try {
      return JSON.parse(el.textContent);
    } catch (err) {
      console.error("plekken: the page config is not valid JSON", err);
      return null;
    }
  }

  window.plekkenDom = Object.freeze({ SVG_NS, format, h, svg, readConfig });
})();
