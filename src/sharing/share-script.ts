/**
 * The share page's only script, served same-origin at SHARE_SCRIPT_PATH so the CSP stays
 * `script-src 'self'` with no inline script. Elements with `data-copy` copy that text to the
 * clipboard when clicked (the LinkedIn button copies the post and still opens LinkedIn), and the
 * `[data-copy-status]` live region says so. Without JavaScript the text stays visible to copy by hand.
 */
export const SHARE_SCRIPT_PATH = "/sharing/share.js";

export const SHARE_SCRIPT = `(function () {
  "use strict";
  var status = document.querySelector("[data-copy-status]");
  function say(text) {
    if (!status) return;
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 30);
  }
  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok ? Promise.resolve() : Promise.reject(new Error("copy failed"));
  }
  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return fallbackCopy(text); });
    }
    return fallbackCopy(text);
  }
  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target.closest("[data-copy]") : null;
    if (!target) return;
    var text = target.getAttribute("data-copy") || "";
    var done = target.getAttribute("data-copied") || "Copied";
    if (target.tagName === "BUTTON") event.preventDefault();
    copy(text).then(function () {
      target.setAttribute("data-copy-state", "copied");
      say(done);
    }, function () {
      target.setAttribute("data-copy-state", "failed");
    });
  });
})();
`;
