/* Paged study listings (home and condition pages with more studies than one page lists):
   the study finder and "studies near me" must cover every study, not just this page's. The
   first time either is used, this loads the language's listing.json (every study's card as
   the listing shows it), puts every card in the list (only this condition's on a condition
   page) and hides the page links. Without JavaScript the page links lead through the list.
   Nothing is sent anywhere else or stored. */
(function () {
  "use strict";
  var list = document.getElementById("study-list");
  var source = list && list.getAttribute("data-index");
  var waiting = null;
  var loaded = false;

  function all(done) {
    if (!source || loaded) { done(); return; }
    if (waiting) { waiting.push(done); return; }
    waiting = [done];
    var url = new URL(source, document.baseURI);
    var level = list.getAttribute("data-card-level");
    var condition = list.getAttribute("data-condition");
    fetch(url.href, { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); })
      .then(function (data) {
        var box = document.createElement("template");
        var cards = [];
        data.cards.forEach(function (html) {
          box.innerHTML = html.trim();
          var card = box.content.firstElementChild;
          if (!card) return;
          if (condition && (card.getAttribute("data-conditions") || "").indexOf("|" + condition + "|") === -1) return;
          Array.prototype.forEach.call(card.querySelectorAll("a[href]"), function (a) {
            a.setAttribute("href", new URL(a.getAttribute("href"), url).href);
          });
          var title = card.querySelector(".card-title");
          if (level && title && title.tagName !== "H" + level) {
            var h = document.createElement("h" + level);
            h.className = title.className;
            while (title.firstChild) h.appendChild(title.firstChild);
            title.parentNode.replaceChild(h, title);
          }
          cards.push(card);
        });
        list.textContent = "";
        cards.forEach(function (card) { list.appendChild(card); });
        var pager = document.querySelector("nav.pager");
        if (pager) pager.hidden = true;
        loaded = true;
        list.dispatchEvent(new Event("listing-loaded"));
      })
      .catch(function () { /* the page's own studies stay; the page links still work */ })
      .then(function () {
        var calls = waiting;
        waiting = null;
        calls.forEach(function (f) { f(loaded); });
      });
  }

  /* listing.all(done): every card is in the list (or could not be loaded) when done runs;
     the list fires "listing-loaded" when the cards change */
  window.sitegenListing = { all: all, paged: !!source };
})();
