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

  function initSortable(table) {
    var head = table.tHead && table.tHead.rows[0];
    var body = table.tBodies[0];
    if (!head || !body) { return; }
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
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(compareRows(index, type, direction));
        rows.forEach(function (row) { body.appendChild(row); });
        var note = document.getElementById("order-note");
        if (note) { note.textContent = "Order: " + labelOf(th) + ", " + direction + "."; }
        say("Sorted by " + labelOf(th) + ", " + direction + ".");
      });
    });
  }

  function initFilter(form, table) {
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var search = form.querySelector("input[type=search]");
    var waiting = form.querySelector("select[name=waiting]");
    function apply() {
      var wanted = {};
      Array.prototype.forEach.call(form.querySelectorAll("input[name=verdict]"), function (box) {
        wanted[box.value] = box.checked;
      });
      var query = search ? search.value.trim().toLowerCase() : "";
      var shown = 0;
      rows.forEach(function (row) {
        var who = waiting ? waiting.value : "";
        var ok = wanted[row.getAttribute("data-verdict")] &&
          (!query || (row.getAttribute("data-search") || "").indexOf(query) !== -1) &&
          (!who || (" " + (row.getAttribute("data-waiting") || "") + " ").indexOf(" " + who + " ") !== -1);
        row.hidden = !ok;
        if (ok) { shown += 1; }
      });
      say(shown === rows.length ? "Showing all " + rows.length + " pages." :
        "Showing " + shown + " of " + rows.length + " pages.");
    }
    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
    form.hidden = false;
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

  Array.prototype.forEach.call(document.querySelectorAll("table[data-sortable]"), initSortable);
  var form = document.getElementById("filters");
  var table = document.getElementById("pages-table");
  if (form && table) { initFilter(form, table); }
  initNotes();
  initCopy();
  initPrint();
}());
