/* Studies near me (home page, condition pages): sorts the study cards by the distance from a
   postcode or town to each study's nearest site. Progressive enhancement: without JavaScript
   the form is hidden (noscript.css) and the studies stay a plain list. The place is looked up
   in the site's own tables (assets/near/pc/021.json, assets/near/town/bo.json), written by the
   build; nothing is sent anywhere else or stored. Distances as sitegen/nearme.py computes them. */
(function () {
  "use strict";
  var form = document.getElementById("near");
  var list = document.getElementById("study-list");
  if (!form || !list || !window.fetch) return;
  var input = document.getElementById("near-place");
  var status = document.getElementById("near-status");
  var base = form.getAttribute("data-tables");
  var cards = Array.prototype.slice.call(list.children);
  /* a paged listing (listing.js): every study is loaded before the first sort */
  var listing = window.sitegenListing && window.sitegenListing.paged ? window.sitegenListing : null;
  list.addEventListener("listing-loaded", function () {
    cards = Array.prototype.slice.call(list.children);
    listing = null;
  });
  var EARTH_KM = 6371.0088;
  var cache = {};
  var asked = 0;

  function text(name, place) {
    return (form.getAttribute("data-" + name) || "").replace("{place}", place);
  }

  function say(message) {
    if (status.textContent !== message) status.textContent = message;
  }

  function normTown(s) {
    return s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^0-9a-z]+/g, " ").trim();
  }

  function normPostcode(s) {
    var m = /^(\d{5})(?:-\d{4})?$/.exec(s.trim());
    return m ? m[1] : s.toUpperCase().replace(/[^0-9A-Z]+/g, "");
  }

  function table(path) {
    if (!cache[path]) {
      cache[path] = fetch(base + path, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : {}; })
        .catch(function () { return {}; });
    }
    return cache[path];
  }

  /* -> Promise of {label, lat, lon} or null */
  function locate(raw) {
    var code = normPostcode(raw);
    var byCode = /\d/.test(raw) && /^[0-9A-Z]{3,10}$/.test(code)
      ? table("pc/" + code.slice(0, 3) + ".json").then(function (t) {
        var p = Object.prototype.hasOwnProperty.call(t, code) ? t[code] : null;
        return p ? { label: raw.trim(), lat: p[0], lon: p[1] } : null;
      })
      : Promise.resolve(null);
    return byCode.then(function (found) {
      if (found) return found;
      var parts = raw.split(",");
      var name = normTown(parts[0]);
      var qualifier = normTown(parts.slice(1).join(" "));
      var shard = name.replace(/ /g, "").slice(0, 2);
      if (!/^[0-9a-z]{1,2}$/.test(shard)) return null;
      return table("town/" + shard + ".json").then(function (t) {
        var entries = Object.prototype.hasOwnProperty.call(t, name) ? t[name] : [];
        for (var i = 0; i < entries.length; i++) {
          var e = entries[i];
          if (!qualifier || (" " + normTown(e[0]) + " ").indexOf(" " + qualifier + " ") !== -1) {
            return { label: e[0], lat: e[1], lon: e[2] };
          }
        }
        return null;
      });
    });
  }

  function rad(d) { return d * Math.PI / 180; }

  function km(lat1, lon1, lat2, lon2) {
    var h = Math.pow(Math.sin(rad(lat2 - lat1) / 2), 2) +
      Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.pow(Math.sin(rad(lon2 - lon1) / 2), 2);
    return 2 * EARTH_KM * Math.asin(Math.sqrt(Math.min(1, h)));
  }

  function nearest(card, here) {
    var best = null;
    (card.getAttribute("data-near") || "").split(";").forEach(function (pair) {
      var p = pair.split(",");
      if (p.length !== 2) return;
      var d = km(here.lat, here.lon, Number(p[0]), Number(p[1]));
      if (!isNaN(d) && (best === null || d < best)) best = d;
    });
    return best;
  }

  function label(card, d) {
    var el = card.querySelector(".near-distance");
    if (d === null) {
      if (el) el.remove();
      return;
    }
    if (!el) {
      el = document.createElement("p");
      el.className = "near-distance";
      card.appendChild(el);
    }
    var mi = Math.round(d / 1.609344);
    var miles = form.getAttribute(mi === 1 ? "data-miles-one" : "data-miles") || "";
    el.textContent = mi === 0 ? form.getAttribute("data-close") || "" :
      (form.getAttribute("data-distance") || "")
        .replace("{km}", String(Math.round(d))).replace("{miles}", miles.replace("{n}", String(mi)));
  }

  function sortBy(here) {
    var rows = cards.map(function (card, i) {
      var d = here ? nearest(card, here) : null;
      label(card, d);
      return { card: card, d: d, i: i };
    });
    rows.sort(function (a, b) {
      if (a.d === null || b.d === null) return (a.d === null) - (b.d === null) || a.i - b.i;
      return a.d - b.d || a.i - b.i;
    });
    rows.forEach(function (r) { list.appendChild(r.card); });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var raw = input.value.trim();
    if (!raw) {
      input.setAttribute("aria-invalid", "true");
      say(text("empty", ""));
      return;
    }
    var mine = ++asked;
    say(text("loading", raw));
    locate(raw).then(function (here) {
      if (mine !== asked) return; /* a newer search has started */
      if (!here) {
        input.setAttribute("aria-invalid", "true");
        say(text("unknown", raw));
        return;
      }
      input.removeAttribute("aria-invalid");
      if (listing) {
        listing.all(function () {
          if (mine !== asked) return;
          sortBy(here);
          say(text("from", here.label));
        });
        return;
      }
      sortBy(here);
      say(text("from", here.label));
    });
  });

  form.addEventListener("reset", function () {
    asked += 1;
    input.removeAttribute("aria-invalid");
    sortBy(null);
    say(text("reset-done", ""));
  });
})();
