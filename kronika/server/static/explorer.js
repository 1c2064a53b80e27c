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

/* Map: zoom (wheel, double click, buttons) and pan (drag) by changing the viewBox; the group
   of circles clustered for the current zoom level is the one shown (kronika/server/mapview.py). */
function setupMap() {
  const map = document.getElementById("map");
  if (!map) return;
  const W = Number(map.dataset.width), H = Number(map.dataset.height);
  const home = map.dataset.home.split(/\s+/).map(Number);
  const levels = Array.from(map.querySelectorAll("g.zl")).map((g) => ({ z: Number(g.dataset.z), g }));
  const maxZ = Math.max(64, ...levels.map((l) => l.z * 2));
  let vb = home.slice();
  const clamp = (v, lo, hi) => Math.min(Math.max(v, lo), hi);
  function apply() {
    vb[2] = clamp(vb[2], W / maxZ, W);
    vb[3] = vb[2] * H / W;
    vb[0] = clamp(vb[0], 0, W - vb[2]);
    vb[1] = clamp(vb[1], 0, H - vb[3]);
    map.setAttribute("viewBox", vb.map((v) => v.toFixed(3)).join(" "));
    const z = W / vb[2];
    let shown = levels.length ? levels[0] : null;
    for (const l of levels) if (l.z <= z + 1e-9) shown = l;
    levels.forEach((l) => l.g.setAttribute("display", l === shown ? "inline" : "none"));
    if (shown) {  // circles and labels keep their size on screen between two levels
      shown.g.querySelectorAll("a.pt").forEach((a) => {
        const c = a.querySelector("circle");
        const cx = Number(c.getAttribute("cx")), cy = Number(c.getAttribute("cy"));
        const r = Number(c.dataset.r) / z;
        c.setAttribute("r", r.toFixed(4));
        a.querySelectorAll("text[data-fs]").forEach((t) => {
          const fs = Number(t.dataset.fs) / z;
          t.setAttribute("font-size", fs.toFixed(4));
          const side = t.dataset.side;
          if (side === "centre") { t.setAttribute("dy", (fs * 0.35).toFixed(4)); return; }
          t.setAttribute("stroke-width", (3 / z).toFixed(4));
          const at = { right: [cx + r + 3 / z, cy + 4 / z], left: [cx - r - 3 / z, cy + 4 / z],
                       above: [cx, cy - r - 5 / z], below: [cx, cy + r + 13 / z] }[side];
          if (at) { t.setAttribute("x", at[0].toFixed(3)); t.setAttribute("y", at[1].toFixed(3)); }
        });
      });
    }
    map.dataset.zoom = z.toFixed(3);
    if (shown) map.dataset.level = String(shown.z);
    if (z > 1.5) map.setAttribute("data-zoomed", ""); else map.removeAttribute("data-zoomed");
  }
  function zoomAt(f, cx, cy) {
    const w = clamp(vb[2] / f, W / maxZ, W);
    const k = w / vb[2];
    vb = [cx - (cx - vb[0]) * k, cy - (cy - vb[1]) * k, w, w * H / W];
    apply();
  }
  function toUser(ev) {
    const r = map.getBoundingClientRect();
    return [vb[0] + (ev.clientX - r.left) / r.width * vb[2], vb[1] + (ev.clientY - r.top) / r.height * vb[3]];
  }
  const centre = () => [vb[0] + vb[2] / 2, vb[1] + vb[3] / 2];
  map.addEventListener("wheel", (ev) => {
    ev.preventDefault();
    const [x, y] = toUser(ev);
    zoomAt(ev.deltaY < 0 ? 1.5 : 1 / 1.5, x, y);
  }, { passive: false });
  map.addEventListener("dblclick", (ev) => { ev.preventDefault(); const [x, y] = toUser(ev); zoomAt(2, x, y); });
  let drag = null, moved = false;
  map.addEventListener("pointerdown", (ev) => {
    if (ev.button !== 0) return;
    drag = { x: ev.clientX, y: ev.clientY, vb: vb.slice() };
    moved = false;
  });
  window.addEventListener("pointermove", (ev) => {
    if (!drag) return;
    const r = map.getBoundingClientRect();
    const dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
    if (!moved && Math.abs(dx) + Math.abs(dy) < 4) return;
    moved = true;
    map.classList.add("dragging");
    vb[0] = drag.vb[0] - dx / r.width * vb[2];
    vb[1] = drag.vb[1] - dy / r.height * vb[3];
    apply();
  });
  window.addEventListener("pointerup", () => { drag = null; map.classList.remove("dragging"); });
  map.addEventListener("click", (ev) => { if (moved) { ev.preventDefault(); ev.stopPropagation(); moved = false; } }, true);
  const btn = (id, fn) => { const b = document.getElementById(id); if (b) b.addEventListener("click", fn); };
  btn("zoom-in", () => zoomAt(2, ...centre()));
  btn("zoom-out", () => zoomAt(0.5, ...centre()));
  btn("zoom-home", () => { vb = home.slice(); apply(); });
  apply();
}

document.addEventListener("DOMContentLoaded", () => {
  colourGoldstein();
  setupArticle();
  setupActor();
  setupMap();
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
