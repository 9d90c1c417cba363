/**
 * The choices' script, a same-origin file (the CSP allows no inline code). Everything works
 * without it: each choice is a form, and the page comes back with the card rendered for it. With
 * it, the card preview follows a look, size or wording as soon as it is picked (the server renders
 * `/p/<token>/preview/<size>?theme=…&wording=…` for the choice being tried), the post shows how
 * many characters are left, and publishing warns while the post has unsaved changes.
 */
export const CHOICES_SCRIPT_PATH = "/preview-assets/choices.js";

export const CHOICES_SCRIPT = `"use strict";
(function () {
  var img = document.querySelector("img[data-card-preview]");
  var look = document.querySelector("form[data-look-form]");
  var wording = document.querySelector("form[data-wording-form]");
  var sizes = { linkedin: [1200, 627], square: [1080, 1080], story: [1080, 1920] };
  function checked(form, name) {
    var input = form && form.querySelector("input[name='" + name + "']:checked");
    return input ? input.value : null;
  }
  function refresh() {
    if (!img) return;
    var size = checked(look, "firstCardSize") || "linkedin";
    var query = "?v=" + encodeURIComponent(img.getAttribute("data-version") || "");
    var theme = checked(look, "theme");
    if (theme) query += "&theme=" + encodeURIComponent(theme);
    var pick = checked(wording, "wording");
    if (pick && pick !== "current") query += "&wording=" + encodeURIComponent(pick);
    var src = img.getAttribute("data-card-preview") + "/" + size + query;
    if (img.getAttribute("src") === src) return;
    img.style.opacity = "0.5";
    img.setAttribute("aria-busy", "true");
    img.onload = img.onerror = function () { img.style.opacity = ""; img.removeAttribute("aria-busy"); };
    if (sizes[size]) { img.width = sizes[size][0]; img.height = sizes[size][1]; }
    img.setAttribute("src", src);
  }
  if (look) look.addEventListener("change", refresh);
  if (wording) wording.addEventListener("change", refresh);

  var post = document.getElementById("post-text");
  var counter = document.querySelector("[data-post-counter]");
  var publish = document.querySelector("form[action*='/publish'] button[type=submit]:not(.secondary)");
  var warning = null;
  function count() {
    if (!post) return;
    var used = Array.from(post.value).length;
    var max = Number(post.getAttribute("maxlength")) || 700;
    if (counter) {
      counter.textContent = counter.getAttribute("data-post-counter").replace("#", String(used));
      counter.classList.toggle("over", used > max);
    }
    var dirty = post.value !== post.getAttribute("data-saved");
    if (publish && post.getAttribute("data-unsaved")) {
      if (dirty && !warning) {
        warning = document.createElement("p");
        warning.className = "field-error";
        warning.setAttribute("role", "status");
        warning.textContent = post.getAttribute("data-unsaved");
        publish.parentNode.insertBefore(warning, publish);
      } else if (!dirty && warning) {
        warning.remove();
        warning = null;
      }
    }
  }
  if (post) { post.addEventListener("input", count); count(); }
})();
`;
