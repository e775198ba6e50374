/* Site search page: loads Pagefind's UI from this site (pagefind/pagefind-ui.js and .css,
   written by the build; never a CDN) into #search and runs the query from ?q=.
   Pagefind fetches its index with HTTP, so a page opened as a file (file://) shows a note
   instead. Without JavaScript, noscript.css hides the search area and a note is shown. */
(function () {
  "use strict";
  var box = document.getElementById("search");
  if (!box) return;
  if (window.location.protocol === "file:") {
    var note = document.getElementById("search-file-note");
    if (note) note.hidden = false;
    box.hidden = true;
    return;
  }
  var bundle = box.getAttribute("data-bundle") || "/pagefind/";
  var css = document.createElement("link");
  css.rel = "stylesheet";
  css.href = bundle + "pagefind-ui.css";
  document.head.appendChild(css);
  var script = document.createElement("script");
  script.src = bundle + "pagefind-ui.js";
  script.onload = function () {
    /* global PagefindUI */
    var ui = new PagefindUI({
      element: "#search",
      bundlePath: bundle,
      baseUrl: box.getAttribute("data-base-url") || "/",
      showSubResults: true,
      showImages: false,
      autofocus: !new URLSearchParams(window.location.search).get("q")
    });
    var query = new URLSearchParams(window.location.search).get("q");
    if (query) ui.triggerSearch(query);
  };
  document.head.appendChild(script);
})();
