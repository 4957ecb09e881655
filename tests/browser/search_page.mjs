// The search page in a real browser (issue 21): headless Chromium driven by
// puppeteer-core (make test-browser installs both through
// tools/install-deps.sh --browser). Indexes corpus/ plus a file whose
// title and text are HTML, serves it with `quire serve --http`, and checks
// what a person does: type a query and see ranked hits with marked
// snippets, open a citation in its context, filter by a facet, keep the
// state in the URL (a shared link shows the same), move with the keyboard,
// read it at phone width - with no document text ever parsed as HTML and no
// Content-Security-Policy violation.
//
// Usage: node tests/browser/search_page.mjs QUIRE CORPUS [--screenshot FILE]
// Prints "SKIP: ..." and exits 0 when Chromium is absent.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, cpSync, writeFileSync, rmSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";

const [quire, corpus] = process.argv.slice(2);
const shot = process.argv.includes("--screenshot")
  ? process.argv[process.argv.indexOf("--screenshot") + 1] : null;
const chrome = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find(existsSync);
if (!chrome) {
  console.log("SKIP: the search page was not tested: no Chromium (apt install chromium)");
  process.exit(0);
}
const require = createRequire(path.resolve("build/browser/node_modules/x.js"));
const puppeteer = require("puppeteer-core");

let failures = 0;
function check(ok, what) {
  console.log((ok ? "ok   " : "FAIL ") + what);
  if (!ok) failures++;
}

const work = mkdtempSync(path.join(tmpdir(), "quire-browser-"));
const docs = path.join(work, "docs");
cpSync(corpus, docs, { recursive: true });
writeFileSync(path.join(docs, "evil.html"),
  "<html><head><title>&lt;img src=x onerror=alert(1)&gt; Quarantine</title></head><body>" +
  "<p>The word quarantine beside &lt;script&gt;alert(2)&lt;/script&gt; and " +
  "&lt;b onmouseover=alert(3)&gt;bold&lt;/b&gt; written as text.</p></body></html>\n");
const idx = path.join(work, "index");
const built = spawnSync(quire, ["index", "-q", "--index", idx, docs]);
if (built.status !== 0) throw new Error("quire index: " + built.stderr);

const server = spawn(quire, ["serve", "--http", "--index", idx, "--port", "0"],
  { stdio: ["ignore", "ignore", "pipe"] });
const port = await new Promise((resolve, reject) => {
  let log = "";
  server.stderr.on("data", (d) => {
    log += d;
    const m = log.match(/127\.0\.0\.1:(\d+)/);
    if (m) resolve(+m[1]);
  });
  server.on("exit", () => reject(new Error("the server stopped: " + log)));
});
const base = `http://127.0.0.1:${port}/`;

const browser = await puppeteer.launch({
  executablePath: chrome, headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
try {
  const page = await browser.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push("page error: " + e.message));
  page.on("console", (m) => { if (m.type() === "error") problems.push("console: " + m.text()); });
  page.on("dialog", async (d) => { problems.push("a script ran: " + d.message()); await d.dismiss(); });
  await page.setViewport({ width: 1200, height: 900 });
  await page.goto(base);

  // type: results as you type, ranked, marked
  await page.type("#q", "unilateral sanctions");
  await page.waitForSelector(".hit");
  const hits = await page.$$eval(".hit", (l) => l.length);
  check(hits === 10, `typing shows a page of hits (${hits})`);
  const marks = await page.$$eval(".hit:first-child .snippet mark", (l) => l.map((m) => m.textContent));
  check(marks.some((m) => /sanction/i.test(m)), `the first snippet marks the query words (${marks})`);
  check(new URL(page.url()).searchParams.get("q") === "unilateral sanctions", "the URL holds the query");
  if (shot) await page.screenshot({ path: shot });

  // a citation opens its passage in context
  await page.click(".hit:first-child .cite");
  await page.waitForSelector("#ctx[open]");
  const ctx = await page.$eval("#ctx-text", (e) => ({ text: e.textContent, marks: e.querySelectorAll("mark").length, shaded: e.querySelectorAll(".passage").length }));
  check(ctx.text.length > 100 && ctx.marks > 0 && ctx.shaded === 1,
    `the citation shows the passage in context (${ctx.text.length} chars, ${ctx.marks} marks)`);
  await page.click("#ctx-close");

  // a facet filters, and the URL keeps it
  await page.$eval("#q", (e) => { e.value = ""; });
  await page.type("#q", "Zakharova");
  await page.waitForFunction(() => document.querySelector("#f-source button") &&
    document.querySelector(".hit h3") && new URL(location.href).searchParams.get("q") === "Zakharova");
  const source = await page.$eval("#f-source button .v", (e) => e.textContent);
  await page.click("#f-source button");
  await page.waitForFunction((s) => new URL(location.href).searchParams.get("source") === s, {}, source);
  await page.waitForFunction(() => document.querySelector("#f-source button[aria-pressed=true]"));
  const sources = await page.$$eval(".hit .source", (l) => l.map((e) => e.textContent));
  check(sources.length > 0 && sources.every((s) => s === source), `the source facet filters (${source})`);
  const link = page.url();

  // the keyboard: / focuses the box, arrows move through hits
  await page.click("#status");
  await page.keyboard.press("/");
  check(await page.evaluate(() => document.activeElement.id === "q"), "/ focuses the search box");
  await page.keyboard.press("ArrowDown");
  check(await page.evaluate(() => document.activeElement.classList.contains("hit")), "ArrowDown moves to a hit");
  await page.keyboard.press("Enter");
  await page.waitForSelector("#ctx[open]");
  check(true, "Enter opens the hit's context");
  await page.click("#ctx-close");

  // a shared link shows the same search
  const other = await browser.newPage();
  await other.goto(link);
  await other.waitForSelector(".hit");
  check(await other.$eval("#q", (e) => e.value) === "Zakharova" &&
    await other.$("#f-source button[aria-pressed=true]") !== null, "a shared link restores the search and its facet");
  await other.close();

  // document text is text: the HTML in a title and a paragraph stays inert
  await page.goto(base + "?q=quarantine");
  await page.waitForSelector(".hit");
  const evil = await page.$eval("#hits", (e) => ({ imgs: e.querySelectorAll("img,script,b").length, text: e.textContent }));
  check(evil.imgs === 0 && evil.text.includes("<img src=x onerror=alert(1)>") && evil.text.includes("<script>"),
    "HTML in documents is shown as text, never run");

  // phone width: nothing wider than the screen
  await page.setViewport({ width: 375, height: 800 });
  await page.goto(base + "?q=unilateral+sanctions");
  await page.waitForSelector(".hit");
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  check(width <= 375, `readable at phone width (${width} px wide)`);

  check(problems.length === 0, "no script error and no CSP violation" + (problems.length ? ": " + problems.join("; ") : ""));
} finally {
  await browser.close();
  server.kill("SIGTERM");
  rmSync(work, { recursive: true, force: true });
}
console.log(failures ? `${failures} check(s) failed` : "search page: all checks passed");
process.exit(failures ? 1 : 0);
