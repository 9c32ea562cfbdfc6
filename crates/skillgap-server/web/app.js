"use strict";
// The skillgap page: two occupation pickers, a domain switch, and the gap drawn from the same API
// everyone else uses. No framework, no network beyond this server.

const $ = (id) => document.getElementById(id);
const CODE = /^\d{2}-\d{4}\.\d{2}$/;
const state = { from: null, to: null, domain: "skills", key: sessionStorage.getItem("skillgap-key") || "" };

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") e.className = v;
    // Through the CSSOM: the page's Content-Security-Policy forbids inline style attributes.
    else if (k === "style") Object.assign(e.style, v);
    else if (k === "text") e.textContent = v;
    else if (k.startsWith("data-")) e.setAttribute(k, v);
    else if (k in e && typeof v !== "string") e[k] = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

// A BLS wage: "$171,200", "≥ $239,200" when top-coded, "–" when not published.
const money = (w) => (w ? `${w.at_or_above ? "≥ " : ""}$${Math.round(w.annual).toLocaleString("en-US")}` : "–");
const count = (n) => (n === null || n === undefined ? "–" : Math.round(n).toLocaleString("en-US"));

const fmt = (x, dp = 2) => (x === null || x === undefined ? "–" : Number(x).toFixed(dp));

async function api(path, body) {
  const headers = { Accept: "application/json" };
  if (state.key) headers["X-API-Key"] = state.key;
  const init = { headers };
  if (body !== undefined) {
    init.method = "POST";
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let r;
  try {
    r = await fetch(path, init);
  } catch (e) {
    const err = new Error("Cannot reach the skillgap server. Check your connection and try again.");
    err.status = 0;
    throw err;
  }
  const answer = await r.json().catch(() => null);
  if (!r.ok) {
    if (r.status === 401) $("key-box").hidden = false;
    const err = new Error((answer && answer.detail) || `The server answered HTTP ${r.status}.`);
    err.status = r.status;
    err.problem = answer || {};
    throw err;
  }
  return answer;
}

// --- occupation pickers (ARIA combobox with a listbox) ---------------------------------------
function picker(side) {
  const input = $(`${side}-input`), list = $(`${side}-list`), chosen = $(`${side}-chosen`);
  let items = [], active = -1, timer = 0, seq = 0, blurTimer = 0;

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }
  function render() {
    list.replaceChildren(...items.map((it, i) => el("li", {
      id: `${side}-opt-${i}`, role: "option", "aria-selected": String(i === active), "data-index": String(i), "data-code": it.code,
    }, el("span", { class: "code", text: it.code }), it.title,
      it.has_ratings ? null : el("span", { class: "unrated", text: "no O*NET ratings" }),
      it.matched_title ? el("span", { class: "also", text: `as “${it.matched_title}”` }) : null,
      typeof it.confidence === "number" && it.match === "title_coder"
        ? el("span", { class: "conf", text: `${Math.round(it.confidence * 100)}%` }) : null)));
    if (!items.length) list.append(el("li", { role: "option", "aria-disabled": "true", text: "No occupation matches." }));
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    if (active >= 0) {
      input.setAttribute("aria-activedescendant", `${side}-opt-${active}`);
      $(`${side}-opt-${active}`).scrollIntoView({ block: "nearest" });
    } else input.removeAttribute("aria-activedescendant");
  }
  async function search(q) {
    const mine = ++seq;
    try {
      const res = await api(`/occupations?q=${encodeURIComponent(q)}&limit=8`);
      if (mine !== seq) return;
      items = res.results;
      active = items.length ? 0 : -1;
      render();
    } catch (e) {
      if (mine === seq) { items = []; close(); }
    }
  }
  // Why an occupation was chosen: the name it matched and the confidence.
  function why(occ) {
    const m = occ.matched;
    if (!m || m.field === "code") return "";
    const what = {
      title: "the O*NET title", alternate_title: "the alternate title", reported_title: "the reported title",
      short_title: "the short title", labelled_title: "your organisation's title", tasks: "its tasks",
    }[m.field] || m.field;
    const source = m.source ? ` from ${m.source}` : "";
    return ` · matched ${what} “${m.title}”${source} · confidence ${Math.round(occ.confidence * 100)}%`;
  }
  function set(occ, typed) {
    state[side] = occ;
    input.value = occ.title || occ.code;
    const from = typed ? `“${typed}” → ` : "";
    chosen.textContent = `${from}${occ.code} ${occ.title || ""}${why(occ)}${occ.has_ratings === false ? " · no O*NET ratings in this store" : ""}`;
    close();
  }
  // Free text left in the box: the coder's first answer when it is confident, else the choices.
  async function resolve() {
    const q = input.value.trim();
    if (state[side] || !q) return Boolean(state[side]);
    const res = await api(`/occupations?q=${encodeURIComponent(q)}&limit=5`);
    if (!res.results.length) {
      const near = res.nearest.map((n) => n.title).join(", ");
      chosen.textContent = `No occupation matches “${q}”.${near ? ` Nearest titles: ${near}.` : ""}`;
      return false;
    }
    const best = res.results[0];
    if (best.confidence >= LOW_CONFIDENCE) { set(best, q); return true; }
    items = res.results;
    active = 0;
    // Compare was clicked, so the box's blur has a close pending: without this the choices
    // flash and vanish whenever the answer comes back first. Focus returns to the box so the
    // arrow keys, Enter and Escape work on the choices.
    clearTimeout(blurTimer);
    render();
    input.focus();
    chosen.textContent = `Not sure which occupation “${q}” is (best guess ${Math.round(best.confidence * 100)}%): choose one.`;
    return false;
  }
  input.addEventListener("input", () => {
    state[side] = null;
    chosen.textContent = "";
    clearTimeout(timer);
    const q = input.value.trim();
    if (q.length < 2) { close(); return; }
    timer = setTimeout(() => search(q), 150);
  });
  input.addEventListener("keydown", (e) => {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (list.hidden && input.value.trim().length >= 2) { search(input.value.trim()); return; }
      if (!items.length) return;
      e.preventDefault();
      active = (active + (e.key === "ArrowDown" ? 1 : items.length - 1)) % items.length;
      render();
    } else if (e.key === "Enter" && !list.hidden && active >= 0) {
      e.preventDefault();
      set(items[active]);
    } else if (e.key === "Escape") {
      close();
    }
  });
  input.addEventListener("blur", () => { blurTimer = setTimeout(close, 150); });
  list.addEventListener("mousedown", (e) => {
    const li = e.target.closest("li[data-index]");
    if (li) { e.preventDefault(); set(items[Number(li.dataset.index)]); }
  });
  return { set, input, resolve };
}

