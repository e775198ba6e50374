/* Study finder on the home page: filters the study cards in place.
   Progressive enhancement: without JavaScript every study is listed and the form is hidden
   (noscript.css). Reads each card's data- attributes; announces the number of studies shown
   in the form's role="status" region. Nothing is sent or stored. */
(function () {
  "use strict";
  var form = document.getElementById("finder");
  var list = document.getElementById("study-list");
  if (!form || !list) return;
  var cards = Array.prototype.slice.call(list.querySelectorAll("li[data-status]"));
  /* a paged listing (listing.js): every study is loaded the first time a filter is set */
  var listing = window.sitegenListing && window.sitegenListing.paged ? window.sitegenListing : null;
  var total = Number(list.getAttribute("data-total")) || cards.length;
  var count = document.getElementById("finder-count");
  var none = document.getElementById("finder-none");
  var template = form.getAttribute("data-count") || "{shown} / {total}";
  var timer = null;

  function field(id) {
    var el = document.getElementById(id);
    return el ? el.value : "";
  }

  function has(list, value) {
    return (list || "").indexOf("|" + value + "|") !== -1;
  }

  function matches(card, f) {
    var d = card.dataset;
    if (f.condition && !has(d.conditions, f.condition)) return false;
    if (f.status && d.status !== f.status) return false;
    if (f.place && !has(d.places, f.place)) return false;
    if (f.healthy && d.healthy !== "yes") return false;
    if (f.age !== null) {
      if (d.ageMin !== "" && f.age < Math.floor(Number(d.ageMin))) return false;
      if (d.ageMax !== "" && f.age > Number(d.ageMax)) return false;
    }
    return true;
  }

  function apply() {
    var ageInput = document.getElementById("f-age");
    var rawAge = field("f-age").trim();
    var age = /^\d{1,3}$/.test(rawAge) ? Number(rawAge) : null;
    /* an age outside the input's own min..max is a typing slip: say so, do not filter on it */
    if (age !== null && ageInput &&
        (age < Number(ageInput.min || 0) || age > Number(ageInput.max || 120))) age = null;
    var invalid = rawAge !== "" && age === null;
    var ageError = document.getElementById("f-age-error");
    if (ageError) ageError.hidden = !invalid;
    if (ageInput) {
      if (invalid) ageInput.setAttribute("aria-invalid", "true");
      else ageInput.removeAttribute("aria-invalid");
    }
    var healthy = document.getElementById("f-healthy");
    var f = {
      condition: field("f-condition"),
      status: field("f-status"),
      place: field("f-place"),
      healthy: healthy ? healthy.checked : false,
      age: age
    };
    var active = f.condition || f.status || f.place || f.healthy || f.age !== null;
    if (listing && active) {
      var first = listing;
      listing = null;
      first.all(apply);
      return;
    }
    var shown = 0;
    cards.forEach(function (card) {
      var ok = matches(card, f);
      card.hidden = !ok;
      if (ok) shown += 1;
    });
    if (none) none.hidden = shown !== 0;
    var text = template.replace("{shown}", String(listing ? total : shown)).replace("{total}", String(total));
    if (count.textContent !== text) count.textContent = text;
  }

  function later() {
    /* typing "45" should announce once, not after "4" and again after "45" */
    window.clearTimeout(timer);
    timer = window.setTimeout(apply, 400);
  }

  list.addEventListener("listing-loaded", function () {
    cards = Array.prototype.slice.call(list.querySelectorAll("li[data-status]"));
    total = cards.length;
    listing = null;
    apply();
  });
  form.addEventListener("change", apply);
  form.addEventListener("input", later);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    apply();
  });
  form.addEventListener("reset", function () {
    window.setTimeout(apply, 0);
  });
  /* a browser may restore the choices when someone comes back to the page */
  apply();
})();
