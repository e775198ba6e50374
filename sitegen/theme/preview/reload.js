// sitegen preview only (never published): reload this tab when the preview is rebuilt, and
// say so at the top of the page when the preview cannot keep it up to date: a change the
// server cannot apply live (data-notices, from the server), or the server has stopped.
// Served by `sitegen serve` at /__sitegen/reload.js; an external file, so the page's
// Content-Security-Policy (script-src 'self'; connect-src 'self') allows it. Styles are set
// through the CSSOM, which that policy allows (no inline style attributes).
(function () {
  "use strict";
  var me = document.currentScript;
  var build = (me && me.getAttribute("data-build")) || "";
  var notices = [];
  try {
    notices = JSON.parse((me && me.getAttribute("data-notices")) || "[]");
  } catch (e) {
    notices = [];
  }

  function banner(id, lines) {
    var old = document.getElementById(id);
    if (old) {
      old.parentNode.removeChild(old);
    }
    if (!lines.length) {
      return;
    }
    var box = document.createElement("div");
    box.id = id;
    box.className = "sg-live-notice";
    box.setAttribute("role", "alert");
    var s = box.style;
    s.margin = "0";
    s.padding = "0.75rem 1.25rem";
    s.background = "#fbe4e4";
    s.color = "#4a0d0d";
    s.borderBottom = "3px solid #a21c1c";
    s.fontWeight = "600";
    lines.forEach(function (text) {
      var p = document.createElement("p");
      p.textContent = text;
      p.style.margin = "0.15rem auto";
      p.style.maxWidth = "72rem";
      box.appendChild(p);
    });
    document.body.insertBefore(box, document.body.firstChild);
  }

  function show() {
    banner("sg-live-notices", notices.map(function (text) {
      return "Not shown live: " + text + ".";
    }));
  }
  if (document.body) {
    show();
  } else {
    document.addEventListener("DOMContentLoaded", show);
  }
  if (!window.EventSource) {
    return;
  }
  var source = new EventSource("/__sitegen/events?since=" + encodeURIComponent(build));
  source.addEventListener("reload", function () {
    source.close();
    window.location.reload();
  });
  source.addEventListener("open", function () {
    banner("sg-live-stopped", []);
  });
  source.addEventListener("error", function () {
    banner("sg-live-stopped", [
      "The preview server is not answering: this page is not updated when you save a file. " +
      "Start sitegen serve again (it reloads this page by itself when it is back)."
    ]);
  });
})();
