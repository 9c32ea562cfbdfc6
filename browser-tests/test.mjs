// The skillgap page in real headless Chromium against a real `skillgap serve` (started by
// scripts/browser-test, which sets SKILLGAP_URL). Run: scripts/browser-test
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";

const BASE = process.env.SKILLGAP_URL;
const ARTIFACTS = process.env.ARTIFACTS || join(import.meta.dirname, "..", "artifacts");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
assert.ok(BASE, "SKILLGAP_URL must point at a running skillgap serve");
mkdirSync(ARTIFACTS, { recursive: true });

let browser;
before(async () => {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    chromiumSandbox: false,
    args: ["--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});
after(async () => browser && browser.close());

async function page(viewport = { width: 1200, height: 900 }) {
  const context = await browser.newContext({ viewport });
  const p = await context.newPage();
  p.foreign = [];
  p.on("request", (r) => { if (!r.url().startsWith(BASE)) p.foreign.push(r.url()); });
  return p;
}

const api = async (path) => (await fetch(BASE + path)).json();
const fmt = (x) => (x === null ? "–" : Number(x).toFixed(2));

test("two occupations picked by typing show exactly the API's shortages", async () => {
  const p = await page();
  await p.goto(`${BASE}/`);
  // From: keyboard only (type, arrow to the option, Enter).
  await p.locator("#from-input").pressSequentially("web develop", { delay: 15 });
  const webDev = p.locator('#from-list li[data-code="15-1254.00"]');
  await webDev.waitFor();
  const index = Number(await webDev.getAttribute("data-index"));
  for (let i = 0; i < index; i++) await p.keyboard.press("ArrowDown");
  assert.equal(await p.locator("#from-input").getAttribute("aria-activedescendant"), `from-opt-${index}`);
  await p.keyboard.press("Enter");
  assert.equal(await p.locator("#from-input").inputValue(), "Web Developers");
  // To: by alternate title, with the mouse.
  await p.locator("#to-input").pressSequentially("Software Development Director", { delay: 10 });
  await p.locator('#to-list li[data-code="11-3021.00"]').click();
  assert.match(await p.locator("#to-chosen").textContent(), /11-3021\.00/);
  await p.locator("#go").click();
  await p.locator("#shortages tbody tr[data-element]").first().waitFor();

  const gap = await api("/skill-gap?from=15-1254.00&to=11-3021.00&domain=skills");
  const rows = await p.locator("#shortages tbody tr[data-element]").evaluateAll((trs) =>
    trs.map((tr) => ({ id: tr.dataset.element, cells: [...tr.cells].slice(1).map((c) => c.textContent) })));
  assert.equal(rows.length, gap.shortages.length);
  gap.shortages.forEach((s, i) => {
    assert.equal(rows[i].id, s.element_id, `row ${i}`);
    const sig = s.significant === null ? "unknown" : s.significant ? "yes" : "no";
    assert.deepEqual(rows[i].cells, [fmt(s.from_level), fmt(s.to_level), fmt(s.gap), fmt(s.to_importance), sig], s.element_id);
  });
  assert.equal(await p.locator("#similarity").textContent(), fmt(gap.similarity));
  const missing = await p.locator("#missing li").evaluateAll((lis) => lis.map((li) => li.dataset.element));
  assert.deepEqual(missing, gap.missing);
  assert.equal(await p.locator("#result-title").textContent(), "Web Developers → Computer and Information Systems Managers");
  assert.ok((await p.locator("#attribution").textContent()).includes("O*NET 29.0 Database"));

  // The chart shows every descriptor the target requires; shortages are marked.
  const profile = await api("/occupations/11-3021.00/profile?domain=skills");
  const required = profile.descriptors.filter((d) => d.importance >= gap.definition.min_importance);
  assert.equal(await p.locator("#chart li[data-element]").count(), required.length);
  assert.equal(await p.locator("#chart li.shortage").count(), gap.shortages.length);
  // Bars are drawn to scale on 0–7 (a page that loses its inline sizes draws nothing).
  const ratios = await p.locator(`#chart li[data-element="${gap.shortages[0].element_id}"]`).evaluate((li) => {
    const total = li.querySelector(".bars").getBoundingClientRect().width;
    return ["from", "to"].map((k) => li.querySelector(`.bar.${k}`).getBoundingClientRect().width / total);
  });
  assert.ok(Math.abs(ratios[0] - gap.shortages[0].from_level / 7) < 0.02, `from bar ${ratios[0]}`);
  assert.ok(Math.abs(ratios[1] - gap.shortages[0].to_level / 7) < 0.02, `to bar ${ratios[1]}`);
  // Focus shows what the levels mean, in O*NET's words.
  const first = p.locator(`#chart li[data-element="${gap.shortages[0].element_id}"]`);
  await first.focus();
  const tip = first.locator(".anchors");
  assert.ok(await tip.isVisible());
  assert.ok((await tip.textContent()).includes(gap.shortages[0].to_anchor.description));

  // Shareable: the address names the comparison; transitions are one click away.
  assert.equal(new URL(p.url()).search, "?from=15-1254.00&to=11-3021.00&domain=skills");
  await p.locator("#transitions li a").first().waitFor();
  const transitions = await api("/occupations/15-1254.00/transitions?limit=10&domain=skills");
  const links = await p.locator("#transitions li a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  assert.deepEqual(links, transitions.transitions.map((t) => `/?from=15-1254.00&to=${t.code}&domain=skills`));
  await p.screenshot({ path: join(ARTIFACTS, "skillgap-compare.png"), fullPage: true });

  // The closest move with ratings to compare (some related occupations are unrated in 29.0).
  const rated = transitions.transitions.find((t) => t.similarity !== null);
  await p.locator(`#transitions li[data-code="${rated.code}"] a`).click();
  await p.waitForURL(`**/?from=15-1254.00&to=${rated.code}&domain=skills`);
  await p.locator("#shortages tbody tr").first().waitFor();
  assert.match(await p.locator("#result-title").textContent(), new RegExp(`^Web Developers → ${rated.title}$`));
  assert.deepEqual(p.foreign, [], "the page loads nothing from elsewhere");
});

test("closest moves are ranked by relatedness and say why they are close", async () => {
  const p = await page();
  await p.goto(`${BASE}/?from=15-1254.00&to=11-3021.00`);
  await p.locator("#transitions li .why").first().waitFor();
  const t = await api("/occupations/15-1254.00/transitions?limit=10&domain=skills");
  assert.equal(t.sort, "relatedness");
  const codes = await p.locator("#transitions li").evaluateAll((ls) => ls.map((l) => l.dataset.code));
  assert.deepEqual(codes, t.transitions.map((x) => x.code));
  const first = t.transitions.find((x) => x.shared_knowledge.length);
  const why = await p.locator(`#transitions li[data-code="${first.code}"] .why`).textContent();
  assert.ok(why.includes(`shared knowledge: ${first.shared_knowledge.join(", ")}`), why);
  assert.ok(why.includes(`tasks ${fmt(first.components.tasks)}`), why);
  const meta = await p.locator(`#transitions li[data-code="${t.transitions[0].code}"] .meta`).textContent();
  assert.ok(meta.includes(`relatedness ${fmt(t.transitions[0].relatedness)}`), meta);
});

test("stepping stones show the API's best paths and the direct move", async () => {
  const p = await page();
  await p.goto(`${BASE}/?from=43-4051.00&to=11-3021.00`);
  await p.locator("#paths .path").first().waitFor();
  const want = await api("/paths?from=43-4051.00&to=11-3021.00&domain=skills");
  assert.ok(want.paths.length > 0);
  const shown = await p.locator("#paths .path").evaluateAll((ps) => ps.map((x) => [...x.querySelectorAll("ol.steps > li")].map((l) => l.dataset.code)));
  assert.deepEqual(shown, want.paths.map((x) => x.steps.map((s) => s.to.code)));
  const direct = await p.locator("#paths .direct").textContent();
  assert.ok(direct.includes(`weighted gap ${fmt(want.direct.weighted_gap_total)}`), direct);
  assert.ok(direct.includes(want.direct.why_not), direct);
  await p.screenshot({ path: join(ARTIFACTS, "skillgap-paths.png"), fullPage: true });
});

test("a self-assessment finds the closest occupations and compares with a target", async () => {
  const p = await page();
  await p.goto(`${BASE}/`);
  await p.locator("#rate-own").click();
  await p.locator("#assess-list input[type=range]").nth(34).waitFor();
  assert.equal(await p.locator("#assess-list input[type=range]").count(), 35);
  const profile = await api("/occupations/15-1254.00/profile?domain=skills");
  const reading = profile.descriptors.find((d) => d.element_id === "2.A.1.a");
  const levels = { "2.A.1.a": 5, "2.A.1.b": 4.5, "2.A.2.a": 4, "2.B.3.e": 3.5 };
  for (const [id, v] of Object.entries(levels)) {
    await p.locator(`#assess-list input[data-element="${id}"]`).fill(String(v));
  }
  // The scale's labels are O*NET's level anchors.
  const near = reading.anchors.reduce((b, a) => (!b || Math.abs(a.level - 5) < Math.abs(b.level - 5) ? a : b), null);
  const label = await p.locator("#assess-2\\.A\\.1\\.a-hint").textContent();
  assert.ok(label.includes(near.description), label);
  await p.locator("#assess-targets").click();
  await p.locator("#targets li").first().waitFor();
  const r = await fetch(`${BASE}/transitions`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ levels, limit: 10 }) });
  const want = await r.json();
  const codes = await p.locator("#targets li").evaluateAll((ls) => ls.map((l) => l.dataset.code));
  assert.deepEqual(codes, want.targets.map((t) => t.code));
  // From a target straight to the gap.
  await p.locator("#targets li a").first().click();
  await p.locator("#shortages tbody tr").first().waitFor();
  assert.match(await p.locator("#result-title").textContent(), new RegExp(`^Self-assessed profile → ${want.targets[0].title}$`));
  await p.screenshot({ path: join(ARTIFACTS, "skillgap-self-assessment.png"), fullPage: true });
});

const money = (w) => (w ? `${w.at_or_above ? "≥ " : ""}$${Math.round(w.annual).toLocaleString("en-US")}` : "–");

test("wages, outlook, education and the technology gap of both sides are shown", async () => {
  const p = await page();
  await p.goto(`${BASE}/?from=15-1254.00&to=11-3021.00`);
  await p.locator("#facts tbody tr").first().waitFor();
  const gap = await api("/skill-gap?from=15-1254.00&to=11-3021.00&domain=skills&include=technology");
  assert.ok(gap.labor, "the browser-test store has BLS data loaded");
  const cells = await p.locator("#facts tbody tr").evaluateAll((trs) => trs.map((tr) => [...tr.cells].slice(1).map((c) => c.textContent)));
  const { from, to } = gap.labor;
  // Median, then the 10th–90th range; employment; outlook; entry education; O*NET's education.
  assert.deepEqual(cells[0], [money(from.median_wage), money(to.median_wage)]);
  assert.deepEqual(cells[1], [`${money(from.pct10_wage)} – ${money(from.pct90_wage)}`, `${money(to.pct10_wage)} – ${money(to.pct90_wage)}`]);
  assert.deepEqual(cells[2], [from.employment.toLocaleString("en-US"), to.employment.toLocaleString("en-US")]);
  assert.match(cells[3][1], new RegExp(`^\\+?${to.projected_change_percent.toFixed(1)}%$`));
  assert.deepEqual(cells[5], [from.entry_education, to.entry_education]);
  assert.ok(cells[6][1].startsWith(to.onet_education.level), cells[6][1]);
  const change = await p.locator("#facts-change").textContent();
  assert.ok(change.includes(`×${gap.labor.change.wage.ratio.toFixed(2)}`), change);
  assert.ok(change.includes(`$${Math.round(gap.labor.change.wage.difference).toLocaleString("en-US")}`), change);

  // The technology gap: every group and example the API lists, Hot Technology marked.
  const shown = await p.locator("#technology > li").evaluateAll((lis) => lis.map((li) => ({
    title: li.querySelector("h4").textContent,
    examples: [...li.querySelectorAll("li[data-example]")].map((x) => [x.dataset.example, x.classList.contains("hot")]),
  })));
  assert.deepEqual(shown, gap.technology.groups.map((g) => ({ title: g.commodity_title, examples: g.technologies.map((t) => [t.example, t.hot]) })));
  assert.ok(gap.technology.missing > 0);
  assert.match(await p.locator("#technology-summary").textContent(), new RegExp(`^${gap.technology.missing} to learn \\(${gap.technology.missing_hot} Hot Technology`));

  // Each closest move shows the target's wage and the ratio to today's.
  await p.locator("#transitions li .wage").first().waitFor();
  const moves = await api("/occupations/15-1254.00/transitions?limit=10&domain=skills");
  const wages = await p.locator("#transitions li").evaluateAll((lis) => lis.map((li) => li.querySelector(".wage")?.textContent ?? null));
  assert.deepEqual(wages, moves.transitions.map((t) => `${money(t.wage.median_wage)}${t.wage.change ? ` (×${t.wage.change.ratio.toFixed(2)})` : ""}`));
  // Each stepping stone shows its wage and the change from the step before.
  await p.locator("#paths .steps li .wage").first().waitFor();
  const route = await api("/paths?from=15-1254.00&to=11-3021.00&domain=skills");
  const stepWages = await p.locator("#paths .steps li").evaluateAll((lis) => lis.map((li) => li.querySelector(".wage")?.textContent ?? null));
  assert.deepEqual(stepWages, route.paths.flatMap((path) => path.steps.map((s) => ` ${money(s.wage.median_wage)}${s.wage.change ? ` (×${s.wage.change.ratio.toFixed(2)})` : ""}`)));
  assert.ok(stepWages.length > 0);
  assert.ok((await p.locator("#attribution").textContent()).includes("U.S. Bureau of Labor Statistics"));
  await p.screenshot({ path: join(ARTIFACTS, "skillgap-facts.png"), fullPage: true });
});

// Issue 21: what stands in the way of a move, each barrier with its source, from the API's
// `labor.change.barriers` for the same pair. A web developer → dentist move must show the
// dentist's doctoral degree and dental knowledge, which the skills gap alone hides.
test("a gap lists its barriers, each with its value and source", async () => {
  const p = await page();
  for (const to of ["11-3021.00", "29-1021.00"]) {
    await p.goto(`${BASE}/?from=15-1254.00&to=${to}`);
    await p.locator("#barriers li[data-barrier]").first().waitFor();
    const gap = await api(`/skill-gap?from=15-1254.00&to=${to}&domain=skills&include=technology`);
    const b = gap.labor.change.barriers;
    const shown = Object.fromEntries(await p.locator("#barriers li[data-barrier]").evaluateAll((lis) =>
      lis.map((li) => [li.dataset.barrier, li.textContent])));
    assert.deepEqual(Object.keys(shown), ["Education", "Related experience", "On-site training", "On-the-job training",
      "Entry education (BLS)", "Work experience (BLS)", "Training (BLS)", "Knowledge to learn"]);
    const has = (label, part) => assert.ok(shown[label].includes(part), `${to} ${label}: “${shown[label]}” lacks “${part}”`);
    const e = b.education.value;
    // Descriptions are shown up to their explanation (" - …" or " (…)").
    const short = (d) => d.split(" - ")[0].split(" (")[0];
    has("Education", `${short(e.from.description)} → ${short(e.to.description)}`);
    has("Education", `${e.target_share_at_or_above_source.toFixed(1)}% of the target's workers at or above your level`);
    has("Education", `(${b.education.source})`);
    for (const [key, label] of [["related_experience", "Related experience"], ["on_site_training", "On-site training"], ["on_the_job_training", "On-the-job training"]]) {
      has(label, `${b[key].value.description} (${Math.round(b[key].value.share)}% of workers)`);
      has(label, `(${b[key].source})`);
    }
    for (const [key, label] of [["bls_entry_education", "Entry education (BLS)"], ["bls_work_experience", "Work experience (BLS)"], ["bls_training", "Training (BLS)"]]) {
      has(label, `: ${b[key].value} (${b[key].source})`);
    }
    assert.ok(b.missing_knowledge.value.length > 0, `${to}: knowledge to learn`);
    for (const m of b.missing_knowledge.value) {
      has("Knowledge to learn", `${m.name} (${m.to_importance.toFixed(1)} vs ${m.from_importance === null ? "–" : m.from_importance.toFixed(1)})`);
    }
    if (to === "29-1021.00") {
      // The values differ by pair: a dentist needs a doctorate and medicine and dentistry.
      assert.equal(e.to.description, "Doctoral Degree");
      assert.ok(b.missing_knowledge.value.some((m) => m.name === "Medicine and Dentistry"));
    }
  }
  await p.screenshot({ path: join(ARTIFACTS, "skillgap-barriers.png"), fullPage: true });
});

test("a gap lists the programmes that prepare for the target and not for the source", async () => {
  const p = await page();
  await p.goto(`${BASE}/?from=15-1254.00&to=11-3021.00`);
  await p.locator("#programmes-box #programmes li[data-cip]").first().waitFor();
  assert.ok(await p.locator("#programmes-box").isVisible());
  const gap = await api("/skill-gap?from=15-1254.00&to=11-3021.00&domain=skills&include=technology");
  const want = gap.labor.change.programmes;
  assert.ok(want.length > 0, "the browser-test store has NCES programmes loaded");
  const shown = await p.locator("#programmes li[data-cip]").evaluateAll((lis) => lis.map((li) => ({
    cip: li.dataset.cip, head: li.querySelector("strong").textContent, definition: li.querySelector(".why").textContent,
  })));
  assert.deepEqual(shown, want.map((x) => ({ cip: x.cip_code, head: `${x.cip_code} ${x.title}`, definition: x.definition })));
  // Checked against the per-occupation lists: each one prepares for the target, none for the source.
  const target = new Set((await api("/programmes?occupation=11-3021.00")).programmes.map((x) => x.cip_code));
  const source = new Set((await api("/programmes?occupation=15-1254.00")).programmes.map((x) => x.cip_code));
  assert.deepEqual(shown.map((x) => x.cip), [...target].filter((c) => !source.has(c)).sort());
  assert.ok(source.size > 0, "the source has programmes of its own, which are left out");
});

test("each closest move says whether it is viable and, if not, why", async () => {
  const p = await page();
  // Retail salespersons: the top 10 holds viable moves and moves failing each condition.
  await p.goto(`${BASE}/?from=41-2031.00&to=41-2021.00`);
  await p.locator("#transitions li [data-viable]").first().waitFor();
  const t = await api("/occupations/41-2031.00/transitions?limit=10&domain=skills");
  const words = { relatedness: "not related enough", job_zone: "climbs more than one job zone", ratings: "not rated" };
  const reasons = new Set(t.transitions.flatMap((x) => x.not_viable_because));
  assert.deepEqual([...reasons].sort(), ["job_zone", "ratings", "relatedness"], "the pair shows every condition");
  assert.ok(t.transitions.some((x) => x.viable));
  const shown = await p.locator("#transitions li[data-code]").evaluateAll((lis) => lis.map((li) => {
    const v = li.querySelector("[data-viable]");
    return { code: li.dataset.code, viable: v.dataset.viable, text: v.textContent.trim() };
  }));
  assert.deepEqual(shown, t.transitions.map((x) => ({
    code: x.code,
    viable: String(x.viable),
    text: x.viable ? "viable" : `not viable (${x.not_viable_because.map((c) => words[c]).join(", ")})`,
  })));
  await p.screenshot({ path: join(ARTIFACTS, "skillgap-viable.png"), fullPage: true });
});

// Issue 20: any title in the from/to boxes. The page shows the occupation the coder chose and
// why (the title it matched, the confidence), the same first answer as /occupations?q=.
test("a free-text title is resolved to an occupation, saying which and why", async () => {
  const p = await page();
  await p.goto(`${BASE}/`);
  const typed = { from: "web developer", to: "registered nurse - neuro icu" };
  const want = {};
  for (const [side, q] of Object.entries(typed)) {
    await p.locator(`#${side}-input`).pressSequentially(q, { delay: 10 });
    await p.locator(`#${side}-list li[data-code]`).first().waitFor();
    // Suggestions dismissed, the text left as typed: Compare must code it.
    await p.keyboard.press("Escape");
    assert.ok(await p.locator(`#${side}-list`).isHidden());
    want[side] = (await api(`/occupations?q=${encodeURIComponent(q)}&limit=5`)).results[0];
    assert.ok(want[side].confidence >= 0.5, `${q}: confident enough to be chosen (${want[side].confidence})`);
  }
  // Typed text with noise after a dash is coded, not matched whole.
  assert.equal(want.to.match, "title_coder");
  assert.equal(want.from.code, "15-1254.00");
  assert.equal(want.to.code, "29-1141.03");
  await p.locator("#go").click();
  await p.locator("#shortages tbody tr[data-element]").first().waitFor();
  const field = { title: "the O*NET title", alternate_title: "the alternate title", reported_title: "the reported title", short_title: "the short title" };
  for (const side of ["from", "to"]) {
    const o = want[side];
    const chosen = await p.locator(`#${side}-chosen`).textContent();
    assert.ok(chosen.startsWith(`“${typed[side]}” → ${o.code} ${o.title}`), chosen);
    assert.ok(chosen.includes(`matched ${field[o.matched.field]} “${o.matched.title}”`), chosen);
    assert.ok(chosen.includes(`confidence ${Math.round(o.confidence * 100)}%`), chosen);
  }
  assert.equal(await p.locator("#result-title").textContent(), `${want.from.title} → ${want.to.title}`);
  assert.equal(new URL(p.url()).search, `?from=${want.from.code}&to=${want.to.code}&domain=skills`);
  await p.screenshot({ path: join(ARTIFACTS, "skillgap-free-text.png"), fullPage: true });
});

test("a title the coder is unsure of offers the choices instead of guessing", async () => {
  const p = await page();
  await p.goto(`${BASE}/`);
  await p.locator("#from-input").fill("15-1254.00");
  await p.locator("#to-input").pressSequentially("manager", { delay: 10 });
  await p.locator("#to-list li[data-code]").first().waitFor();
  await p.keyboard.press("Escape");
  const res = await api("/occupations?q=manager&limit=5");
  assert.ok(res.results[0].confidence < 0.5, `“manager” is ambiguous (${res.results[0].confidence})`);
  await p.locator("#go").click();
  const chosen = p.locator("#to-chosen");
  await p.waitForFunction(() => document.getElementById("to-chosen").textContent.startsWith("Not sure"));
  assert.equal(await chosen.textContent(),
    `Not sure which occupation “manager” is (best guess ${Math.round(res.results[0].confidence * 100)}%): choose one.`);
  // No comparison runs on a guess; the choices are the coder's top answers, in its order.
  assert.ok(await p.locator("#result").isHidden());
  assert.ok(await p.locator("#to-list").isVisible());
  const offered = await p.locator("#to-list li[data-code]").evaluateAll((lis) => lis.map((li) => li.dataset.code));
  assert.deepEqual(offered, res.results.map((r) => r.code));
  // Picking one (not the first) compares with it.
  const pick = res.results[1];
  await p.locator(`#to-list li[data-code="${pick.code}"]`).click();
  assert.ok((await chosen.textContent()).startsWith(`${pick.code} ${pick.title}`));
  await p.locator("#go").click();
  await p.locator("#shortages tbody tr[data-element]").first().waitFor();
  assert.equal(await p.locator("#result-title").textContent(), `Web Developers → ${pick.title}`);
  await p.screenshot({ path: join(ARTIFACTS, "skillgap-choose.png"), fullPage: true });
});

test("switching to knowledge compares knowledge", async () => {
  const p = await page();
  await p.goto(`${BASE}/?from=15-1254.00&to=11-3021.00`);
  await p.locator("#shortages tbody tr[data-element]").first().waitFor();
  await p.locator('input[name="domain"][value="knowledge"]').check();
  await p.waitForURL("**/?from=15-1254.00&to=11-3021.00&domain=knowledge");
  const gap = await api("/skill-gap?from=15-1254.00&to=11-3021.00&domain=knowledge");
  await p.locator(`#shortages tbody tr[data-element="${gap.shortages[0].element_id}"]`).waitFor();
  const ids = await p.locator("#shortages tbody tr[data-element]").evaluateAll((trs) => trs.map((tr) => tr.dataset.element));
  assert.deepEqual(ids, gap.shortages.map((s) => s.element_id));
});

test("an unknown code shows the error state", async () => {
  const p = await page();
  await p.goto(`${BASE}/?from=99-9999.00&to=11-3021.00`);
  const status = p.locator("#status.error");
  await status.waitFor();
  assert.match(await status.textContent(), /Unknown occupation.*no occupation with code 99-9999\.00/);
  assert.ok(await p.locator("#result").isHidden());
  await p.screenshot({ path: join(ARTIFACTS, "skillgap-unknown-code.png") });
});

test("an occupation without ratings says what could fill it", async () => {
  const p = await page();
  await p.goto(`${BASE}/?from=15-1252.00&to=11-3021.00`);
  const status = p.locator("#status.conflict");
  await status.waitFor();
  const text = await status.textContent();
  assert.match(text, /No ratings to compare/);
  assert.match(text, /15-1252\.00 \(Software Developers\) has no O\*NET skills ratings/);
  assert.match(text, /LLM estimates/);
});

test("loading, then a server error or an unreachable server, each has its own state", async () => {
  const p = await page();
  let release;
  const held = new Promise((r) => { release = r; });
  await p.route("**/skill-gap?*", async (route) => {
    await held;
    await route.fulfill({
      status: 503,
      contentType: "application/problem+json",
      body: JSON.stringify({ type: "about:blank", title: "Service Unavailable", status: 503, detail: "the store is not reachable" }),
    });
  });
  await p.goto(`${BASE}/?from=15-1254.00&to=11-3021.00`);
  const loading = p.locator("#status.loading");
  await loading.waitFor();
  assert.equal(await loading.textContent(), "Comparing 15-1254.00 with 11-3021.00…");
  assert.ok(await p.locator("#go").isDisabled(), "the button waits for the answer");
  release();
  const error = p.locator("#status.error");
  await error.waitFor();
  assert.match(await error.textContent(), /The server had a problem.*the store is not reachable.*Try again/);
  assert.ok(await p.locator("#result").isHidden());
  assert.ok(await p.locator("#go").isEnabled());

  await p.unroute("**/skill-gap?*");
  await p.route("**/skill-gap?*", (route) => route.abort("connectionrefused"));
  await p.locator("#go").click();
  await p.locator("#status.error h2", { hasText: "Server unreachable" }).waitFor();
  assert.match(await p.locator("#status").textContent(), /Cannot reach the skillgap server/);
});

test("a phone-width screen needs no sideways scrolling", async () => {
  const p = await page({ width: 375, height: 812 });
  await p.goto(`${BASE}/?from=15-1254.00&to=11-3021.00`);
  await p.locator("#shortages tbody tr[data-element]").first().waitFor();
  const width = await p.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 375, `page is ${width}px wide`);
  await p.screenshot({ path: join(ARTIFACTS, "skillgap-phone.png"), fullPage: true });
});

test("the whole page is under 200 KB", async () => {
  let bytes = 0;
  for (const path of ["/", "/assets/app.js", "/assets/style.css"]) {
    const r = await fetch(BASE + path);
    assert.equal(r.status, 200, path);
    bytes += (await r.arrayBuffer()).byteLength;
  }
  assert.ok(bytes < 200 * 1024, `${bytes} bytes`);
  console.log(`page weight: ${bytes} bytes`);
});