// Below this confidence the page offers the choices instead of picking the first.
const LOW_CONFIDENCE = 0.5;

const pickers = { from: picker("from"), to: picker("to") };

// --- status messages -------------------------------------------------------------------------
function status(kind, title, ...lines) {
  const s = $("status");
  s.className = `status ${kind}`;
  s.replaceChildren(...(title ? [el("h2", { text: title })] : []), ...lines.map((l) => (typeof l === "string" ? el("p", { text: l }) : l)));
}

const SOURCES = { "onet-api": "O*NET Web Services (fetched on demand when the server is configured for it)", llm: "LLM estimates (skillgap enrich, then compare with source=best)" };

function problem(e) {
  $("result").hidden = true;
  if (e.status === 404) status("error", "Unknown occupation", e.message);
  else if (e.status === 409) {
    const fill = (e.problem.fillable_by || []).map((f) => SOURCES[f] || f);
    status("conflict", "No ratings to compare", e.message, ...(fill.length ? [el("p", { text: "Could be filled by:" }), el("ul", {}, ...fill.map((f) => el("li", { text: f })))] : []));
  } else if (e.status === 400) status("error", "Cannot compare these", e.message);
  else if (e.status === 401) status("error", "API key needed", "Enter a key this server accepts above.");
  else if (e.status === 0) status("error", "Server unreachable", e.message);
  else status("error", "The server had a problem", e.message, "Try again in a moment.");
}

// --- the comparison --------------------------------------------------------------------------
function effective(row) {
  return row && row.level !== null ? (row.not_relevant ? 0 : row.level) : null;
}

