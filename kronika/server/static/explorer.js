/* kronika explorer: small progressive enhancements. Data only ever goes through
   textContent / setAttribute (never innerHTML), so article text cannot inject markup. */
"use strict";

const SVGNS = "http://www.w3.org/2000/svg";

function svg(tag, attrs, parent) {
  const el = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
  if (parent) parent.appendChild(el);
  return el;
}

/* Goldstein badges: green when positive, red when negative. */
function colourGoldstein() {
  document.querySelectorAll(".gold[data-g]").forEach((el) => {
    const g = parseFloat(el.dataset.g);
    if (!Number.isNaN(g)) el.classList.add(g > 0 ? "pos" : g < 0 ? "neg" : "zero");
  });
}

/* Article view: link each coding card with its highlighted evidence and trigger. */
function setupArticle() {
  const cards = Array.from(document.querySelectorAll(".coding[data-i]"));
  if (!cards.length) return;
  const spans = Array.from(document.querySelectorAll(".hl[data-ev]"));
  const spansOf = (i) => spans.filter((s) => s.dataset.ev.split(" ").includes(String(i)));
  function activate(i, scrollText, scrollCard) {
    spans.forEach((s) => s.classList.remove("active"));
    cards.forEach((c) => c.classList.remove("active"));
    const mine = spansOf(i);
    mine.forEach((s) => s.classList.add("active"));
    const card = cards.find((c) => c.dataset.i === String(i));
    if (card) card.classList.add("active");
    if (scrollText && mine.length) mine[0].scrollIntoView({ block: "nearest" });
    if (scrollCard && card) card.scrollIntoView({ block: "nearest" });
  }
  cards.forEach((c) => {
    c.addEventListener("mouseenter", () => activate(c.dataset.i, false, false));
    c.addEventListener("click", () => activate(c.dataset.i, true, false));
  });
  spans.forEach((s) => {
    s.addEventListener("click", () => {
      const ids = s.dataset.ev.split(" ").filter(Boolean);
      if (!ids.length) return;
      const cur = cards.findIndex((c) => c.classList.contains("active"));
      const pos = ids.indexOf(String(cur));
      activate(ids[(pos + 1) % ids.length], false, true);
    });
  });
  const focus = document.querySelector(".coding.focus");
  if (focus) activate(focus.dataset.i, true, true);
}

/* Actor page: Goldstein line against the chosen partner, from /api/stats. */
async function drawDyad(actor, partner) {
  const chart = document.getElementById("dyad-chart");
  const note = document.getElementById("dyad-note");
  if (!chart || !partner) return;
  const url = "/api/stats?" + new URLSearchParams({ actor, partner }).toString();
  let rows = [];
  try {
    const resp = await fetch(url, { headers: { Accept: "application/json" } });
    if (!resp.ok) throw new Error("HTTP " + resp.status);
    rows = (await resp.json()).months || [];
  } catch (err) {
    note.textContent = "Could not load the statistics (" + err.message + ").";
    return;
  }
  while (chart.firstChild) chart.removeChild(chart.firstChild);
  const W = 640, H = 200, L = 34, R = 10, T = 10, B = 34;
  const y = (g) => T + (10 - g) / 20 * (H - T - B);
  svg("rect", { class: "band-pos", x: L, y: y(10), width: W - L - R, height: y(0) - y(10) }, chart);
  svg("rect", { class: "band-neg", x: L, y: y(0), width: W - L - R, height: y(-10) - y(0) }, chart);
  for (const g of [10, 5, 0, -5, -10]) {
    svg("line", { class: g === 0 ? "zero" : "tick", x1: L, x2: W - R, y1: y(g), y2: y(g) }, chart);
    const t = svg("text", { class: "axis", x: L - 4, y: y(g) + 4, "text-anchor": "end" }, chart);
    t.textContent = (g > 0 ? "+" : "") + g;
  }
  const pts = rows.filter((r) => r.mean_goldstein !== null && r.mean_goldstein !== undefined);
  const n = pts.length;
  const x = (i) => (n === 1 ? (L + W - R) / 2 : L + 12 + i * (W - L - R - 24) / (n - 1));
  if (n > 1) {
    svg("polyline", { class: "line", points: pts.map((r, i) => x(i) + "," + y(r.mean_goldstein)).join(" ") }, chart);
  }
  const every = Math.max(1, Math.ceil(n / 10));
  pts.forEach((r, i) => {
    const g = r.mean_goldstein;
    const c = svg("circle", { class: "dot " + (g > 0 ? "pos" : g < 0 ? "neg" : "zero"), cx: x(i), cy: y(g),
                              r: 3 + Math.min(6, Math.sqrt(r.n_events)) }, chart);
    const tip = svg("title", {}, c);
    tip.textContent = r.month + ": " + r.n_events + " events, mean Goldstein " + g +
      " (" + r.n_cooperation + " cooperation, " + r.n_conflict + " conflict)";
    if (i % every === 0) {
      const t = svg("text", { class: "axis", x: x(i), y: H - B + 16, "text-anchor": "middle" }, chart);
      t.textContent = r.month;
    }
  });
  const total = rows.reduce((s, r) => s + r.n_events, 0);
  note.textContent = total + (total === 1 ? " event" : " events") + " with " + partner + " in " + rows.length + " periods; " +
    "dots: mean Goldstein per month (+10 cooperation, −10 conflict), size: number of events.";
  chart.dataset.partner = partner;
  chart.dataset.points = String(n);
}

function setupActor() {
  const sel = document.getElementById("partner");
  if (!sel) return;
  const actor = sel.dataset.actor;
  sel.addEventListener("change", () => {
    drawDyad(actor, sel.value);
    history.replaceState(null, "", "?" + new URLSearchParams({ partner: sel.value }).toString());
  });
  document.querySelectorAll("a.pick[data-partner]").forEach((a) => {
    a.addEventListener("click", (ev) => {
      ev.preventDefault();
      sel.value = a.dataset.partner;
      sel.dispatchEvent(new Event("change"));
      sel.scrollIntoView({ block: "center" });
    });
  });
  if (sel.value) drawDyad(actor, sel.value);
}

document.addEventListener("DOMContentLoaded", () => {
  colourGoldstein();
  setupArticle();
  setupActor();
});

/* Filter forms: leave empty fields out of the URL (shorter links to share). */
document.addEventListener("submit", (ev) => {
  const form = ev.target;
  if (!(form instanceof HTMLFormElement) || form.method.toLowerCase() !== "get") return;
  form.querySelectorAll("input[name], select[name]").forEach((el) => {
    if (el.value === "") el.disabled = true;
  });
  setTimeout(() => form.querySelectorAll("[disabled]").forEach((el) => { el.disabled = false; }), 0);
});
