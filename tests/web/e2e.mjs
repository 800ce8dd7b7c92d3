// End-to-end test of the reviewer web pages in Debian's headless Chromium (playwright-core driving
// /usr/bin/chromium). Starts `clee-intake serve` on a fresh data folder filled by
// `clee-intake ingest` from committed fixture packets, then: signs in, opens a ready packet,
// approves it and finds its CLEE ID in the queue, the catalog and the CSV; checks that a POST
// without (or with a wrong) CSRF token is refused, and one from another origin, and a page under
// another host name (DNS rebinding); opens a packet whose fields carry <script> and
// checks the text shows and nothing runs; saves screenshots (path printed).
//
// Usage: node e2e.mjs  with CLEE_BINARY (built clee-intake), CLEE_SOURCE_DIR (repo root) and
// optionally WEB_SCREENSHOTS (folder; default <binary's folder>/web-screenshots).
// Exit 0 pass, 1 fail, 77 skipped (no Chromium on this machine — printed loudly).
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const binary = process.env.CLEE_BINARY;
const source = process.env.CLEE_SOURCE_DIR;
if (!binary || !source) {
  console.error("e2e: set CLEE_BINARY and CLEE_SOURCE_DIR");
  process.exit(2);
}
if (!fs.existsSync(CHROMIUM)) {
  console.error(`\n*** SKIPPED: ${CHROMIUM} is not installed; the browser test did NOT run. ` +
                `Install it with: apt-get install chromium (scripts/install-deps.sh does). ***\n`);
  process.exit(77);
}
let chromium;
try {
  ({ chromium } = await import("playwright-core"));
} catch (e) {
  console.error("e2e: playwright-core is not installed: run `npm ci` in tests/web (scripts/install-deps.sh does)");
  process.exit(1);
}

const shots = process.env.WEB_SCREENSHOTS || path.join(path.dirname(path.resolve(binary)), "web-screenshots");
fs.mkdirSync(shots, { recursive: true });
const work = fs.mkdtempSync(path.join(os.tmpdir(), "clee-web-e2e-"));
const data = path.join(work, "data");
let failures = 0;
let server, context;

function check(cond, what) {
  if (cond) console.log(`ok   ${what}`);
  else {
    failures++;
    console.log(`FAIL ${what}`);
  }
}

