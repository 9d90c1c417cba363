/**
 * The share page's only script, served same-origin at SHARE_SCRIPT_PATH so the CSP stays
 * `script-src 'self'` with no inline script. It turns the page's stacked slides into a story:
 * one slide at a time, paged by tapping (left third back, the rest forward), swiping, the
 * buttons, and the keys (arrows, space, Page Up/Down, Home, End). It never advances by itself
 * (WCAG 2.2.2: nothing moves on a timer), and motion follows `prefers-reduced-motion` in the CSS.
 * Without it the slides stay readable one under the other.
 */
export const SHARE_SCRIPT_PATH = "/sharing/share.js";

export const SHARE_SCRIPT = `(function () {
  "use strict";
  var story = document.querySelector("[data-slide-label]");
  if (!story) return;
  var slides = Array.prototype.slice.call(story.querySelectorAll("[data-slide]"));
  if (slides.length < 2) return;
  var progress = story.querySelector(".progress");
  var controls = story.querySelector(".controls");
  var bars = progress ? Array.prototype.slice.call(progress.children) : [];
  var previous = story.querySelector("[data-story=previous]");
  var next = story.querySelector("[data-story=next]");
  var status = story.querySelector("[data-story-status]");
  var template = story.getAttribute("data-slide-label") || "{current}/{total}";
  var current = -1;

  function show(index, announce) {
    index = Math.max(0, Math.min(slides.length - 1, index));
    if (index === current) return;
    current = index;
    slides.forEach(function (slide, i) {
      slide.classList.toggle("is-current", i === index);
      slide.classList.toggle("is-before", i < index);
      if (i === index) { slide.removeAttribute("aria-hidden"); slide.inert = false; }
      else { slide.setAttribute("aria-hidden", "true"); slide.inert = true; }
    });
    bars.forEach(function (bar, i) { bar.classList.toggle("done", i <= index); });
    var style = window.getComputedStyle(slides[index]);
    story.style.setProperty("--now-ink", style.getPropertyValue("--ink"));
    story.style.setProperty("--now-bg", style.getPropertyValue("--bg"));
    if (previous) previous.disabled = index === 0;
    if (next) next.disabled = index === slides.length - 1;
    story.setAttribute("data-current", String(index + 1));
    if (announce && status) status.textContent = template.replace("{current}", String(index + 1)).replace("{total}", String(slides.length));
    if (window.history && window.history.replaceState) window.history.replaceState(null, "", "#slide-" + (index + 1));
  }
  function step(delta) { show(current + delta, true); }

  document.documentElement.classList.add("story-on");
  if (progress) progress.hidden = false;
  if (controls) controls.hidden = false;
  var start = /^#slide-(\\d+)$/.exec(window.location.hash);
  show(start ? Number(start[1]) - 1 : 0, false);

  if (previous) previous.addEventListener("click", function () { step(-1); });
  if (next) next.addEventListener("click", function () { step(1); });

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var onButton = event.target instanceof Element && event.target.closest("button, a, input, textarea, select");
    switch (event.key) {
      case "ArrowRight": case "ArrowDown": case "PageDown": step(1); break;
      case "ArrowLeft": case "ArrowUp": case "PageUp": step(-1); break;
      case " ": case "Spacebar":
        if (onButton) return;
        step(event.shiftKey ? -1 : 1); break;
      case "Home": show(0, true); break;
      case "End": show(slides.length - 1, true); break;
      default: return;
    }
    event.preventDefault();
  });

  // Swipes and taps come as pointer events (touch-action: pan-y leaves horizontal moves to us).
  // A tap is judged on pointerup rather than click: Chromium drops the click of a tap that
  // follows a swipe too closely, and a click would come after a text selection as well.
  var down = null;
  story.addEventListener("pointerdown", function (event) {
    if (!event.isPrimary || event.button > 0) return;
    var target = event.target instanceof Element ? event.target : null;
    down = { x: event.clientX, y: event.clientY, onControl: !!(target && target.closest("a, button, .controls")) };
  });
  story.addEventListener("pointerup", function (event) {
    if (!down || !event.isPrimary) return;
    var dx = event.clientX - down.x;
    var dy = event.clientY - down.y;
    var onControl = down.onControl;
    down = null;
    if (Math.abs(dx) > 40 && Math.abs(dx) > Math.abs(dy) * 1.2) step(dx < 0 ? 1 : -1);
    else if (!onControl && Math.abs(dx) < 10 && Math.abs(dy) < 10) {
      if (window.getSelection && String(window.getSelection()).length > 0) return;
      step(event.clientX < window.innerWidth / 3 ? -1 : 1);
    }
  });
  story.addEventListener("pointercancel", function () { down = null; });
})();
`;
