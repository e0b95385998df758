// The "office application" of the browser tests: what a document system's
// page does with vbsig serve — pair, list the token's certificates, send a
// document to be signed, verify a document. Every call goes out with fetch
// from this page's own origin, so the browser's CORS and Local Network
// Access rules apply for real.
"use strict";
window.office = {
  shim: null,
  token: null,

  // One request; never throws: {status, body} or {error} when the browser
  // refused to hand over a response.
  async call(method, path, body, opts = {}) {
    const headers = {};
    if (opts.contentType !== null) headers["Content-Type"] = opts.contentType || "application/json";
    const token = opts.token === undefined ? this.token : opts.token;
    if (token) headers["Authorization"] = "Bearer " + token;
    if (opts.lang) headers["Accept-Language"] = opts.lang;
    const init = { method, headers };
    const raw = typeof body === "string" || body instanceof Uint8Array || body instanceof Blob;
    if (body !== undefined) init.body = raw ? body : JSON.stringify(body);
    try {
      const res = await fetch(this.shim + path, init);
      const text = await res.text();
      let parsed = text;
      try { parsed = JSON.parse(text); } catch (e) { /* not JSON */ }
      return { status: res.status, body: parsed };
    } catch (e) {
      return { error: String(e) };
    }
  },

  show(id, text) { document.getElementById(id).textContent = text; },

  // Pairing in two calls: the page shows the code between them, while the
  // user compares it with vbsig's dialog.
  async pair() {
    const started = await this.call("POST", "/v1/pair", {}, { token: null });
    if (started.status !== 202) return { step: "start", ...started };
    this.show("pair-code", started.body.code);
    const done = await this.call("POST", "/v1/pair", { pairing: started.body.pairing }, { token: null });
    if (done.status === 200) this.token = done.body.token;
    this.show("status", done.status === 200 ? "paired" : "not paired");
    return { step: "finish", code: document.getElementById("pair-code").textContent, ...done };
  },

  async certificates() { return this.call("GET", "/v1/certificates"); },

  async documentBase64(url) {
    const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
    let bin = "";
    for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(bin);
  },

  async sign(url, name, certificate, extra = {}) {
    const document = await this.documentBase64(url);
    return this.call("POST", "/v1/sign", { document, name, certificate, ...extra });
  },

  async verify(documentB64, name) { return this.call("POST", "/v1/verify", { document: documentB64, name }); },
};