function run(args, input) {
  const r = spawnSync(binary, args, { input, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`clee-intake ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitUp(base) {
  for (let i = 0; i < 200; i++) {
    try {
      const r = await fetch(`${base}/login`);
      if (r.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the server did not come up");
}

try {
  // Packets: a complete advanced one (ready), one missing a CV, a refresher, and one whose fields carry markup.
  const packets = {
    ready: path.join(source, "fixtures/packets/complete_advanced_pdf"),
    missing: path.join(source, "fixtures/packets/missing_cv"),
    refresher: path.join(source, "fixtures/packets/refresher_annual"),
    script: path.join(source, "tests/web/data/script_in_fields"),
  };
  const ids = {};
  for (const [key, dir] of Object.entries(packets)) {
    const line = run(["--data", data, "ingest", dir]).trim().split("\n").pop();
    ids[key] = line.split("\t")[0];
  }
  console.log("ingested", JSON.stringify(ids));

  const hash = run(["serve", "--hash-password"], "e2e passphrase\n").trim();
  const port = await freePort();
  const config = path.join(work, "clee.toml");
  fs.writeFileSync(config, `data_dir = "${data}"\n[web]\nlisten = "127.0.0.1:${port}"\n` +
                           `[[web.accounts]]\nname = "Dana Reyes"\npassword_hash = "${hash}"\n`);
  server = spawn(binary, ["--config", config, "serve"], { stdio: ["ignore", "inherit", "inherit"] });
  const base = `http://127.0.0.1:${port}`;
  await waitUp(base);

  context = await chromium.launchPersistentContext(path.join(work, "profile"), {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    viewport: { width: 1360, height: 900 },
  });
  const page = context.pages()[0] || (await context.newPage());
  let dialogs = 0;
  page.on("dialog", async (d) => {
    dialogs++;
    await d.dismiss();
  });
  const cspViolations = [];
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
  });

  // Not signed in: the queue sends us to the sign-in page.
  let resp = await page.goto(`${base}/queue`);
  check(new URL(page.url()).pathname === "/login", "unauthenticated /queue lands on /login");
  const csp = resp.headers()["content-security-policy"] || "";
  check(csp.includes("default-src 'none'") && csp.includes("frame-ancestors 'none'"), "CSP header present");
  check(resp.headers()["x-content-type-options"] === "nosniff", "nosniff header present");

  // A wrong password is refused; the right one signs in.
  await page.fill("input[name=user]", "Dana Reyes");
  await page.fill("input[name=password]", "wrong");
  await Promise.all([page.waitForLoadState(), page.click("button[type=submit]")]);
  check((await page.textContent("body")).includes("do not match"), "wrong password refused");
  await page.fill("input[name=user]", "Dana Reyes");
  await page.fill("input[name=password]", "e2e passphrase");
  await Promise.all([page.waitForURL(`${base}/queue`), page.click("button[type=submit]")]);
  check((await page.textContent("header")).includes("Dana Reyes"), "signed in as Dana Reyes");

  // The queue lists the ready packet first.
  const firstRow = await page.locator("table.queue tbody tr").first().textContent();
  check(firstRow.includes(ids.ready) || firstRow.includes(ids.script), "a ready packet heads the queue");
  await page.screenshot({ path: path.join(shots, "queue.png"), fullPage: true });

  // Open the ready packet and look at it.
  await Promise.all([page.waitForURL(`${base}/packets/${ids.ready}`), page.click(`a[href="/packets/${ids.ready}"]`)]);
  check(await page.locator("blockquote").count() > 0, "packet page quotes its evidence");
  check(await page.locator("form[action$='/approve']").count() === 1, "approve form shown");
  await page.screenshot({ path: path.join(shots, "packet.png"), fullPage: true });

  // An original downloads as an attachment with a safe name.
  const [download] = await Promise.all([page.waitForEvent("download"), page.click(`a[href="/packets/${ids.ready}/files/1"]`)]);
  const suggested = download.suggestedFilename();
  check(suggested.length > 0 && !suggested.includes("/"), `original downloads as "${suggested}"`);

  // Extracted text, page by page.
  await page.goto(`${base}/packets/${ids.ready}/documents/1`);
  check(await page.locator("pre.pagetext").count() >= 1, "extracted text shown page by page");
  await page.goto(`${base}/packets/${ids.ready}`);

  // Approve: the page shows the new CLEE ID and expiry.
  await Promise.all([page.waitForURL(`${base}/packets/${ids.ready}`), page.click("form[action$='/approve'] button")]);
  const cleeId = ((await page.textContent("#clee-id")) || "").trim();
  check(cleeId.length > 0, `approved with CLEE ID ${cleeId}`);
  check((await page.textContent(".outcome")).includes("Expires"), "approval shows the expiry");
  check((await page.textContent("ol.audit")).includes("Dana Reyes"), "audit history names the reviewer");
  await page.screenshot({ path: path.join(shots, "packet-approved.png"), fullPage: true });

  await page.goto(`${base}/queue`);
  check((await page.textContent("table.queue")).includes(cleeId), "CLEE ID shown in the queue");
  await page.goto(`${base}/catalog`);
  check((await page.textContent("table.catalog")).includes(cleeId), "CLEE ID listed in the catalog");
  await page.screenshot({ path: path.join(shots, "catalog.png"), fullPage: true });
  const csv = await page.request.get(`${base}/catalog.csv`);
  check(csv.ok() && (await csv.text()).includes(cleeId), "CLEE ID in the catalog CSV");
  check((csv.headers()["content-disposition"] || "").startsWith("attachment"), "CSV is an attachment");

  // A POST without the CSRF token (or with a wrong one) is refused, and changes nothing.
  const noToken = await page.request.post(`${base}/packets/${ids.refresher}/reject`, { form: { reason: "forged" } });
  check(noToken.status() === 403, `POST without CSRF token refused (${noToken.status()})`);
  const badToken = await page.request.post(`${base}/packets/${ids.refresher}/reject`,
                                           { form: { reason: "forged", _csrf: "0".repeat(64) } });
  check(badToken.status() === 403, `POST with a wrong CSRF token refused (${badToken.status()})`);
  await page.goto(`${base}/packets/${ids.refresher}`);
  check(!(await page.textContent(".packethead")).includes("Rejected"), "the forged rejection changed nothing");

  // Request information: the page shows the email it prepared.
  await page.goto(`${base}/packets/${ids.missing}`);
  await Promise.all([page.waitForURL(`${base}/packets/${ids.missing}`), page.click("form[action$='/request-info'] button")]);
  const email = (await page.textContent("pre.email")) || "";
  check(/Subject:/i.test(email) && email.includes("To:"), "request-information shows the prepared email");

  // A packet whose fields carry <script>: the text shows, nothing runs.
  await page.goto(`${base}/packets/${ids.script}`);
  const text = await page.textContent("article.summary");
  check(text.includes("<script>window.__pwned=1"), "the <script> text is shown as text");
  check(await page.evaluate(() => typeof window.__pwned === "undefined"), "window.__pwned is undefined");
  check(await page.locator("article.summary script, article.summary img").count() === 0, "no script/img element made from fields");
  await page.goto(`${base}/packets/${ids.script}/documents/1?page=0`);
  check(await page.evaluate(() => typeof window.__pwned === "undefined"), "document text page runs nothing");
  await page.goto(`${base}/queue`);
  check(await page.evaluate(() => typeof window.__pwned === "undefined"), "queue page runs nothing");
  check(dialogs === 0, "no dialog fired");
  check(cspViolations.length === 0, `no CSP violation on our own pages (${cspViolations.length})`);
  await page.goto(`${base}/packets/${ids.script}`);
  await page.screenshot({ path: path.join(shots, "packet-script-fields.png"), fullPage: true });

  // A form on another origin cannot act for the signed-in reviewer: an opaque (data:) page sends
  // "Origin: null", refused before anything else is looked at.
  const forged = page.waitForResponse((r) => r.url() === `${base}/logout`);
  await page.goto(`data:text/html,<form method=post action="${base}/logout"><input name=_csrf value=x></form>` +
                  `<script>document.forms[0].submit()</script>`);
  check((await forged).status() === 403, `cross-origin form post refused (${(await forged).status()})`);
  await page.goto(`${base}/queue`);
  check(new URL(page.url()).pathname === "/queue", "still signed in after the forged post");

  // DNS rebinding: another name that reaches this server (Chromium sends *.localhost to loopback)
  // is not served.
  const rebound = await page.goto(`http://rebind.localhost:${port}/queue`);
  check(rebound.status() === 421, `a page under another host name is refused (${rebound.status()})`);
  await page.goto(`${base}/queue`);

  // Sign out: the session is gone.
  await Promise.all([page.waitForURL(`${base}/login`), page.click("form.who button")]);
  await page.goto(`${base}/queue`);
  check(new URL(page.url()).pathname === "/login", "signed out");
  console.log(`screenshots: ${path.join(shots, "packet.png")} (and queue.png, packet-approved.png, catalog.png, packet-script-fields.png)`);
} catch (e) {
  failures++;
  console.log(`FAIL ${e.stack || e}`);
} finally {
  if (context) await context.close().catch(() => {});
  if (server) {
    server.kill("SIGTERM");
    await new Promise((r) => server.once("exit", r));
  }
  fs.rmSync(work, { recursive: true, force: true });
}
console.log(failures ? `${failures} check(s) failed` : "all browser checks passed");
process.exit(failures ? 1 : 0);
