// Quire's search page (served by `quire serve --http`; docs/HTTP.md).
// Everything a document says reaches the page as text nodes: no HTML from
// an index is ever parsed. The URL holds the state (q, sort, since, until,
// source, month, offset), so a link shares a search.
"use strict";

const $ = (id) => document.getElementById(id);
const PAGE = 10;
const state = { q: "", sort: "relevance", since: "", until: "", source: "", month: "", offset: 0 };
let token = sessionStorage.getItem("quire-token") || "";
let timer = 0;
let asked = 0; // the newest request: older answers are dropped

// Highlights are byte ranges of UTF-8 text: cut the text at those bytes.
const enc = new TextEncoder();
const dec = new TextDecoder();
function marked(parent, text, ranges, cls) {
  const bytes = enc.encode(text || "");
  let at = 0;
  for (const [a, b] of ranges || []) {
    if (a < at || b > bytes.length || b <= a) continue;
    parent.append(dec.decode(bytes.subarray(at, a)));
    const m = document.createElement(cls ? "span" : "mark");
    if (cls) m.className = cls;
    m.textContent = dec.decode(bytes.subarray(a, b));
    parent.append(m);
    at = b;
  }
  parent.append(dec.decode(bytes.subarray(at)));
}

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function readUrl() {
  const p = new URLSearchParams(location.search);
  for (const k of Object.keys(state)) if (p.has(k)) state[k] = k === "offset" ? +p.get(k) || 0 : p.get(k);
  $("q").value = state.q;
  $("sort").value = state.sort === "date" ? "date" : "relevance";
  $("since").value = state.since;
  $("until").value = state.until;
}

function writeUrl() {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(state)) if (v && !(k === "sort" && v === "relevance")) p.set(k, v);
  history.replaceState(null, "", p.toString() ? "?" + p : location.pathname);
}

async function api(path, params) {
  const headers = token ? { Authorization: "Bearer " + token } : {};
  const r = await fetch(path + "?" + new URLSearchParams(params), { headers });
  if (r.status === 401) {
    $("tokenform").hidden = false;
    throw new Error("this server wants a token");
  }
  const body = await r.json();
  if (!r.ok) throw new Error(body.error || "HTTP " + r.status);
  return body;
}

async function search() {
  writeUrl();
  const mine = ++asked;
  if (!state.q.trim()) {
    $("hits").replaceChildren();
    $("status").textContent = "";
    $("f-source").replaceChildren();
    $("f-month").replaceChildren();
    $("prev").hidden = $("next").hidden = $("dym").hidden = true;
    return;
  }
  const p = { q: state.q, n: PAGE, offset: state.offset, sort: state.sort };
  let since = state.since, until = state.until;
  if (state.month) since = until = state.month;
  if (since) p.since = since;
  if (until) p.until = until;
  if (state.source) p.source = state.source;
  try {
    const res = await api("/api/search", p);
    if (mine === asked) show(res);
  } catch (e) {
    if (mine === asked) $("status").textContent = e.message;
  }
}

function show(res) {
  const n = res.total;
  $("status").textContent = res.abstained ? "No passage holds half of the query." :
    n ? `${n}${res.total_exact ? "" : "+"} passage${n === 1 ? "" : "s"}` : "No passages found.";
  if (res.warning) $("status").textContent += " (" + res.warning + ")";
  $("dym").hidden = !res.did_you_mean;
  if (res.did_you_mean) {
    $("dym-lead").textContent = res.corrected ? "Nothing matches what you typed; showing results for" : "Did you mean";
    $("dym-tail").textContent = res.corrected ? "." : "?";
    $("dym-link").textContent = res.did_you_mean;
    $("dym-link").dataset.q = res.did_you_mean;
  }
  $("hits").replaceChildren(...res.hits.map(hitItem));
  facet("f-source", res.facets && res.facets.source, "source");
  facet("f-month", res.facets && res.facets.month, "month");
  $("prev").hidden = state.offset === 0;
  $("next").hidden = state.offset + PAGE >= n;
}

function hitItem(h) {
  const li = el("li", "hit");
  li.tabIndex = 0;
  const t = el("h3");
  marked(t, h.title || h.path, h.title ? h.title_highlights : []);
  const meta = el("div", "meta");
  if (h.date) meta.append(el("span", "date", h.date));
  if (h.source) meta.append(el("span", "source", h.source));
  const cite = el("button", "cite", h.show);
  cite.type = "button";
  cite.addEventListener("click", () => context(h));
  meta.append(cite);
  const s = el("p", "snippet");
  marked(s, h.snippet, h.highlights);
  li.append(t, meta, s);
  li.addEventListener("keydown", (e) => { if (e.key === "Enter") context(h); });
  return li;
}

