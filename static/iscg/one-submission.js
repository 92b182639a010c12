/* One submission, one record (iscg/submissions.py).
 *
 * Every POST form of the page gets a token: a form sent twice with the same token is
 * acted on once by the server. While a form is on its way, its buttons are shown busy
 * and a second submit is ignored. The buttons are not disabled before the request
 * leaves: a disabled button's name and value ("Ajouter une situation") would not be sent.
 * Forms driven by htmx are left to htmx.
 */
(function () {
  "use strict";
  var FIELD = "_submission";
  var RELEASE_AFTER_MS = 15000; // a download answers without leaving the page

  function newToken() {
    if (window.crypto && window.crypto.randomUUID) {
      return window.crypto.randomUUID();
    }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  function isTracked(form) {
    return (form.getAttribute("method") || "").toLowerCase() === "post" &&
      !form.hasAttribute("hx-post") && !form.hasAttribute("data-hx-post");
  }

  function prepare(form) {
    if (!isTracked(form) || form.querySelector("input[name='" + FIELD + "']")) {
      return;
    }
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = FIELD;
    input.value = newToken();
    form.appendChild(input);
  }

  function buttons(form) {
    return form.querySelectorAll("button[type='submit'], button:not([type]), input[type='submit']");
  }

  function release(form) {
    delete form.dataset.submitting;
    buttons(form).forEach(function (button) {
      button.removeAttribute("aria-disabled");
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!isTracked(form)) {
      return;
    }
    if (form.dataset.submitting) {
      event.preventDefault();
      return;
    }
    prepare(form);
    form.dataset.submitting = "1";
    buttons(form).forEach(function (button) {
      button.setAttribute("aria-disabled", "true");
    });
    window.setTimeout(function () { release(form); }, RELEASE_AFTER_MS);
  }, true);

  function prepareAll() {
    document.querySelectorAll("form").forEach(prepare);
  }

  // A page restored from the back-forward cache: its forms may be sent again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-submitting]").forEach(release);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", prepareAll);
  } else {
    prepareAll();
  }
}());
