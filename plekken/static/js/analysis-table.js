/* plekken — the table of figures per buurt under the analysis panel: places per type,
 * per 1,000 inhabitants, contributors, diversity, and the coverage and distance of the layer
 * shown.
 */

import { h } from "./dom.js";
import { isNumber } from "./analysis-layers.js";

/* Adds the table functions to ``ctx``, the analysis panel's shared state. */
export function installTable(ctx) {
  const { msg, fmtInt, fmtOne, fmtTwo, fmtPct, el, state, scopeParam } = ctx;
  const summaryRequest = { id: 0, controller: null };
  let summaryRecords = null;
  let summaryMeta = {};
  /* Mean distance from residents to the nearest place of ``ctx.distanceType``, per buurt. */
  let distanceByCode = null;

  /* ---------- the table per buurt ---------- */

  async function loadSummary() {
    if (summaryRequest.controller) summaryRequest.controller.abort();
    const id = ++summaryRequest.id;
    const controller = new AbortController();
    summaryRequest.controller = controller;
    ctx.summaryLoaded = true;
    el.summaryStatus.textContent = msg("analysisSummaryLoading");
    let data;
    try {
      data = await ctx.getJson(ctx.apiUrl("summary", { ...scopeParam, level: "buurt" }), controller);
    } catch (err) {
      if (id !== summaryRequest.id) return;
      ctx.summaryLoaded = false;
      el.summaryStatus.replaceChildren();
      const retry = h("button", { type: "button", className: "button button--secondary button--small", text: msg("analysisRetry") });
      retry.addEventListener("click", loadSummary);
      el.summaryStatus.append(h("div", { className: "notice notice--error", role: "alert" }, [h("p", { text: ctx.errorText(err) }), retry]));
      return;
    }
    if (id !== summaryRequest.id) return;
    el.summaryStatus.textContent = "";
    summaryRecords = Array.isArray(data.records) ? data.records : [];
    summaryMeta = data.metadata || {};
    renderSummary();
    loadDistances();
  }

  /* The distance column: where people live to the nearest place of the chosen type, as the
   * CBS Nabijheidsstatistiek reports it for facilities. The table works without it. */
  async function loadDistances() {
    const type = state.type;
    let data;
    try {
      const url = ctx.apiUrl("proximity", { ...scopeParam, level: "buurt", type });
      data = await ctx.getJson(url, new AbortController());
    } catch (err) {
      return;
    }
    if (type !== state.type || !Array.isArray(data.features)) return;
    distanceByCode = new Map(
      data.features
        .filter((f) => f.properties && f.properties.function_type === type)
        .map((f) => [f.properties.code, f.properties.mean_distance_m]),
    );
    ctx.distanceType = type;
    renderSummary();
  }

  function renderSummary() {
    if (!summaryRecords) return;
    const records = summaryRecords.filter((r) => !r.level || r.level === "buurt");
    if (!records.length) {
      el.tableWrap.hidden = true;
      el.summaryNotes.replaceChildren(h("p", { text: msg("analysisSummaryEmpty") }));
      return;
    }
    const types = ctx.typeKeys.filter((t) => records.some((r) => `n_${t}` in r));
    const withCoverage = ctx.coverageByCode && ctx.coverageByCode.size > 0;
    const withDistance = distanceByCode && ctx.distanceType === state.type;
    const headRow = h("tr", {}, [
      h("th", { scope: "col", text: msg("analysisColBuurt") }),
      h("th", { scope: "col", className: "num", text: msg("analysisColPlaces") }),
      ...types.map((t) => h("th", { scope: "col", className: "num", text: ctx.typeLabels.get(t) || t })),
      h("th", { scope: "col", className: "num", text: msg("analysisColPer1000") }),
      h("th", { scope: "col", className: "num", text: msg("analysisColContributors") }),
      h("th", { scope: "col", className: "num", text: msg("analysisColDiversity") }),
      withCoverage ? h("th", { scope: "col", className: "num", text: msg("analysisColCoverage", { distance: fmtInt(state.distance), place: ctx.placeWords(state.type) }) }) : null,
      withDistance ? h("th", { scope: "col", className: "num", text: msg("analysisColDistance", { place: ctx.placeWords(state.type) }) }) : null,
    ]);
    const body = h("tbody");
    let flagged = 0;
    for (const r of records) {
      const small = r.small_sample === true || r.small_sample === 1 || r.small_sample === "true";
      if (small) flagged += 1;
      const nameCell = h("th", { scope: "row" }, [
        h("span", { text: r.name || r.code || "" }),
        small ? h("span", { className: "analysis-flag", text: msg("analysisFewData") }) : null,
      ]);
      const typeCells = types.map((t) => {
        const n = isNumber(r[`n_${t}`]) ? fmtInt(Number(r[`n_${t}`])) : "–";
        const share = r[`share_${t}`];
        return h("td", { className: "num" }, [n, isNumber(share) ? h("span", { className: "analysis-share", text: ` (${fmtPct(Number(share))})` }) : null]);
      });
      const cov = withCoverage ? ctx.coverageByCode.get(r.code) : undefined;
      const dist = withDistance ? distanceByCode.get(r.code) : undefined;
      body.append(h("tr", { className: small ? "is-flagged" : null, "data-code": r.code || null }, [
        nameCell,
        h("td", { className: "num", text: isNumber(r.n_places) ? fmtInt(Number(r.n_places)) : "–" }),
        ...typeCells,
        h("td", { className: "num", text: isNumber(r.places_per_1000_inhabitants) ? fmtOne(Number(r.places_per_1000_inhabitants)) : "–" }),
        h("td", { className: "num", text: isNumber(r.n_contributors) ? fmtInt(Number(r.n_contributors)) : "–" }),
        h("td", { className: "num", text: isNumber(r.diversity) ? fmtTwo(Number(r.diversity)) : "–" }),
        withCoverage ? h("td", { className: "num", text: isNumber(cov) ? fmtPct(Number(cov)) : "–" }) : null,
        withDistance ? h("td", { className: "num", "data-distance": r.code || null, text: isNumber(dist) ? msg("analysisMetres", { n: fmtInt(Number(dist)) }) : "–" }) : null,
      ]));
    }
    const table = h("table", { className: "analysis-table" }, [
      h("caption", { className: "visually-hidden", text: msg("analysisTableCaption") }),
      h("thead", {}, [headRow]),
      body,
    ]);
    el.tableWrap.replaceChildren(table);
    el.tableWrap.hidden = false;
    const notes = [];
    if (flagged) {
      notes.push(h("p", {}, [
        h("span", { className: "analysis-flag", text: msg("analysisFewData") }), " ",
        msg("analysisFewDataNote", { places: summaryMeta.min_places ?? 5, people: summaryMeta.min_contributors ?? 3 }),
      ]));
    }
    notes.push(h("p", { text: msg("analysisSharesNote") }));
    notes.push(h("p", { text: msg("analysisDiversityNote") }));
    if (withDistance) notes.push(h("p", { text: msg("analysisDistanceNote") }));
    el.summaryNotes.replaceChildren(...notes);
  }

  Object.assign(ctx, { loadSummary, loadDistances, renderSummary });
}
