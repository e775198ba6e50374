// sitegen preview only (never published): reload this tab when the preview is rebuilt.
// Served by `sitegen serve` at /__sitegen/reload.js; an external file, so the page's
// Content-Security-Policy (script-src 'self'; connect-src 'self') allows it.
(function () {
  "use strict";
  var me = document.currentScript;
  var build = (me && me.getAttribute("data-build")) || "";
  if (!window.EventSource) {
    return;
  }
  var source = new EventSource("/__sitegen/events?since=" + encodeURIComponent(build));
  source.addEventListener("reload", function () {
    source.close();
    window.location.reload();
  });
})();
