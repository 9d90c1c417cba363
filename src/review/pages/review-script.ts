/**
 * The review pages' only script, served as a same-origin file so the CSP keeps `script-src 'self'`
 * with no inline code. Everything works without it: it adds a live character count (the server
 * prints the count on every render), a "select all clean drafts" box, a "copy link" button for the
 * customer's preview link, the queue's keyboard shortcuts, and moves focus to an error.
 *
 * Shortcuts (queue only): j/k next/previous row, o open it, a approve it when it is a clean draft
 * (through the bulk form, so the server checks it exactly as a ticked box). They are plain letters,
 * so they never fire while typing in a field, and a switch on the page turns them off (WCAG 2.1.4).
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
  var rows = Array.prototype.slice.call(document.querySelectorAll("table[data-queue] tbody tr"));
  var switcher = document.getElementById("shortcuts-on");
  if (rows.length > 0 && switcher) {
    var stored = null;
    try { stored = localStorage.getItem("review-shortcuts"); } catch (e) {}
    switcher.checked = stored !== "off";
    switcher.closest("[data-shortcuts]").hidden = false;
    switcher.addEventListener("change", function () {
      try { localStorage.setItem("review-shortcuts", switcher.checked ? "on" : "off"); } catch (e) {}
    });
    var current = function () {
      return rows.findIndex(function (row) { return row.contains(document.activeElement); });
    };
    var go = function (index) {
      var row = rows[Math.max(0, Math.min(rows.length - 1, index))];
      var link = row && row.querySelector("a[href]");
      if (link) { link.focus(); row.scrollIntoView({ block: "nearest" }); }
    };
    document.addEventListener("keydown", function (event) {
      if (!switcher.checked || event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) return;
      var target = event.target;
      if (target && (target.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName))) return;
      var at = current();
      if (event.key === "j") { go(at + 1); event.preventDefault(); }
      else if (event.key === "k") { go(at < 0 ? 0 : at - 1); event.preventDefault(); }
      else if (event.key === "o" && at >= 0) {
        var open = rows[at].querySelector("a[href]");
        if (open) { event.preventDefault(); window.location.href = open.href; }
      } else if (event.key === "a" && at >= 0) {
        event.preventDefault();
        var box = rows[at].querySelector("input[data-bulk]");
        var say = document.getElementById("shortcut-status");
        if (!box) { if (say) say.textContent = "Only a clean draft can be approved from the queue."; return; }
        document.querySelectorAll("input[data-bulk]").forEach(function (other) { other.checked = other === box; });
        box.form.requestSubmit();
      }
    });
  }
  var problem = document.querySelector("[data-autofocus]");
  if (problem) problem.focus();
})();
`;