function facet(id, items, key) {
  const ul = $(id);
  ul.replaceChildren();
  for (const f of items || []) {
    const b = el("button");
    b.type = "button";
    b.setAttribute("aria-pressed", String(state[key] === f.value));
    b.append(el("span", "v", f.value), el("span", "n", String(f.count)));
    b.addEventListener("click", () => {
      state[key] = state[key] === f.value ? "" : f.value;
      state.offset = 0;
      search();
    });
    const li = el("li");
    li.append(b);
    ul.append(li);
  }
  if (state[key] && !(items || []).some((f) => f.value === state[key])) { // filtered to nothing
    const b = el("button");
    b.type = "button";
    b.setAttribute("aria-pressed", "true");
    b.append(el("span", "v", state[key]), el("span", "n", "0"));
    b.addEventListener("click", () => { state[key] = ""; search(); });
    const li = el("li");
    li.append(b);
    ul.append(li);
  }
}

async function context(h) {
  try {
    const r = await api("/api/show", { cite: h.show, context: 3, q: state.q });
    $("ctx-title").textContent = r.title || r.path;
    $("ctx-cite").textContent = r.cite + (r.changed ? " (the file changed since it was indexed)" : "");
    const pre = $("ctx-text");
    pre.replaceChildren();
    const ranges = (r.marks || []).slice();
    const text = r.text || "";
    if (r.passage) { // the passage shaded, its marks inside it
      const bytes = enc.encode(text);
      const [a, b] = r.passage;
      marked(pre, dec.decode(bytes.subarray(0, a)), ranges.filter(([x, y]) => y <= a));
      const span = el("span", "passage");
      marked(span, dec.decode(bytes.subarray(a, b)),
        ranges.filter(([x, y]) => x >= a && y <= b).map(([x, y]) => [x - a, y - a]));
      pre.append(span);
      marked(pre, dec.decode(bytes.subarray(b)),
        ranges.filter(([x]) => x >= b).map(([x, y]) => [x - b, y - b]));
    } else {
      marked(pre, text, ranges);
    }
    $("ctx").showModal();
  } catch (e) {
    $("status").textContent = e.message;
  }
}

function hits() { return Array.from(document.querySelectorAll(".hit")); }

document.addEventListener("keydown", (e) => {
  const typing = ["INPUT", "SELECT", "TEXTAREA"].includes(document.activeElement.tagName);
  if (e.key === "/" && !typing && !$("ctx").open) {
    e.preventDefault();
    $("q").focus();
    $("q").select();
  } else if ((e.key === "ArrowDown" || e.key === "ArrowUp") && !$("ctx").open) {
    const list = hits();
    if (!list.length || (typing && e.key === "ArrowUp")) return;
    e.preventDefault();
    const i = list.indexOf(document.activeElement);
    const j = e.key === "ArrowDown" ? Math.min(i + 1, list.length - 1) : Math.max(i - 1, 0);
    list[i < 0 ? 0 : j].focus();
  }
});

$("q").addEventListener("input", () => {
  clearTimeout(timer);
  timer = setTimeout(() => { state.q = $("q").value; state.offset = 0; search(); }, 200);
});
$("form").addEventListener("submit", (e) => {
  e.preventDefault();
  clearTimeout(timer);
  state.q = $("q").value;
  state.offset = 0;
  search();
});
for (const k of ["sort", "since", "until"])
  $(k).addEventListener("change", () => { state[k] = $(k).value; state.offset = 0; search(); });
$("prev").addEventListener("click", () => { state.offset = Math.max(0, state.offset - PAGE); search(); });
$("next").addEventListener("click", () => { state.offset += PAGE; search(); });
$("dym-link").addEventListener("click", (e) => {
  e.preventDefault();
  state.q = $("q").value = e.target.dataset.q;
  state.offset = 0;
  search();
});
$("ctx-close").addEventListener("click", () => $("ctx").close());
$("tokenform").addEventListener("submit", (e) => {
  e.preventDefault();
  token = $("token").value;
  sessionStorage.setItem("quire-token", token);
  $("tokenform").hidden = true;
  search();
});

readUrl();
search();
