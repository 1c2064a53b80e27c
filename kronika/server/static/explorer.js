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

/* Actor page: choosing a partner reloads the page with its chart (drawn by the server on
   the same real time axis as the actor's timeline). */
function setupActor() {
  const sel = document.getElementById("partner");
  if (!sel) return;
  sel.addEventListener("change", () => sel.form.submit());
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
