/* Site search page: sitegen's own static index (search-index/<lang>/, written by the build;
   format and query rules in docs/search.md). The page's #search element names the index
   folder (data-index) and carries the interface strings (data-strings, JSON). Everything is
   fetched from this site with fetch(); no third-party request, no CDN, no build step.
   The index is a page's input like any other: its text is shown with textContent only.
   A page opened as a file (file://) cannot fetch, so it shows a note instead. Without
   JavaScript, noscript.css hides the search area and a note is shown. */
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

  var PAGE = 10; // results shown at a time
  var MAX_WORD = 40; // longer words are not indexed
  var MAX_PREFIX_LEMMAS = 20;
  var EXCERPT_WORDS = 30;
  var DEBOUNCE_MS = 200;
  var LOADING_MS = 400; // "Searching..." only when a search takes this long

  var S = readStrings();
  var lang = document.documentElement.lang || "en";
  var indexUrl = new URL(box.getAttribute("data-index") || "search-index/", window.location.href);
  var siteRoot = new URL("../../", indexUrl);
  var WORD_RE, MARK_RE;
  try {
    WORD_RE = new RegExp("[\\p{L}\\p{N}\\p{M}]+", "gu");
    MARK_RE = new RegExp("\\p{Mn}", "gu");
  } catch (e) {
    WORD_RE = null; // a browser without Unicode property escapes: search says it cannot work
  }

  function readStrings() {
    try {
      var data = JSON.parse(box.getAttribute("data-strings") || "{}");
      return data && typeof data === "object" ? data : {};
    } catch (e) {
      return {};
    }
  }

  function str(key, params) {
    var text = typeof S[key] === "string" ? S[key] : "";
    Object.keys(params || {}).forEach(function (name) {
      text = text.split("{" + name + "}").join(String(params[name]));
    });
    return text;
  }

  function has(obj, key) {
    return Object.prototype.hasOwnProperty.call(obj, key);
  }

  /** A doc id as the build writes it (also what keeps d/<id>.json inside d/). */
  function isDocId(x) {
    return typeof x === "string" && /^[a-z2-7]{10}$/.test(x);
  }

  function isObject(x) {
    return x !== null && typeof x === "object" && !Array.isArray(x);
  }

  // ------------------------------------------------------------------ text rules

  /** The query's words: NFC, lower case, runs of letters/digits/marks, at most 40 long,
      each once (in the order typed). */
  function queryWords(text) {
    var found = text.normalize("NFC").toLowerCase().match(WORD_RE) || [];
    var seen = {};
    return found.filter(function (w) {
      if (Array.from(w).length > MAX_WORD || has(seen, w)) return false;
      seen[w] = true;
      return true;
    });
  }

  function fold(word) {
    return word.normalize("NFKD").replace(MARK_RE, "").replace(/[^a-z0-9]/g, "");
  }

  function shardKey(folded, meta) {
    var two = (folded.slice(0, 2) + "__").slice(0, 2);
    if (meta.split.indexOf(two) === -1) return two;
    return (folded.slice(0, 3) + "___").slice(0, 3);
  }

  function compareText(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
  }

  // ------------------------------------------------------------------ index files

  var cache = {}; // relative path -> Promise of parsed JSON (this page load only)

  /** The parsed JSON at ``rel`` under the index folder; ``missing`` is what a 404 gives
      (null: a missing file is an error). A failed load is forgotten, so a later search
      tries again. */
  function load(rel, missing) {
    if (!has(cache, rel)) {
      cache[rel] = fetch(new URL(rel, indexUrl).href, { credentials: "same-origin" })
        .then(function (response) {
          if (response.status === 404 && missing !== null) return missing;
          if (!response.ok) throw new Error(rel + ": HTTP " + response.status);
          return response.json();
        })
        .catch(function (err) {
          delete cache[rel];
          throw err;
        });
    }
    return cache[rel];
  }

  function loadMeta() {
    return load("meta.json", null).then(function (meta) {
      if (!isObject(meta) || meta.v !== 1 || !isObject(meta.f) || !Array.isArray(meta.split)) {
        throw new Error("meta.json: not a format 1 search index");
      }
      return meta;
    });
  }

  function loadShard(key) {
    return load("w/" + key + ".json", { a: {}, l: {} }).then(function (shard) {
      var ok = isObject(shard) && isObject(shard.a) && isObject(shard.l);
      return ok ? shard : { a: {}, l: {} };
    });
  }

  function loadDoc(id) {
    return load("d/" + id + ".json", null).then(function (doc) {
      if (!isObject(doc) || typeof doc.u !== "string") throw new Error("d/" + id + ".json");
      return doc;
    });
  }

  // ------------------------------------------------------------------ the query

  /** The lemmas one query word matches: [[shard key, lemma], ...] (spec, query step 1). */
  function lemmasOf(q, meta) {
    var fq = fold(q);
    var key = shardKey(fq, meta);
    return loadShard(key).then(function (shard) {
      var exact = Object.keys(shard.l).filter(function (lemma) {
        return isObject(shard.l[lemma]) && (lemma === q || has(shard.l[lemma], q));
      });
      if (has(shard.a, q) && typeof shard.a[q] === "string" && exact.indexOf(shard.a[q]) === -1) {
        exact.push(shard.a[q]);
      }
      if (exact.length) return exact.map(function (lemma) { return [shardKey(fold(lemma), meta), lemma]; });
      var same = function (f) { return f === fq; };
      var starts = function (f) { return f.indexOf(fq) === 0; };
      var found = fq ? candidates(shard, same) : [];
      if (!found.length && Array.from(fq).length >= 3) {
        found = candidates(shard, starts).slice(0, MAX_PREFIX_LEMMAS);
      }
      return found.map(function (lemma) { return [shardKey(fold(lemma), meta), lemma]; });
    });
  }

  /** Every lemma of ``shard`` whose name or one of whose forms passes ``test`` by its fold,
      and the lemma of every alias whose form does; in order of (fold, lemma). */
  function candidates(shard, test) {
    var lemmas = {};
    Object.keys(shard.l).forEach(function (lemma) {
      if (!isObject(shard.l[lemma])) return;
      var names = [lemma].concat(Object.keys(shard.l[lemma]));
      if (names.some(function (name) { return test(fold(name)); })) {
        lemmas[lemma] = true;
      }
    });
    Object.keys(shard.a).forEach(function (alias) {
      if (typeof shard.a[alias] === "string" && test(fold(alias))) lemmas[shard.a[alias]] = true;
    });
    return Object.keys(lemmas).sort(function (a, b) {
      return compareText(fold(a), fold(b)) || compareText(a, b);
    });
  }

  /** One query word's matches: {weights: {doc id: summed w}, forms: [matched forms]}. */
  function matchWord(q, meta) {
    return lemmasOf(q, meta).then(function (pairs) {
      var seen = {};
      pairs = pairs.filter(function (p) {
        var id = p[0] + "\n" + p[1];
        if (has(seen, id)) return false;
        seen[id] = true;
        return true;
      });
      return Promise.all(pairs.map(function (p) { return loadShard(p[0]); })).then(
        function (shards) {
          var weights = {};
          var forms = [];
          shards.forEach(function (shard, i) {
            var entry = shard.l[pairs[i][1]];
            if (!isObject(entry)) return;
            Object.keys(entry).forEach(function (form) {
              forms.push(form);
              (Array.isArray(entry[form]) ? entry[form] : []).forEach(function (posting) {
                if (!Array.isArray(posting) || !isDocId(posting[0])) return;
                var w = Number(posting[1]);
                if (!isFinite(w)) return;
                weights[posting[0]] = (weights[posting[0]] || 0) + w;
              });
            });
          });
          return { weights: weights, forms: forms };
        }
      );
    });
  }

  /** Docs matching every word, with their scores, and every matched form (query step 2). */
  function runQuery(words, meta) {
    return Promise.all(words.map(function (q) { return matchWord(q, meta); })).then(
      function (matches) {
        var n = Number(meta.n) || 0;
        var scores = null;
        var forms = {};
        matches.forEach(function (m) {
          var ids = Object.keys(m.weights);
          var idf = Math.log(1 + (n - ids.length + 0.5) / (ids.length + 0.5));
          var next = {};
          ids.forEach(function (id) {
            if (scores === null || has(scores, id)) {
              next[id] = (scores === null ? 0 : scores[id]) + (idf * m.weights[id]) / 100;
            }
          });
          scores = next;
          m.forms.forEach(function (f) { forms[f] = true; });
        });
        return { scores: scores || {}, forms: forms };
      }
    );
  }

  // ------------------------------------------------------------------ filters

  var checked = {}; // filter name -> {value: true}

  function checkedNames() {
    return Object.keys(checked).filter(function (name) {
      return Object.keys(checked[name]).length > 0;
    });
  }

  var valueSets = null; // filter name -> value -> {doc id: true}, from meta.json, made once

  function docsWith(meta, name, value) {
    if (valueSets === null) {
      valueSets = {};
      Object.keys(meta.f).forEach(function (n) {
        var values = isObject(meta.f[n]) ? meta.f[n] : {};
        valueSets[n] = {};
        Object.keys(values).forEach(function (v) {
          var set = {};
          (Array.isArray(values[v]) ? values[v] : []).forEach(function (id) { set[id] = true; });
          valueSets[n][v] = set;
        });
      });
    }
    return has(valueSets, name) && has(valueSets[name], value) ? valueSets[name][value] : {};
  }

  /** Does doc ``id`` pass every checked filter except ``skip``? (values OR, filters AND) */
  function passes(id, meta, skip) {
    return checkedNames().every(function (name) {
      if (name === skip) return true;
      return Object.keys(checked[name]).some(function (value) {
        return has(docsWith(meta, name, value), id);
      });
    });
  }

  function everyFilteredDoc(meta) {
    var all = {};
    Object.keys(meta.f).forEach(function (name) {
      var values = isObject(meta.f[name]) ? meta.f[name] : {};
      Object.keys(values).forEach(function (value) {
        (Array.isArray(values[value]) ? values[value] : []).forEach(function (id) {
          if (isDocId(id)) all[id] = true;
        });
      });
    });
    return Object.keys(all);
  }

  /** The values to offer for each filter: the ones present in ``base`` (docs passing the
      other filters), with their counts, plus the checked ones. */
  function filterGroups(base, meta) {
    return Object.keys(meta.f).sort().map(function (name) {
      var values = isObject(meta.f[name]) ? meta.f[name] : {};
      var pool = base.filter(function (id) { return passes(id, meta, name); });
      var inPool = {};
      pool.forEach(function (id) { inPool[id] = true; });
      var options = Object.keys(values).map(function (value) {
        var ids = Array.isArray(values[value]) ? values[value] : [];
        var count = ids.filter(function (id) { return has(inPool, id); }).length;
        var on = has(checked, name) && has(checked[name], value);
        return { value: value, count: count, checked: on };
      }).filter(function (o) { return o.count > 0 || o.checked; });
      options.sort(function (a, b) { return a.value.localeCompare(b.value, lang); });
      return { name: name, options: options };
    }).filter(function (g) { return g.options.length > 0; });
  }

  // ------------------------------------------------------------------ the page

  var form = el("form", { class: "search-form", role: "search" });
  var label = el("label", { for: "search-q", class: "search-label" }, str("label"));
  var input = el("input", {
    type: "search", id: "search-q", name: "q", autocomplete: "off", spellcheck: "false",
    enterkeyhint: "search", placeholder: str("placeholder")
  });
  form.appendChild(label);
  form.appendChild(input);
  var layout = el("div", { class: "search-layout" });
  var resultsArea = el("div", { class: "search-results-area" });
  var status = el("p", { class: "search-status", role: "status", "aria-live": "polite" });
  var help = el("div", { class: "search-help", hidden: "" });
  var list = el("ol", { class: "search-results", hidden: "" });
  var more = el("button", { type: "button", class: "button button-secondary search-more", hidden: "" },
    str("moreButton"));
  var filters = el("div", { class: "search-filters", hidden: "" });
  resultsArea.appendChild(status);
  resultsArea.appendChild(help);
  resultsArea.appendChild(list);
  resultsArea.appendChild(more);
  layout.appendChild(resultsArea);
  layout.appendChild(filters);
  box.appendChild(form);
  box.appendChild(layout);
  box.setAttribute("data-ready", "");

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  /** The hint below "nothing found" / "search is not working": the page's own links to
      the lists of studies, conditions and words explained. */
  function showHelp(text) {
    clear(help);
    help.appendChild(el("p", {}, text));
    var links = document.querySelectorAll(".search-browse a");
    if (links.length) {
      var ul = el("ul", { class: "search-help-links" });
      Array.prototype.forEach.call(links, function (a) {
        var li = el("li");
        li.appendChild(a.cloneNode(true));
        ul.appendChild(li);
      });
      help.appendChild(ul);
    }
    help.hidden = false;
  }

  /** The link to a doc's page (``anchor``: a section), or null if it is not a web link. */
  function pageLink(doc, anchor) {
    var link;
    try {
      // u is site-relative ("studies/x/"); a leading "/" is the site root too, so a site
      // under a path prefix (https://example.org/trials/) links right either way
      link = new URL(doc.u.replace(/^\/+/, ""), siteRoot);
    } catch (e) {
      return null;
    }
    if (link.protocol !== "http:" && link.protocol !== "https:") return null;
    if (anchor) link.hash = anchor;
    return link.href;
  }

  function sections(doc) {
    return (Array.isArray(doc.s) ? doc.s : []).filter(function (s) {
      return Array.isArray(s) && s.length >= 3 && s.every(function (x) { return typeof x === "string"; });
    });
  }

  /** Words of ``text`` with their places: [{start, end, hit}] (``hit``: a matched form). */
  function tokens(text, forms) {
    var out = [];
    var re = new RegExp(WORD_RE.source, "gu");
    var m;
    while ((m = re.exec(text)) !== null) {
      out.push({
        start: m.index,
        end: m.index + m[0].length,
        hit: has(forms, m[0].normalize("NFC").toLowerCase())
      });
    }
    return out;
  }

  function hits(list) {
    return list.filter(function (t) { return t.hit; }).length;
  }

  /** About 30 words of ``text`` around its densest run of matched words, matches marked. */
  function excerpt(text, forms) {
    var words = tokens(text, forms);
    var start = 0;
    var best = -1;
    words.forEach(function (t, i) {
      if (!t.hit) return;
      var from = Math.max(0, i - 5);
      var n = hits(words.slice(from, from + EXCERPT_WORDS));
      if (n > best) {
        best = n;
        start = from;
      }
    });
    var end = Math.min(words.length, start + EXCERPT_WORDS);
    var p = el("p", { class: "search-excerpt" });
    if (!words.length) return p;
    var at = words[start].start;
    if (start > 0) p.appendChild(document.createTextNode("… "));
    for (var i = start; i < end; i++) {
      var t = words[i];
      if (t.start > at) p.appendChild(document.createTextNode(text.slice(at, t.start)));
      var word = text.slice(t.start, t.end);
      p.appendChild(t.hit ? el("mark", {}, word) : document.createTextNode(word));
      at = t.end;
    }
    var tail = text.slice(at, end < words.length ? words[end].start : text.length);
    p.appendChild(document.createTextNode(end < words.length ? tail.replace(/\s+$/, "") + " …" : tail));
    return p;
  }

  /** One result: the title linking to the page, an excerpt of its best section, up to 3
      links to its sections with matches. */
  function resultItem(doc, forms) {
    var li = el("li", { class: "search-result" });
    var title = el("h2", { class: "search-result-title" });
    var href = pageLink(doc, "");
    var name = typeof doc.t === "string" && doc.t ? doc.t : doc.u;
    if (href) {
      var a = el("a", { href: href }, name);
      title.appendChild(a);
    } else {
      title.textContent = name;
    }
    li.appendChild(title);
    var all = sections(doc).map(function (s, i) {
      return { s: s, i: i, n: hits(tokens(s[1], forms)) + hits(tokens(s[2], forms)) };
    });
    var withText = all.filter(function (x) { return x.s[2]; });
    var best = withText.reduce(function (b, x) { return !b || x.n > b.n ? x : b; }, null);
    if (best) li.appendChild(excerpt(best.s[2], forms));
    var subs = all.filter(function (x) { return x.n > 0 && x.s[0] && x.s[1]; });
    subs.sort(function (a, b) { return b.n - a.n || a.i - b.i; });
    subs = subs.slice(0, 3).sort(function (a, b) { return a.i - b.i; });
    if (href && subs.length) {
      var ul = el("ul", { class: "search-subs", "aria-label": str("sectionsLabel", { title: name }) });
      subs.forEach(function (x) {
        var sub = el("li");
        sub.appendChild(el("a", { href: pageLink(doc, x.s[0]) }, x.s[1]));
        ul.appendChild(sub);
      });
      li.appendChild(ul);
    }
    return li;
  }

  var groupCount = 0;

  function drawFilters(groups) {
    var active = document.activeElement;
    var focusKey = active && active._filter ? active._filter : null;
    var focusClear = active && active.classList && active.classList.contains("search-clear");
    var refocus = null;
    clear(filters);
    if (!groups.length) {
      filters.hidden = true;
      return;
    }
    var headingId = "search-filters-heading";
    filters.appendChild(el("h2", { id: headingId, class: "search-filters-heading" }, str("filtersHeading")));
    groups.forEach(function (g) {
      var fs = el("fieldset", { class: "search-filter" });
      fs.appendChild(el("legend", {}, g.name));
      g.options.forEach(function (o) {
        groupCount += 1;
        var row = el("label", { class: "search-option" });
        var check = el("input", { type: "checkbox", id: "search-f" + groupCount });
        check.checked = o.checked;
        check._filter = [g.name, o.value];
        check.addEventListener("change", function () {
          if (!has(checked, g.name)) checked[g.name] = {};
          if (check.checked) checked[g.name][o.value] = true;
          else delete checked[g.name][o.value];
          search(false);
        });
        row.appendChild(check);
        row.appendChild(el("span", { class: "search-option-value" }, o.value));
        row.appendChild(el("span", { class: "search-option-count" }, "(" + o.count + ")"));
        fs.appendChild(row);
        if (focusKey && focusKey[0] === g.name && focusKey[1] === o.value) refocus = check;
      });
      filters.appendChild(fs);
    });
    if (checkedNames().length) {
      var reset = el("button", { type: "button", class: "button button-secondary search-clear" },
        str("clearFilters"));
      reset.addEventListener("click", function () {
        checked = {};
        search(false).then(function () { input.focus(); });
      });
      filters.appendChild(reset);
      if (focusClear) refocus = reset;
    }
    filters.hidden = false;
    if (refocus) refocus.focus();
  }

  // ------------------------------------------------------------------ running a search

  var run = 0; // the latest search; an older one that finishes later is dropped
  var current = { ids: [], shown: 0, forms: {}, meta: null };

  function setUrl(text) {
    var url = new URL(window.location.href);
    if (text.trim()) url.searchParams.set("q", text.trim());
    else url.searchParams.delete("q");
    if (url.href !== window.location.href) window.history.replaceState(null, "", url.href);
  }

  function failed(err) {
    if (window.console) console.warn("search index:", err);
    list.hidden = true;
    more.hidden = true;
    filters.hidden = true;
    status.textContent = str("failed");
    showHelp(str("failedHint"));
  }

  function countText(n, text) {
    var key = text ? (n === 1 ? "countOne" : "countOther") : (n === 1 ? "countOneAll" : "countOtherAll");
    return str(key, { n: n, q: text });
  }

  /** Run the query in the box (``pushUrl``: also put it in the address as ?q=). */
  function search(pushUrl) {
    var mine = ++run;
    var text = input.value;
    if (pushUrl) setUrl(text);
    if (!WORD_RE) {
      failed(new Error("this browser has no Unicode regular expressions"));
      return Promise.resolve();
    }
    var words = queryWords(text);
    var slow = window.setTimeout(function () {
      if (mine === run) status.textContent = str("pending");
    }, LOADING_MS);
    return loadMeta()
      .then(function (meta) {
        var matched = words.length ? runQuery(words, meta) : null;
        return Promise.resolve(matched).then(function (found) {
          return { meta: meta, found: found };
        });
      })
      .then(function (r) {
        if (mine !== run) return null;
        var meta = r.meta;
        var base = r.found ? Object.keys(r.found.scores) : everyFilteredDoc(meta);
        var scores = r.found ? r.found.scores : {};
        var ids = base.filter(function (id) { return passes(id, meta, null); });
        ids.sort(function (a, b) { return scores[b] - scores[a] || compareText(a, b) || 0; });
        if (!words.length && !checkedNames().length) ids = [];
        current = { ids: ids, shown: 0, forms: r.found ? r.found.forms : {}, meta: meta };
        return page(mine).then(function (items) {
          if (mine !== run || items === null) return;
          clear(list);
          items.forEach(function (li) { list.appendChild(li); });
          list.hidden = items.length === 0;
          more.hidden = current.shown >= ids.length;
          help.hidden = true;
          if (!words.length && !checkedNames().length) status.textContent = "";
          else if (ids.length) status.textContent = countText(ids.length, text.trim());
          else {
            status.textContent = text.trim() ? str("nothing", { q: text.trim() }) : str("nothingAll");
            showHelp(str("nothingHint"));
          }
          drawFilters(filterGroups(base, meta));
        });
      })
      .catch(function (err) {
        if (mine === run) failed(err);
      })
      .then(function () {
        window.clearTimeout(slow);
      });
  }

  /** The next ten results as list items (null if a newer search started meanwhile). */
  function page(mine) {
    var ids = current.ids.slice(current.shown, current.shown + PAGE);
    return Promise.all(ids.map(loadDoc)).then(function (docs) {
      if (mine !== run) return null;
      current.shown += ids.length;
      return docs.map(function (doc) { return resultItem(doc, current.forms); });
    });
  }

  more.addEventListener("click", function () {
    var mine = run;
    page(mine)
      .then(function (items) {
        if (items === null) return;
        // the reader carries on at the first new result, unless they went elsewhere meanwhile
        var stay = document.activeElement === more || document.activeElement === document.body;
        items.forEach(function (li) { list.appendChild(li); });
        more.hidden = current.shown >= current.ids.length;
        var first = items.length ? items[0].querySelector("a") : null;
        if (stay && first) first.focus();
        else if (stay && more.hidden) input.focus();
      })
      .catch(function (err) {
        if (mine === run) failed(err);
      });
  });

  var timer = 0;
  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { search(true); }, DEBOUNCE_MS);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(timer);
    search(true);
  });

  var initial = new URLSearchParams(window.location.search).get("q") || "";
  input.value = initial;
  if (initial) search(false);
  else {
    input.focus();
    search(false); // the filters, to browse by them without typing
  }
})();
