/**
 * The preview page's only script, a same-origin file (the CSP allows no inline code). While the
 * copy and card are being re-made without the numbers the customer hid, it asks the server every
 * two seconds whether they are ready and then reloads the page, which shows the new text and card.
 * Without it the page says to reload, and publishing is refused until they are ready anyway.
 */
export const CUSTOMER_SCRIPT_PATH = "/preview-assets/customer.js";

export const CUSTOMER_SCRIPT = `"use strict";
(function () {
  var box = document.querySelector("[data-updating-status]");
  if (!box) return;
  var url = box.getAttribute("data-updating-status");
  function check() {
    fetch(url, { cache: "no-store", credentials: "omit" })
      .then(function (response) { return response.ok ? response.json() : { updating: true }; })
      .then(function (status) {
        if (status.updating) { setTimeout(check, 2000); return; }
        // The language the customer chose stays chosen after the reload.
        var lang = new URLSearchParams(window.location.search).get("lang");
        var query = "?done=updated" + (lang ? "&lang=" + encodeURIComponent(lang) : "");
        window.location.replace(window.location.pathname + query);
      })
      .catch(function () { setTimeout(check, 5000); });
  }
  setTimeout(check, 2000);
})();
`;
