// Drives Debian's Chromium with playwright-core through one scenario of the
// vbsig serve browser test and prints its outcome as one JSON line; the
// shell test (tests/serve/test_serve_browser.sh) checks the outcome against
// what vbsig serve, the scripted pinentry and the audit log saw.
// Usage: node e2e.js SCENARIO CONFIG.json
"use strict";
const fs = require("fs");
const path = require("path");
const npmDir = process.env.VBSIG_NPM_DIR || "/var/cache/vbsig/npm";
const { chromium } = require(path.join(npmDir, "node_modules", "playwright-core"));

const [scenario, configPath] = process.argv.slice(2);
const cfg = JSON.parse(fs.readFileSync(configPath, "utf8"));

async function openPage(browser, origin, grant) {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  if (grant) await context.grantPermissions(["local-network-access"], { origin });
  const page = await context.newPage();
  await page.goto(origin + "/office.html");
  await page.evaluate(([shim, token]) => { office.shim = shim; office.token = token; }, [cfg.shim, cfg.token || null]);
  return page;
}

const scenarios = {
  // The allowed https origin, permission granted: pair.
  async pair(b) {
    const page = await openPage(b, cfg.allowed, true);
    return page.evaluate(() => office.pair());
  },
  async certificates(b) {
    const page = await openPage(b, cfg.allowed, true);
    return page.evaluate(() => office.certificates());
  },
  // Sign the page's own document on the token, keep the result, verify it.
  async sign(b) {
    const page = await openPage(b, cfg.allowed, true);
    const r = await page.evaluate(([cert, extra]) => office.sign("/doc.pdf", "cong-van-15.pdf", cert, extra),
                                  [cfg.certificate, cfg.signOptions || {}]);
    if (r.status === 200 && r.body.document) {
      fs.writeFileSync(path.join(cfg.outDir, "signed.pdf"), Buffer.from(r.body.document, "base64"));
      const v = await page.evaluate((doc) => office.verify(doc, "cong-van-15.pdf"), r.body.document);
      return { status: r.status, format: r.body.format, verify: v };
    }
    return r;
  },
  // Not on the allowlist, though the user granted local network access: a
  // simple GET and a text/plain POST (no preflight) reach the service.
  async foreign(b) {
    const page = await openPage(b, cfg.foreign, true);
    const get = await page.evaluate(() => office.certificates());
    const post = await page.evaluate(() => office.call("POST", "/v1/sign", JSON.stringify({ document: "JVBERi0=" }),
                                                       { contentType: "text/plain", token: null }));
    const pair = await page.evaluate(() => office.call("POST", "/v1/pair", {}, { token: null }));
    return { get, post, pair };
  },
  async notoken(b) {
    const page = await openPage(b, cfg.allowed, true);
    return page.evaluate(() => office.call("POST", "/v1/sign", { document: "JVBERi0=" }, { token: null }));
  },
  // A wrong token, asked in Vietnamese (the page's Accept-Language).
  async wrongtoken(b) {
    const page = await openPage(b, cfg.allowed, true);
    return page.evaluate(() => office.call("GET", "/v1/certificates", undefined, { token: "00".repeat(32), lang: "vi" }));
  },
  async textplain(b) {
    const page = await openPage(b, cfg.allowed, true);
    return page.evaluate(() => office.call("POST", "/v1/sign", JSON.stringify({ document: "JVBERi0=" }),
                                           { contentType: "text/plain", token: null }));
  },
  // DNS rebinding: a name the attacker controls now points at 127.0.0.1,
  // so the browser talks to the service as that name's own origin.
  async rebind(b) {
    const context = await b.newContext();
    const page = await context.newPage();
    const res = await page.goto(cfg.rebind + "/v1/info");
    return { status: res.status(), body: await res.text() };
  },
  // A public page over plain http is not a secure context: the browser
  // blocks its request to loopback before sending it.
  async httppage(b) {
    const page = await openPage(b, cfg.http, false);
    return page.evaluate(() => office.certificates());
  },
  // 200 MB from the page. A 200 MB typed array crashes the renderer of a
  // small CI machine; a Blob of one 1 MB part repeated is held by the
  // browser process (on disk when large) and still sent with its full
  // Content-Length, which the service refuses before reading the body.
  async bigbody(b) {
    const page = await openPage(b, cfg.allowed, true);
    return page.evaluate(() => {
      const mib = new Uint8Array(1024 * 1024);
      return office.call("POST", "/v1/sign", new Blob(new Array(200).fill(mib), { type: "application/json" }));
    });
  },
};

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.VBSIG_CHROMIUM || "/usr/bin/chromium",
    headless: true,
    // Quiet and self-contained: no GPU, no QUIC, no first-run pages, no
    // updates or sync reaching out. playwright gives each launch a fresh
    // profile directory of its own (--user-data-dir in a temporary dir).
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--ignore-certificate-errors",
           "--host-resolver-rules=" + cfg.resolverRules,
           "--ip-address-space-overrides=" + cfg.publicAddresses],
  });
  try {
    const out = await scenarios[scenario](browser);
    process.stdout.write(JSON.stringify(out) + "\n");
  } finally {
    await browser.close();
  }
})().catch((e) => { console.error("e2e.js " + scenario + ": " + e); process.exit(2); });