function chartRow(d, fromRow, shortage) {
  const from = effective(fromRow) ?? 0, to = effective(d);
  const gap = shortage ? shortage.gap : Math.max(0, Math.round((to - from) * 100) / 100);
  const pct = (x) => `${(Math.max(0, Math.min(7, x)) / 7) * 100}%`;
  const bars = el("div", { class: "bars", "aria-hidden": "true" },
    el("span", { class: "bar from", style: { width: pct(from) } }),
    el("span", { class: "bar to", style: { width: pct(to) } }));
  if (shortage) {
    const strength = 0.15 + 0.6 * Math.min(shortage.gap / 3, 1);
    bars.append(el("span", {
      class: `bar short${shortage.significant ? " significant" : ""}`,
      style: { left: pct(from), width: pct(shortage.gap), opacity: strength.toFixed(2) },
    }));
  }
  const anchor = (a) => (a ? `level ${fmt(a.level, 0)}: ${a.description}` : "no anchor");
  const tip = el("div", { class: "anchors", role: "tooltip", id: `anchor-${d.element_id}` },
    el("div", { text: `You (${fmt(from)}) — ${anchor(fromRow && fromRow.anchor)}` }),
    el("div", { text: `Required (${fmt(to)}) — ${anchor(d.anchor)}` }));
  return el("li", {
    class: shortage ? "shortage" : "met", tabindex: "0", "data-element": d.element_id, "aria-describedby": tip.id,
    "aria-label": `${d.name}: your level ${fmt(from)}, required ${fmt(to)}${shortage ? `, short by ${fmt(gap)}${shortage.significant ? " (significant)" : ""}` : ", met"}`,
  }, el("div", { class: "name" }, d.name, el("span", { class: "gap", text: shortage ? `short by ${fmt(gap)}${shortage.significant ? " · significant" : ""}` : "met" })), bars, tip);
}

function render(gap, toProfile, fromProfile) {
  const fromRows = new Map(fromProfile.descriptors.map((r) => [r.element_id, r]));
  const shortages = new Map(gap.shortages.map((s) => [s.element_id, s]));
  const names = new Map(toProfile.descriptors.map((r) => [r.element_id, r.name]));
  const required = toProfile.descriptors
    .filter((d) => d.importance !== null && d.importance >= gap.definition.min_importance)
    .sort((a, b) => (shortages.get(b.element_id)?.weighted_gap ?? -1) - (shortages.get(a.element_id)?.weighted_gap ?? -1) || b.importance - a.importance);

  $("result-title").textContent = `${gap.from.title} → ${gap.to.title}`;
  $("similarity").textContent = gap.similarity === null ? "–" : fmt(gap.similarity);
  const s = gap.summary;
  $("summary-list").replaceChildren(
    el("li", { text: `${s.shortages} of ${s.required_by_target} required descriptors short (${s.significant_shortages} significantly)` }),
    el("li", { text: `${s.missing} required by the target but not by you` }),
    el("li", { text: `importance-weighted gap ${fmt(s.weighted_gap_total)}` }));
  $("definition").textContent = `Required: importance ≥ ${gap.definition.min_importance} on O*NET's 1–5 scale. Levels are on O*NET's 0–7 scale (a level O*NET marks not relevant counts as 0); hover or focus a row for what the levels mean. Similarity: ${gap.definition.similarity}.`;

  const chart = $("chart");
  chart.replaceChildren(el("li", { class: "scale", "aria-hidden": "true" }, el("span", { class: "label", text: "level" }),
    el("span", { class: "ticks" }, ...[0, 1, 2, 3, 4, 5, 6, 7].map((n) => el("span", { text: String(n) })))));
  for (const d of required) chart.append(chartRow(d, fromRows.get(d.element_id), shortages.get(d.element_id)));

  $("shortages").tBodies[0].replaceChildren(...gap.shortages.map((r) => el("tr", { "data-element": r.element_id },
    el("td", {}, r.name, " ", el("small", { text: r.element_id })),
    el("td", { class: "num", text: fmt(r.from_level) }), el("td", { class: "num", text: fmt(r.to_level) }),
    el("td", { class: "num", text: fmt(r.gap) }), el("td", { class: "num", text: fmt(r.to_importance) }),
    el("td", { class: r.significant ? "sig-yes" : "", text: r.significant === null ? "unknown" : r.significant ? "yes" : "no" }))));
  if (!gap.shortages.length) $("shortages").tBodies[0].append(el("tr", {}, el("td", { colspan: "6", text: "No shortages: you meet every required level." })));

  renderFacts(gap.labor);
  renderTechnology(gap.technology);

  $("missing").replaceChildren(...gap.missing.map((id) => el("li", { "data-element": id, text: names.get(id) || id })));
  $("attribution").textContent = gap.data.attribution;
  $("result").hidden = false;
}

