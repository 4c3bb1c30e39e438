/* Proof of work and voting for the public pages. No third-party service: the server gives a
   signed challenge; the browser finds a number whose SHA-256 with the challenge starts with
   the required zero bits, then sends both. */
(function () {
  "use strict";
  if (window.sayembaraPow) return;  // the script may be included twice on one page
  var K = new Uint32Array([
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2]);
  var W = new Uint32Array(64);

  function sha256(bytes) {  // bytes: array of 0..255; returns Uint32Array(8)
    var len = bytes.length, bitLen = len * 8;
    var total = ((len + 9 + 63) >> 6) << 6;
    var m = new Uint8Array(total);
    m.set(bytes); m[len] = 0x80;
    m[total - 4] = (bitLen >>> 24) & 255; m[total - 3] = (bitLen >>> 16) & 255;
    m[total - 2] = (bitLen >>> 8) & 255; m[total - 1] = bitLen & 255;
    var h0 = 0x6a09e667, h1 = 0xbb67ae85, h2 = 0x3c6ef372, h3 = 0xa54ff53a,
        h4 = 0x510e527f, h5 = 0x9b05688c, h6 = 0x1f83d9ab, h7 = 0x5be0cd19;
    for (var off = 0; off < total; off += 64) {
      for (var i = 0; i < 16; i++) {
        W[i] = (m[off + 4 * i] << 24) | (m[off + 4 * i + 1] << 16) | (m[off + 4 * i + 2] << 8) | m[off + 4 * i + 3];
      }
      for (i = 16; i < 64; i++) {
        var x = W[i - 15], y = W[i - 2];
        var s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
        var s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
        W[i] = (W[i - 16] + s0 + W[i - 7] + s1) | 0;
      }
      var a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7;
      for (i = 0; i < 64; i++) {
        var S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
        var ch = (e & f) ^ (~e & g);
        var t1 = (h + S1 + ch + K[i] + W[i]) | 0;
        var S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
        var mj = (a & b) ^ (a & c) ^ (b & c);
        var t2 = (S0 + mj) | 0;
        h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
      }
      h0 = (h0 + a) | 0; h1 = (h1 + b) | 0; h2 = (h2 + c) | 0; h3 = (h3 + d) | 0;
      h4 = (h4 + e) | 0; h5 = (h5 + f) | 0; h6 = (h6 + g) | 0; h7 = (h7 + h) | 0;
    }
    return new Uint32Array([h0, h1, h2, h3, h4, h5, h6, h7]);
  }

  function zeroBits(words) {
    var n = 0;
    for (var i = 0; i < 8; i++) {
      var w = words[i] >>> 0;
      if (w === 0) { n += 32; continue; }
      return n + Math.clz32(w);
    }
    return n;
  }

  function ascii(text) {
    var out = [];
    for (var i = 0; i < text.length; i++) out.push(text.charCodeAt(i) & 255);
    return out;
  }

  function solve(token, bits) {
    var prefix = ascii(token + ":");
    for (var counter = 0; ; counter++) {
      if (zeroBits(sha256(prefix.concat(ascii(String(counter))))) >= bits) return String(counter);
    }
  }

  function csrf() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function challenge(url, purpose) {
    return fetch(url + "?purpose=" + purpose, {credentials: "same-origin", cache: "no-store"})
      .then(function (r) { return r.json(); });
  }

  /* Forms with data-pow="purpose": fill pow_token and pow_solution, then submit. */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var purpose = form.getAttribute("data-pow");
    if (!purpose || form.dataset.solved === "1") return;
    event.preventDefault();
    var status = document.querySelector(form.getAttribute("data-status") || "#pow-status");
    if (status) status.textContent = form.getAttribute("data-working") || "…";
    Array.prototype.forEach.call(form.querySelectorAll("button"), function (b) { b.disabled = true; });
    challenge(form.getAttribute("data-challenge-url"), purpose).then(function (c) {
      form.querySelector("[name=pow_token]").value = c.token;
      form.querySelector("[name=pow_solution]").value = solve(c.token, c.bits);
      if (form.hasAttribute("data-json")) return sendJson(form, status);
      form.dataset.solved = "1";
      form.submit();
    }).catch(function () {
      if (status) status.textContent = form.getAttribute("data-failed") || "Error";
      Array.prototype.forEach.call(form.querySelectorAll("button"), function (b) { b.disabled = false; });
    });
  });

  function sendJson(form, status) {
    return fetch(form.action, {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: {"Accept": "application/json", "X-CSRFToken": csrf()}
    }).then(function (r) {
      return r.json().then(function (data) { return {ok: r.ok, data: data}; });
    }).then(function (result) {
      if (status) {
        status.textContent = result.data.message;
        status.className = "vote-status " + (result.ok ? "ok" : "bad");
      }
      var group = form.closest("[data-unit]");
      Array.prototype.forEach.call((group || form).querySelectorAll("button"), function (b) {
        b.disabled = result.ok;
      });
      if (!result.ok) {
        Array.prototype.forEach.call(form.querySelectorAll("button"), function (b) { b.disabled = false; });
      }
      if (result.ok) {
        var badge = document.createElement("span");
        badge.className = "badge ok";
        badge.textContent = form.getAttribute("data-voted") || "✓";
        form.replaceWith(badge);
      }
    });
  }

  window.sayembaraPow = {sha256: sha256, zeroBits: zeroBits, solve: solve};
})();
