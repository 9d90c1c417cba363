/**
 * The share hub's script, a same-origin file (the CSP allows no inline code). Without it every
 * channel is still a plain link and the post text and link sit in fields to copy by hand; with it:
 * - `[data-copy]` copies its text when clicked (the LinkedIn link copies the post and still opens
 *   LinkedIn), and only then does the status line say so and what to do next ("now paste it");
 * - the copy buttons, useless without a script, are shown;
 * - where the browser can share files (phones, mostly), the "share with another app" button is shown;
 *   it hands the card PNG, as a file, and the post to the system's share sheet. The card is fetched
 *   when the page loads: a share must start within the click, with no network wait before it.
 */
export const SHARE_HUB_SCRIPT_PATH = "/preview-assets/share-hub.js";

export const SHARE_HUB_SCRIPT = `"use strict";
(function () {
  var hub = document.querySelector("[data-share-hub]");
  if (!hub) return;
  var status = hub.querySelector("[data-copy-status]");
  function say(text, failed) {
    if (!status) return;
    status.classList.toggle("failed", !!failed);
    // Emptied first so a screen reader announces the same message again after a second click.
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
  hub.querySelectorAll("button[data-copy]").forEach(function (button) { button.hidden = false; });
  hub.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target.closest("[data-copy]") : null;
    if (!target) return;
    if (target.tagName === "BUTTON") event.preventDefault();
    copy(target.getAttribute("data-copy") || "").then(function () {
      target.setAttribute("data-copy-state", "copied");
      say(target.getAttribute("data-copied") || "", false);
    }, function () {
      target.setAttribute("data-copy-state", "failed");
      say(status ? status.getAttribute("data-failed") || "" : "", true);
    });
  });

  var share = hub.querySelector("[data-role=native-share]");
  if (!share || !navigator.share || !navigator.canShare || !window.File) return;
  var source = share.getAttribute("data-share-file");
  if (!source) return;
  fetch(source, { credentials: "omit" })
    .then(function (response) { if (!response.ok) throw new Error("no card"); return response.blob(); })
    .then(function (blob) {
      var file = new File([blob], share.getAttribute("data-share-name") || "recap.png", { type: "image/png" });
      var data = { files: [file], title: share.getAttribute("data-share-title") || "", text: share.getAttribute("data-share-text") || "" };
      if (!navigator.canShare({ files: [file] })) return;
      share.hidden = false;
      share.addEventListener("click", function () {
        navigator.share(data).catch(function (error) {
          // Cancelling the share sheet is not an error; some targets refuse text with files.
          if (error && error.name === "AbortError") return;
          navigator.share({ files: [file] }).catch(function () {});
        });
      });
    })
    .catch(function () {});
})();
`;