// The labour-market facts of both sides (absent when the server has no BLS data loaded).
function factRows(f) {
  const wage = f.median_wage ? money(f.median_wage) : `– (${f.wage_reason || "not published"})`;
  const outlook = f.projected_change_percent === null ? "–" : `${f.projected_change_percent > 0 ? "+" : ""}${f.projected_change_percent.toFixed(1)}%`;
  const onet = f.onet_education ? `${f.onet_education.level} (${Math.round(f.onet_education.share)}% of workers)` : "–";
  return [wage, `${money(f.pct10_wage)} – ${money(f.pct90_wage)}`, count(f.employment), outlook,
    count(f.annual_openings), f.entry_education || "–", onet];
}
const FACT_LABELS = ["Median annual wage", "10th – 90th percentile", "Employment", "Projected change 2024–34",
  "Openings a year", "Typical entry education (BLS)", "Most common education (O*NET)"];

function renderProgrammes(list) {
  $("programmes-box").hidden = !list;
  if (!list) return;
  $("programmes").replaceChildren(...(list.length ? list.map((p) => el("li", { "data-cip": p.cip_code },
    el("strong", { text: `${p.cip_code} ${p.title}` }), el("p", { class: "why", text: p.definition })))
    : [el("li", { text: "None beyond those preparing for the source." })]));
}

function renderFacts(labor) {
  $("facts-box").hidden = !labor;
  renderProgrammes(labor && labor.change.programmes);
  if (!labor) return;
  const a = factRows(labor.from), b = factRows(labor.to);
  $("facts").tBodies[0].replaceChildren(...FACT_LABELS.map((label, i) => el("tr", { "data-fact": String(i) },
    el("th", { scope: "row", text: label }), el("td", { text: a[i] }), el("td", { text: b[i] }))));
  const c = labor.change, parts = [];
  if (c.wage) {
    const sign = c.wage.difference < 0 ? "−" : "+";
    const bound = c.wage.bound === "at_least" ? " or more" : c.wage.bound === "at_most" ? " or less" : "";
    parts.push(`Wage ${sign}$${Math.abs(Math.round(c.wage.difference)).toLocaleString("en-US")} a year${bound} (×${c.wage.ratio.toFixed(2)})`);
  } else parts.push(`Wage change unknown: ${c.wage_reason}`);
  if (c.education) {
    const n = Math.abs(c.education_step);
    parts.push(c.education === "same" ? "same education level" : `education ${n} step${n === 1 ? "" : "s"} ${c.education}`);
  }
  $("facts-change").textContent = parts.join(" · ");
  renderBarriers(c.barriers);
}

// What stands in the way of a move, each barrier with its source (or why it is unknown).
function barrierLines(b) {
  if (!b) return [];
  const short = (d) => d.split(" - ")[0].split(" (")[0];
  const lines = [];
  const e = b.education;
  lines.push(["Education", e.value
    ? `${short(e.value.from.description)} → ${short(e.value.to.description)}; ${e.value.target_share_at_or_above_source.toFixed(1)}% of the target's workers at or above your level`
    : `unknown (${e.reason})`, e.source]);
  for (const [k, label] of [["related_experience", "Related experience"], ["on_site_training", "On-site training"], ["on_the_job_training", "On-the-job training"]]) {
    const x = b[k];
    lines.push([label, x.value ? `${x.value.description} (${Math.round(x.value.share)}% of workers)` : `unknown (${x.reason})`, x.source]);
  }
  for (const [k, label] of [["bls_entry_education", "Entry education (BLS)"], ["bls_work_experience", "Work experience (BLS)"], ["bls_training", "Training (BLS)"]]) {
    const x = b[k];
    lines.push([label, x.value || `unknown (${x.reason})`, x.source]);
  }
  const k = b.missing_knowledge;
  lines.push(["Knowledge to learn", k.value
    ? (k.value.length ? k.value.map((m) => `${m.name} (${m.to_importance.toFixed(1)} vs ${m.from_importance === null ? "–" : m.from_importance.toFixed(1)})`).join(", ") : "none")
    : `unknown (${k.reason})`, k.source]);
  return lines;
}

