/* The anti-robot check and voting on the public pages. The check is ALTCHA's proof of work:
   each form with data-pow="purpose" holds an invisible <altcha-widget> (the vendored widget,
   altcha/altcha.min.js) that fetches a signed challenge from our server and solves it in a
   Web Worker (altcha/sha-worker.js). On submit this script asks the widget to solve, puts the
   payload in the form's "altcha" field and sends the form: the favourite vote as JSON (the
   row then shows "Your vote is recorded"), the other forms as a normal submit. No third-party
   service is involved. */
(function () {
  "use strict";
  if (window.sayembaraVote) return;  // the script may be included twice on one page
  var script = document.currentScript;
  var workerUrl = script && script.getAttribute("data-worker");

  function registerWorker() {
    var altcha = window.$altcha;
    if (!altcha || !workerUrl || altcha.algorithms.has("SHA-256")) return;
    altcha.algorithms.set("SHA-256", function () { return new Worker(workerUrl); });
  }

  function csrf() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function buttons(root, disabled) {
    Array.prototype.forEach.call(root.querySelectorAll("button"), function (b) { b.disabled = disabled; });
  }

  function solve(form) {
    registerWorker();
    var widget = form.querySelector("altcha-widget");
    if (!widget || typeof widget.verify !== "function") {
      return Promise.reject(new Error("The anti-robot widget did not load."));
    }
    widget.reset();
    return widget.verify().then(function (result) {
      if (!result || !result.payload) throw new Error("No payload.");
      // The widget keeps the payload in its own hidden "altcha" field, inside the form.
      var fields = form.querySelectorAll("input[name=altcha]");
      if (!fields.length) {
        var field = document.createElement("input");
        field.type = "hidden"; field.name = "altcha";
        form.appendChild(field);
        fields = [field];
      }
      Array.prototype.forEach.call(fields, function (input) { input.value = result.payload; });
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-pow") || form.dataset.solved === "1") return;
    event.preventDefault();
    var status = document.querySelector(form.getAttribute("data-status") || "#pow-status");
    if (status) status.textContent = form.getAttribute("data-working") || "…";
    buttons(form, true);
    solve(form).then(function () {
      if (form.hasAttribute("data-json")) return sendJson(form, status);
      form.dataset.solved = "1";
      form.submit();
    }).catch(function () {
      if (status) status.textContent = form.getAttribute("data-failed") || "Error";
      buttons(form, false);
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
      buttons(group || form, result.ok);
      if (!result.ok) buttons(form, false);
      if (result.ok) {
        var badge = document.createElement("span");
        badge.className = "badge ok";
        badge.textContent = form.getAttribute("data-voted") || "✓";
        form.replaceWith(badge);
      }
    });
  }

  window.sayembaraVote = {solve: solve};
})();
