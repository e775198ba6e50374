/* sitegen reviewer reports: sortable and filterable page table, dismissible notes on the
   highlighted findings, a copy button and open details when printing.
   Plain script (no modules, no libraries) so the reports work from file:// too. Everything
   it adds is an enhancement: with JavaScript off, the table reads in its default order and
   the notes show on focus and hover through CSS alone. */
(function () {
  "use strict";

  var statusEl = document.getElementById("table-status");

  function say(text) {
    if (statusEl) { statusEl.textContent = text; }
  }

  function cellKey(row, index) {
    var cell = row.cells[index];
    return cell ? (cell.getAttribute("data-sort") || "") : "";
  }

  function compareRows(index, type, direction) {
    var sign = direction === "ascending" ? 1 : -1;
    return function (a, b) {
      var ka = cellKey(a, index), kb = cellKey(b, index);
      if (ka === "" && kb !== "") { return 1; }   /* empty values always last */
      if (kb === "" && ka !== "") { return -1; }
      var result = 0;
      if (ka !== "" && kb !== "") {
        if (type === "number") {
          result = parseFloat(ka) - parseFloat(kb);
        } else {
          result = ka.localeCompare(kb);
        }
      }
      if (result === 0) {   /* ties keep the default order: blocked first, hardest first */
        return Number(a.getAttribute("data-order")) - Number(b.getAttribute("data-order"));
      }
      return sign * result;
    };
  }

  function labelOf(th) {
    return th.textContent.replace(/\s+/g, " ").trim();
  }

  /* ---- rows of a paged table, made from table/rows.js (dashtable.py) ---- */

  var GRADE = function (x) { return x === null || x === undefined ? "\u2013" : x.toFixed(1); };

  function number(x) {
    if (x === null || x === undefined) { return "\u2013"; }
    return Number.isInteger(x) ? String(x) : x.toFixed(2).replace(/0+$/, "").replace(/\.$/, "");
  }

  function deltaText(d) {
    if (Math.round(d * 10) === 0) { return "\u00b10.0"; }
    return d > 0 ? "+" + d.toFixed(1) : "\u2212" + Math.abs(d).toFixed(1);
  }

  function reasonText(verdict, reason) {
    var words = [verdict, "blocked", "block"];
    for (var i = 0; i < words.length; i += 1) {
      if (reason.toLowerCase() === words[i]) { return ""; }
      if (reason.toLowerCase().indexOf(words[i] + ": ") === 0) { return reason.slice(words[i].length + 2); }
    }
    return reason;
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined || child === "") { return; }
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  var ICONS = {
    verdict: { block: "\u2716", warn: "\u25b2", pass: "\u2714" },
    signoff: { approved: "\u2714", changed: "\u21ba", waiting: "\u25cb", none: "\u2013" }
  };

  function badge(kind, prefix, state, labels) {
    return el("span", { "class": "badge " + prefix + "-" + state }, [
      el("span", { "class": "icon", "aria-hidden": "true" }, [ICONS[kind][state]]), " " + labels[kind][state]
    ]);
  }

  function deltaNode(d) {
    if (d === null) { return el("span", { "class": "delta new" }, ["new"]); }
    if (Math.round(d * 10) === 0) { return el("span", { "class": "delta same" }, [deltaText(d)]); }
    var worse = d > 0;
    return el("span", { "class": "delta " + (worse ? "worse" : "better") }, [deltaText(d),
      el("span", { "class": "visually-hidden" }, [worse ? " (harder)" : " (easier)"])]);
  }

  var KIND = { ease: "0 to 100, higher is easier", grade: "school years, lower is easier" };

  function buildRow(data, meta, site) {
    var r = {};
    meta.fields.forEach(function (name, i) { r[name] = data[i]; });
    var details = [
      el("div", {}, [el("dt", {}, ["Reading grade target and limit"]), el("dd", {}, [number(r.target) + " and " + number(r.limit) +
        (r.target !== site.target || r.limit !== site.limit ? " (this page's own)" : "")])]),
      el("div", {}, [el("dt", {}, ["Change in grade since the last build"]), el("dd", {}, [deltaNode(r.delta)])])
    ];
    meta.formulas.forEach(function (f, i) {
      if (r.scores[i] === null) { return; }
      details.push(el("div", {}, [el("dt", {}, [f[1] + " ", el("span", { "class": "small" }, ["(" + (KIND[f[2]] || "its own scale") + ")"])]),
        el("dd", {}, [GRADE(r.scores[i])])]));
    });
    var over = r.grade > r.limit ? GRADE(r.grade - r.limit) + " over the limit of " + number(r.limit) :
      r.grade > r.target ? GRADE(r.grade - r.target) + " over the target of " + number(r.target) :
      "within the target of " + number(r.target);
    var grade = [el("span", { "class": "grade" }, [GRADE(r.grade)]), " ", el("span", { "class": "small" }, [over])];
    if (r.clarity !== null) {
      grade.push(" ", el("span", { "class": "small clarity" }, ["clear communication " + r.clarity + "/100" +
        (r.failed.length ? ", failed " + r.failed.join(", ") : "")]));
    }
    var problems = [el("span", { "class": "count problems" }, [
      r.errors + " error" + (r.errors === 1 ? "" : "s") + ", " + r.warnings + " warning" + (r.warnings === 1 ? "" : "s")])];
    if (r.findings) { problems.push(" ", el("span", { "class": "small" }, [r.counts])); }
    if (r.waived) { problems.push(" ", el("span", { "class": "small" }, ["(" + r.waived + " waived or accepted)"])); }
    var head = el("th", { scope: "row", "data-sort": r.title.toLowerCase() }, [
      el("a", { href: r.report }, [r.title]), " ", el("span", { "class": "path" }, [r.path]),
      r.draft ? el("span", { "class": "tag" }, ["draft"]) : null,
      r.lang !== "en" ? el("span", { "class": "tag", lang: "en" }, [r.lang]) : null,
      el("details", { "class": "more" }, [
        el("summary", {}, ["Details", el("span", { "class": "visually-hidden" }, [": " + r.title])]),
        el("dl", {}, details)
      ])
    ]);
    return el("tr", {
      "data-verdict": r.verdict, "data-order": String(r.order),
      "data-search": (r.title + " " + r.path).toLowerCase(), "data-waiting": r.waiting.join(" ")
    }, [
      head,
      el("td", { "data-label": "Verdict", "data-sort": String({ block: 2, warn: 1, pass: 0 }[r.verdict]) },
        [badge("verdict", "v", r.verdict, meta.labels), el("span", { "class": "small reason" }, [reasonText(r.verdict, r.reason)])]),
      el("td", { "data-label": "Grade", "data-sort": String(r.grade) }, grade),
      el("td", { "data-label": "Problems", "class": "findings", "data-sort": String(r.errors * 100000 + r.warnings) }, problems),
      el("td", { "data-label": "Sign-off", "data-sort": String({ approved: 3, none: 2, changed: 1, waiting: 0 }[r.signoff]) },
        [badge("signoff", "so", r.signoff, meta.labels),
         el("span", { "class": "small" }, [r.signoff === "none" ? "the page is not blocked" : r.detail])])
    ]);
  }

  /* ---- the sortable, filterable page table ---- */

  function initTable(table, form) {
    var head = table.tHead && table.tHead.rows[0];
    var body = table.tBodies[0];
    if (!head || !body) { return; }
    var source = table.getAttribute("data-rows");
    var perPage = Number(table.getAttribute("data-per-page")) || 0;
    var state = { rows: Array.prototype.slice.call(body.rows), sort: null, shown: perPage, all: !source, loading: null };
    var more = document.getElementById("more-rows");
    var moreButton = more ? more.querySelector("button") : null;
    var site = { target: Number(table.getAttribute("data-target")), limit: Number(table.getAttribute("data-limit")) };

    function wantedRows() {
      if (!form) { return state.rows; }
      var wanted = {};
      Array.prototype.forEach.call(form.querySelectorAll("input[name=verdict]"), function (box) {
        wanted[box.value] = box.checked;
      });
      var search = form.querySelector("input[type=search]");
      var waiting = form.querySelector("select[name=waiting]");
      var query = search ? search.value.trim().toLowerCase() : "";
      var who = waiting ? waiting.value : "";
      return state.rows.filter(function (row) {
        return wanted[row.getAttribute("data-verdict")] &&
          (!query || (row.getAttribute("data-search") || "").indexOf(query) !== -1) &&
          (!who || (" " + (row.getAttribute("data-waiting") || "") + " ").indexOf(" " + who + " ") !== -1);
      });
    }

    /* Show the rows that pass the filter in the chosen order; on a paged table, only the
       first state.shown of them (the "Show more" button adds more). */
    function show() {
      var rows = state.rows.slice();
      if (state.sort) { rows.sort(compareRows(state.sort.index, state.sort.type, state.sort.direction)); }
      var ok = wantedRows();
      var keep = new Set(ok);
      if (!source) {
        rows.forEach(function (row) { row.hidden = !keep.has(row); body.appendChild(row); });
        return { shown: ok.length, matching: ok.length };
      }
      var visible = rows.filter(function (row) { return keep.has(row); });
      var page = visible.slice(0, state.shown);
      body.textContent = "";
      page.forEach(function (row) { body.appendChild(row); });
      if (more) {
        var left = visible.length - page.length;
        more.hidden = left <= 0;
        moreButton.textContent = "Show " + Math.min(left, perPage) + " more pages (" + page.length + " of " + visible.length + " shown)";
      }
      return { shown: page.length, matching: visible.length };
    }

    function filterText(counts) {
      var total = state.rows.length;
      var text = counts.matching === total ? "Showing all " + total + " pages." :
        "Showing " + counts.matching + " of " + total + " pages.";
      if (counts.shown < counts.matching) { text += " The first " + counts.shown + " are in the table."; }
      return text;
    }

    /* Every row: on a paged table, load table/rows.js once (a script, so file:// works). */
    function withAllRows(then) {
      if (state.all) { then(); return; }
      if (state.loading) { state.loading.push(then); return; }
      state.loading = [then];
      say("Loading every page of the table\u2026");
      var script = document.createElement("script");
      script.src = source;
      script.onload = function () {
        var data = window.sitegenRows;
        state.rows = data.rows.map(function (row) { return buildRow(row, data.meta, site); });
        state.all = true;
        var pager = document.querySelector("nav.pager");
        if (pager) { pager.hidden = true; }
        var note = document.getElementById("rows-note");
        if (note) { note.textContent = "Every page is in the table now."; }
        var waiting = state.loading;
        state.loading = null;
        waiting.forEach(function (f) { f(); });
      };
      script.onerror = function () {
        state.loading = null;
        say("Could not load every page of the table; the pager under the table leads to them.");
      };
      document.head.appendChild(script);
    }

    Array.prototype.forEach.call(head.cells, function (th, index) {
      var type = th.getAttribute("data-type");
      if (!type) { return; }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      while (th.firstChild) { button.appendChild(th.firstChild); }
      var icon = document.createElement("span");
      icon.className = "sort-icon";
      icon.setAttribute("aria-hidden", "true");
      button.appendChild(icon);
      th.appendChild(button);
      button.addEventListener("click", function () {
        var direction = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
        Array.prototype.forEach.call(head.cells, function (other) {
          other.removeAttribute("aria-sort");
        });
        th.setAttribute("aria-sort", direction);
        state.sort = { index: index, type: type, direction: direction };
        withAllRows(function () {
          show();
          var note = document.getElementById("order-note");
          if (note) { note.textContent = "Order: " + labelOf(th) + ", " + direction + "."; }
          say("Sorted by " + labelOf(th) + ", " + direction + ".");
        });
      });
    });

    if (moreButton) {
      moreButton.addEventListener("click", function () {
        withAllRows(function () {
          state.shown += perPage;
          say(filterText(show()));
        });
      });
    }

    if (form) {
      var apply = function () { withAllRows(function () { state.shown = perPage; say(filterText(show())); }); };
      form.addEventListener("input", apply);
      form.addEventListener("change", apply);
      form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
      form.hidden = false;
    }
    if (source && more) {   /* before any sort or filter: more rows come from the same file */
      more.hidden = false;
      moreButton.textContent = "Show " + perPage + " more pages";
    }
  }

  /* WCAG 1.4.13: a note shown on hover or focus can be dismissed with Escape. */
  function initNotes() {
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" && event.key !== "Esc") { return; }
      var open = document.querySelectorAll("mark.finding:hover, mark.finding:focus");
      Array.prototype.forEach.call(open, function (mark) { mark.classList.add("tip-hidden"); });
    });
    function reset(event) {
      var mark = event.target.closest && event.target.closest("mark.finding");
      if (mark) { mark.classList.remove("tip-hidden"); }
    }
    document.addEventListener("focusin", reset);
    document.addEventListener("mouseover", reset);
  }

  function initCopy() {
    Array.prototype.forEach.call(document.querySelectorAll("button[data-copy]"), function (button) {
      var source = document.getElementById(button.getAttribute("data-copy"));
      var row = button.closest(".copy-row");
      var status = row ? row.querySelector(".copy-status") : null;
      if (!source) { return; }
      function done(ok) {
        if (status) { status.textContent = ok ? "Copied." : "Select the text and copy it."; }
      }
      button.addEventListener("click", function () {
        source.focus();
        source.select();
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(source.value).then(function () { done(true); }, function () {
            done(document.execCommand && document.execCommand("copy"));
          });
        } else {
          done(document.execCommand && document.execCommand("copy"));
        }
      });
      if (row) { row.hidden = false; }
    });
  }

  /* Print every table and source block, including the ones folded away on screen. */
  function initPrint() {
    var opened = [];
    window.addEventListener("beforeprint", function () {
      Array.prototype.forEach.call(document.querySelectorAll("details:not([open])"), function (d) {
        d.open = true;
        opened.push(d);
      });
    });
    window.addEventListener("afterprint", function () {
      opened.forEach(function (d) { d.open = false; });
      opened = [];
    });
  }

  var form = document.getElementById("filters");
  Array.prototype.forEach.call(document.querySelectorAll("table[data-sortable]"), function (table) {
    initTable(table, table.id === "pages-table" ? form : null);
  });
  initNotes();
  initCopy();
  initPrint();
}());
