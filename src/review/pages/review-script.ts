/**
 * The review pages' only script, served as a same-origin file so the CSP keeps `script-src 'self'`
 * with no inline code. Everything works without it: it adds a live character count (the server
 * prints the count on every render), a "select all clean drafts" box, a "copy link" button for the
 * customer's preview link, and moves focus to an error.
 */
export const REVIEW_SCRIPT = `"use strict";
(function () {
  function hashtags(text) { var m = text.match(/#[\\p{L}\\p{N}_]+/gu); return m ? m.length : 0; }
  document.querySelectorAll("[data-counter-for]").forEach(function (counter) {
    var input = document.getElementById(counter.getAttribute("data-counter-for"));
    var max = Number(counter.getAttribute("data-max"));
    var count = counter.querySelector("[data-count]");
    var over = counter.querySelector("[data-over]");
    var tags = counter.querySelector("[data-hashtags]");
    var live = counter.querySelector("[data-count-live]");
    var timer = null;
    if (!input || !count) return;
    function update() {
      var length = input.value.length;
      count.textContent = String(length);
      if (over) over.textContent = length > max ? " (" + (length - max) + " over the limit)" : "";
      if (tags) tags.textContent = String(hashtags(input.value));
      if (live) {
        clearTimeout(timer);
        timer = setTimeout(function () {
          live.textContent = length > max
            ? (length - max) + " characters over the limit of " + max
            : (max - length) + " characters left";
        }, 800);
      }
    }
    input.addEventListener("input", update);
  });
  var all = document.getElementById("select-all");
  var boxes = document.querySelectorAll("input[data-bulk]");
  if (all && boxes.length > 0) {
    all.hidden = false;
    all.addEventListener("change", function () {
      boxes.forEach(function (box) { box.checked = all.checked; });
    });
  }
  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    var source = document.getElementById(button.getAttribute("data-copy-target"));
    if (!source) return;
    source.addEventListener("focus", function () { source.select(); });
    if (!navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.value).then(
        function () { button.textContent = "Copied"; },
        function () { source.focus(); }
      );
    });
  });
  var problem = document.querySelector("[data-autofocus]");
  if (problem) problem.focus();
})();
`;