function renderBarriers(b) {
  const list = $("barriers");
  if (!list) return;
  list.replaceChildren(...barrierLines(b).map(([label, text, source]) => el("li", { "data-barrier": label },
    el("strong", { text: `${label}: ` }), el("span", { text }), el("span", { class: "meta", text: ` (${source})` }))));
}

function renderTechnology(t) {
  $("technology-box").hidden = !t;
  if (!t) return;
  $("technology-summary").textContent = `${t.missing} to learn (${t.missing_hot} Hot Technology, marked in bold); ${t.shared} you already share.`;
  $("technology").replaceChildren(...t.groups.map((g) => el("li", { "data-commodity": String(g.commodity_code) },
    el("h4", { text: g.commodity_title }),
    el("ul", { class: "pills" }, ...g.technologies.map((x) => el("li", { class: x.hot ? "hot" : null, "data-example": x.example, text: x.example }))))));
}

// Why a move is close, in words: the knowledge both rate important, then the strongest parts
// of relatedness (each a similarity from 0 to 1).
function whyClose(x) {
  const parts = [];
  if (x.shared_knowledge && x.shared_knowledge.length) parts.push(`shared knowledge: ${x.shared_knowledge.join(", ")}`);
  const c = x.components || {};
  const named = [["tasks", "tasks"], ["titles", "titles"], ["knowledge", "knowledge profile"], ["skills", "skills profile"]]
    .filter(([k]) => c[k] !== null && c[k] !== undefined)
    .map(([k, label]) => `${label} ${fmt(c[k])}`);
  if (named.length) parts.push(named.join(" · "));
  return parts.join("; ");
}

const VIABILITY_WORDS = { relatedness: "not related enough", job_zone: "climbs more than one job zone", ratings: "not rated" };

async function transitions(from, domain) {
  const list = $("transitions");
  list.replaceChildren(el("li", { text: "Loading…" }));
  try {
    const t = await api(`/occupations/${from}/transitions?limit=10&domain=${domain}`);
    $("transitions-title").textContent = `Closest moves from ${t.from.title}`;
    list.replaceChildren(...t.transitions.map((x) => el("li", { "data-code": x.code },
      el("a", { href: `/?from=${from}&to=${x.code}&domain=${domain}`, text: x.title }),
      el("span", { class: "meta", text: ` ${x.code} · relatedness ${fmt(x.relatedness)}${x.similarity === null ? " · no ratings to compare" : ` · similarity ${fmt(x.similarity)} · ${x.shortages} shortages`}${x.job_zone.change ? ` · job zone ${x.job_zone.change > 0 ? "+" : ""}${x.job_zone.change}` : ""}` }),
      x.wage ? el("span", { class: "wage", text: `${money(x.wage.median_wage)}${x.wage.change ? ` (×${x.wage.change.ratio.toFixed(2)})` : ""}` }) : null,
      el("span", { class: x.viable ? "viable" : "not-viable", "data-viable": String(x.viable), text: x.viable ? " viable" : ` not viable (${x.not_viable_because.map((c) => VIABILITY_WORDS[c] || c).join(", ")})` }),
      el("p", { class: "why", text: `Why close: ${whyClose(x) || "similar titles and tasks"}` }))));
  } catch (e) {
    list.replaceChildren(el("li", { text: e.message }));
  }
}

function stepItem(s) {
  const top = s.top_shortages.map((t) => t.name).join(", ");
  return el("li", { "data-code": s.to.code },
    el("strong", { text: s.to.title }),
    el("span", { class: "meta", text: ` ${s.to.code} · weighted gap ${fmt(s.weighted_gap_total)}${s.job_zone.change ? ` · job zone ${s.job_zone.change > 0 ? "+" : ""}${s.job_zone.change}` : ""}` }),
    s.wage ? el("span", { class: "wage", text: ` ${money(s.wage.median_wage)}${s.wage.change ? ` (×${s.wage.change.ratio.toFixed(2)})` : ""}` }) : null,
    top ? el("p", { class: "why", text: `Largest shortages: ${top}` }) : null);
}

