/* "Is this study right for me?": checks the answers against the study's eligibility facts.
   Everything happens in this page: the form has no action (method="dialog" never sends
   anything, even if this script fails), nothing is stored, and the result is written into a
   role="status" region so screen readers announce it. Questions, expected answers and every
   string come from the JSON block #prescreen-data that the site generator writes. */
(function () {
  "use strict";
  /* Page content cannot contain a <form> or a <script> (the sanitizer removes both), so the
     theme's form is the only form[data-prescreen]; everything else is looked up inside the
     theme's own box, never by a document-wide id that page content could repeat. */
  var form = document.querySelector("form[data-prescreen]");
  var box = form ? form.parentNode : null;
  var dataBlock = box ? box.querySelector("script[data-prescreen-data]") : null;
  var result = box ? box.querySelector(".prescreen-result") : null;
  if (!form || !dataBlock || !result) return;
  function byId(id) { return box.querySelector('[id="' + id + '"]'); }
  var data = JSON.parse(dataBlock.textContent);
  var S = data.strings;

  function describedBy(el, id, on) {
    var ids = (el.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    ids = ids.filter(function (x) { return x !== id; });
    if (on) ids.unshift(id);
    if (ids.length) el.setAttribute("aria-describedby", ids.join(" "));
    else el.removeAttribute("aria-describedby");
  }

  function showError(q, message) {
    var error = byId(q.id + "-error");
    var wrap = byId(q.id + "-field");
    var target = q.kind === "age" ? byId(q.id) : wrap;
    error.textContent = message;
    error.hidden = !message;
    wrap.classList.toggle("has-error", !!message);
    describedBy(target, error.id, !!message);
    if (q.kind === "age") {
      if (message) target.setAttribute("aria-invalid", "true");
      else target.removeAttribute("aria-invalid");
    }
  }

  /* Returns {error: message} or {fits: boolean} for one question. */
  function check(q) {
    if (q.kind === "age") {
      var input = byId(q.id);
      var raw = input.value.trim();
      if (input.validity && input.validity.badInput) return { error: S.age_invalid };
      if (raw === "") return { error: S.age_missing };
      if (!/^\d{1,3}$/.test(raw) || Number(raw) > 120) return { error: S.age_invalid };
      var age = Number(raw);
      var low = data.ageMin !== null && age < Math.floor(data.ageMin);
      var high = data.ageMax !== null && age > data.ageMax;
      return { fits: !low && !high };
    }
    var chosen = form.querySelector('input[name="' + q.id + '"]:checked');
    if (!chosen) return { error: S.answer_missing };
    if (q.kind === "sex") return { fits: chosen.value === "other" || chosen.value === q.expect };
    if (chosen.value === "unsure") return { fits: true, unsure: true };
    return { fits: chosen.value === q.expect };
  }

  function para(text, className) {
    var p = document.createElement("p");
    p.textContent = text;
    if (className) p.className = className;
    return p;
  }

  function render(nodes, tone) {
    result.textContent = "";
    result.className = "prescreen-result" + (tone ? " prescreen-" + tone : "");
    /* a short pause makes screen readers announce a result that repeats the last one */
    window.setTimeout(function () {
      nodes.forEach(function (n) { result.appendChild(n); });
    }, 100);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var reasons = [];
    var unsure = 0;
    var firstError = null;
    data.questions.forEach(function (q) {
      var outcome = check(q);
      showError(q, outcome.error || "");
      if (outcome.error && !firstError) firstError = q;
      if (!outcome.error && !outcome.fits) reasons.push(q.reason);
      if (outcome.unsure) unsure += 1;
    });
    if (firstError) {
      render([para(S.errors_found)], "error");
      var focusable = firstError.kind === "age"
        ? byId(firstError.id)
        : form.querySelector('input[name="' + firstError.id + '"]');
      if (focusable) focusable.focus();
      return;
    }
    var nodes = [];
    function link(href, text) {
      var a = document.createElement("a");
      a.href = href;
      a.textContent = text;
      return a;
    }
    function nextSteps() {
      var ul = document.createElement("ul");
      ul.className = "prescreen-next";
      [[data.contactUrl, S.next_call], [data.otherUrl, data.otherText]].forEach(function (x) {
        if (!x[0] || !x[1]) return;
        var li = document.createElement("li");
        li.appendChild(link(x[0], x[1]));
        ul.appendChild(li);
      });
      /* no contact and no other studies: no "What you can do next:" over nothing */
      return ul.children.length ? [para(S.next_steps, "prescreen-next-title"), ul] : [];
    }
    var tone = reasons.length ? "no" : unsure ? "maybe" : "yes";
    if (tone === "maybe") {
      nodes.push(para(S.maybe_title, "prescreen-title"));
      nodes.push(para(S.maybe_text));
      nodes = nodes.concat(nextSteps());
    } else if (reasons.length === 0) {
      nodes.push(para(S.fit_title, "prescreen-title"));
      var p = para(S.fit_text + " ");
      if (data.contactUrl) {
        var a = document.createElement("a");
        a.href = data.contactUrl;
        a.textContent = S.contact_link;
        p.appendChild(a);
      }
      nodes.push(p);
    } else {
      nodes.push(para(S.not_fit_title, "prescreen-title"));
      var ul = document.createElement("ul");
      reasons.forEach(function (r) {
        var li = document.createElement("li");
        li.textContent = r;
        ul.appendChild(li);
      });
      nodes.push(ul);
      nodes.push(para(S.not_fit_text));
      nodes = nodes.concat(nextSteps());
    }
    nodes.push(para(S.not_medical, "prescreen-disclaimer"));
    render(nodes, tone);
  });

  /* An old result must not stand next to changed answers. */
  form.addEventListener("change", function () {
    if (result.textContent) render([], "");
  });
})();