async function paths(from, to, domain) {
  const box = $("paths");
  box.replaceChildren(el("p", { text: "Looking for stepping stones…" }));
  try {
    const p = await api(`/paths?from=${from}&to=${to}&domain=${domain}`);
    const d = p.direct;
    const direct = el("p", { class: "direct" },
      `Direct move: weighted gap ${fmt(d.weighted_gap_total)}, ${d.shortages} shortages — `,
      d.feasible ? "a feasible single step." : `not a single step (${d.why_not}).`);
    if (!p.paths.length) {
      box.replaceChildren(direct, el("p", { class: "blocked", text: `No stepping-stone path: ${p.blocked.detail}` }));
      return;
    }
    box.replaceChildren(direct, ...p.paths.map((path, i) => el("div", { class: "path" },
      el("h4", { text: `Path ${i + 1}: ${path.steps.length} step${path.steps.length > 1 ? "s" : ""}, hardest step ${fmt(path.largest_step_gap)}, total ${fmt(path.total_gap)}${path.wage && path.wage.lowest_ratio != null ? `, lowest pay on the way ×${path.wage.lowest_ratio.toFixed(2)} of today's` : ""}` }),
      el("ol", { class: "steps" }, ...path.steps.map(stepItem)))));
  } catch (e) {
    box.replaceChildren(el("p", { text: e.status === 409 ? `No paths: ${e.message}` : e.message }));
  }
}

async function compare() {
  const from = state.from && state.from.code, to = state.to && state.to.code, domain = state.domain;
  if (!from || !to) {
    status("error", "Choose two occupations", "Type in both fields and pick an occupation from each list (or type a code such as 15-1254.00).");
    return;
  }
  history.replaceState(null, "", `/?from=${from}&to=${to}&domain=${domain}`);
  $("go").disabled = true;
  $("result").setAttribute("aria-busy", "true");
  status("loading", "", `Comparing ${from} with ${to}…`);
  try {
    const gap = await api(`/skill-gap?from=${from}&to=${to}&domain=${domain}&include=technology`);
    const [toProfile, fromProfile] = await Promise.all([
      api(`/occupations/${to}/profile?domain=${domain}`),
      api(`/occupations/${from}/profile?domain=${domain}`),
    ]);
    render(gap, toProfile, fromProfile);
    status("", "");
    transitions(from, domain);
    paths(from, to, domain);
  } catch (e) {
    problem(e);
  } finally {
    $("go").disabled = false;
    $("result").removeAttribute("aria-busy");
  }
}

// A code typed straight into a field counts as chosen.
function fromInput(side) {
  const v = pickers[side].input.value.trim();
  if (!state[side] && CODE.test(v)) state[side] = { code: v, title: v };
}

$("compare").addEventListener("submit", async (e) => {
  e.preventDefault();
  fromInput("from");
  fromInput("to");
  try {
    const from = await pickers.from.resolve();
    const to = await pickers.to.resolve();
    if (from && to) compare();
  } catch (err) {
    compare();
  }
});
for (const r of document.querySelectorAll('input[name="domain"]')) {
  r.addEventListener("change", () => {
    state.domain = r.value;
    if (state.from && state.to) compare();
  });
}
$("key-save").addEventListener("click", () => {
  state.key = $("api-key").value.trim();
  sessionStorage.setItem("skillgap-key", state.key);
  $("key-box").hidden = true;
  if (state.from && state.to) compare();
});

// --- self-assessment: the 35 skills with O*NET's level anchors as labels ---------------------
const ASSESS_SOURCE = "15-1254.00"; // any rated occupation: only its descriptors and anchors are read
let assessRows = [];

function anchorText(row, level) {
  const a = row.anchors.reduce((best, x) => (!best || Math.abs(x.level - level) < Math.abs(best.level - level) ? x : best), null);
  return a ? `≈ level ${fmt(a.level, 0)}: ${a.description}` : "";
}

async function openAssessment() {
  $("assess").hidden = false;
  if (assessRows.length) return;
  const list = $("assess-list");
  list.replaceChildren(el("li", { text: "Loading the skills…" }));
  try {
    const code = (state.to && state.to.code) || (state.from && state.from.code) || ASSESS_SOURCE;
    const p = await api(`/occupations/${code}/profile?domain=skills`);
    assessRows = p.descriptors;
    list.replaceChildren(...assessRows.map((row) => {
      const id = `assess-${row.element_id}`;
      const out = el("output", { for: id, class: "level", text: "0" });
      const hint = el("p", { class: "anchor-label", text: anchorText(row, 0) });
      const input = el("input", { type: "range", id, min: "0", max: "7", step: "0.5", value: "0", "data-element": row.element_id, "aria-describedby": `${id}-hint` });
      hint.id = `${id}-hint`;
      input.addEventListener("input", () => {
        out.textContent = input.value;
        hint.textContent = anchorText(row, Number(input.value));
      });
      return el("li", {}, el("label", { for: id, text: row.name, title: row.description }), input, out, hint);
    }));
  } catch (e) {
    list.replaceChildren(el("li", { text: e.message }));
  }
}

function assessedLevels() {
  const levels = {};
  for (const input of document.querySelectorAll("#assess-list input[type=range]")) {
    const v = Number(input.value);
    if (v > 0) levels[input.dataset.element] = v;
  }
  return levels;
}

async function assessTargets() {
  const list = $("targets");
  $("targets-title").hidden = false;
  list.replaceChildren(el("li", { text: "Ranking occupations…" }));
  try {
    const t = await api("/transitions", { levels: assessedLevels(), limit: 10 });
    list.replaceChildren(...t.targets.map((x) => el("li", { "data-code": x.code },
      el("a", { href: `/?to=${x.code}`, text: x.title, "data-code": x.code }),
      el("span", { class: "meta", text: ` ${x.code} · fit ${fmt(x.fit)} · weighted gap ${fmt(x.weighted_gap_total)} · ${x.shortages} of ${x.required} required skills short` }),
      x.unused_strengths.length ? el("p", { class: "why", text: `Unused strengths: ${x.unused_strengths.map((u) => u.name).join(", ")}` }) : null)));
    for (const a of list.querySelectorAll("a[data-code]")) {
      a.addEventListener("click", (e) => {
        e.preventDefault();
        const x = t.targets.find((y) => y.code === a.dataset.code);
        pickers.to.set({ code: x.code, title: x.title, has_ratings: true });
        assessCompare();
      });
    }
  } catch (e) {
    list.replaceChildren(el("li", { text: e.message }));
  }
}

async function assessCompare() {
  const to = state.to && state.to.code;
  if (!to) {
    status("error", "Choose a target", "Pick the occupation you want in the “To” field, then compare your ratings with it.");
    return;
  }
  status("loading", "", `Comparing your ratings with ${to}…`);
  try {
    const levels = assessedLevels();
    const gap = await api("/skill-gap", { to, levels, domain: "skills" });
    const toProfile = await api(`/occupations/${to}/profile?domain=skills`);
    const fromProfile = {
      descriptors: assessRows.map((r) => ({ element_id: r.element_id, level: levels[r.element_id] ?? 0, not_relevant: false, anchor: null })),
    };
    render(gap, toProfile, fromProfile);
    $("paths").replaceChildren(el("p", { text: "Stepping stones start from an occupation: pick yours in the “From” field and compare." }));
    $("transitions").replaceChildren();
    status("", "");
  } catch (e) {
    problem(e);
  }
}

$("rate-own").addEventListener("click", openAssessment);
$("assess-form").addEventListener("submit", (e) => {
  e.preventDefault();
  assessTargets();
});
$("assess-compare").addEventListener("click", assessCompare);

// A shared link (/?from=…&to=…&domain=…) opens its comparison.
(async function start() {
  const p = new URLSearchParams(location.search);
  const domain = p.get("domain");
  if (domain && ["skills", "knowledge", "all"].includes(domain)) {
    state.domain = domain;
    document.querySelector(`input[name="domain"][value="${domain}"]`).checked = true;
  }
  const codes = { from: p.get("from"), to: p.get("to") };
  if (!codes.from || !codes.to) return;
  for (const side of ["from", "to"]) {
    const code = codes[side].trim();
    try {
      const o = await api(`/occupations/${encodeURIComponent(code)}`);
      pickers[side].set({ code: o.code, title: o.title, has_ratings: o.has_ratings });
    } catch (e) {
      pickers[side].set({ code, title: code });
    }
  }
  compare();
})();
