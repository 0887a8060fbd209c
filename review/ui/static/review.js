// Review page: the page image with word and field boxes, live validation,
// line items, keyboard shortcuts and the claim heartbeat. Plain JavaScript,
// no build step. Text from OCR is only ever put in textContent or .value,
// never innerHTML.
(function () {
  "use strict";
  var root = document.querySelector(".doc");
  if (!root) return;
  var id = root.dataset.id, csrf = root.dataset.csrf;
  var editable = root.dataset.editable === "true";
  var form = document.getElementById("docform");
  var pages = JSON.parse(document.getElementById("pages-data").textContent || "[]") || [];
  var stage = document.getElementById("stage"), sheet = document.getElementById("sheet");
  var current = 0, scale = 0, rotation = 0, lastField = null;

  function el(tag, cls) { var e = document.createElement(tag); if (cls) e.className = cls; return e; }

  function fitScale(p) {
    var w = p.width || 1000;
    return Math.max(0.1, (stage.clientWidth - 20) / w);
  }

  function renderPage(n) {
    var p = pages[n];
    if (!p) return;
    current = n;
    if (!scale) scale = fitScale(p);
    sheet.textContent = "";
    var orig = document.getElementById("show-original");
    if (orig && orig.checked) {
      // The photo as received: not deskewed or cropped, so the word and
      // field boxes (in the enhanced image's pixels) are not drawn on it.
      var o = el("img", "original");
      o.src = orig.dataset.src;
      o.alt = "Исходное изображение";
      o.style.width = (stage.clientWidth - 20) * scale / fitScale(p) + "px";
      sheet.style.width = ""; sheet.style.height = "";
      sheet.style.transform = "rotate(" + rotation + "deg)";
      sheet.appendChild(o);
      return;
    }
    var w = (p.width || 1000) * scale, h = (p.height || 1400) * scale;
    sheet.style.width = w + "px";
    sheet.style.height = h + "px";
    sheet.style.transform = "rotate(" + rotation + "deg)";
    if (p.image) {
      var img = el("img", "pageimg");
      img.src = p.image;
      img.alt = "Страница " + (n + 1);
      img.width = w; img.height = h;
      sheet.appendChild(img);
    } else {
      sheet.classList.add("textonly");
    }
    var showWords = document.getElementById("show-words").checked || !p.image;
    (p.words || []).forEach(function (word, i) {
      var s = el("span", "word" + (showWords ? " visible" : ""));
      s.dataset.i = i;
      place(s, word.box);
      s.textContent = word.text;
      s.title = word.text;
      if (!p.image) s.style.fontSize = Math.max(6, (word.box.Y1 - word.box.Y0) * scale * 0.8) + "px";
      s.addEventListener("mousedown", function (e) { e.preventDefault(); });
      s.addEventListener("click", function (e) { fillFromWord(word.text, e.shiftKey); });
      sheet.appendChild(s);
    });
    (p.boxes || []).forEach(function (b) {
      var d = el("div", "fbox");
      d.dataset.key = b.key;
      place(d, b.box);
      sheet.appendChild(d);
    });
    document.querySelectorAll(".pagebtn").forEach(function (b) {
      b.classList.toggle("active", Number(b.dataset.page) === n);
    });
    if (lastField) highlight(lastField.dataset.key);
  }

  function place(e, box) {
    e.style.left = box.X0 * scale + "px";
    e.style.top = box.Y0 * scale + "px";
    e.style.width = Math.max(2, (box.X1 - box.X0) * scale) + "px";
    e.style.height = Math.max(2, (box.Y1 - box.Y0) * scale) + "px";
  }

  function highlight(key) {
    var found = false;
    sheet.querySelectorAll(".fbox").forEach(function (b) {
      var on = b.dataset.key === key;
      b.classList.toggle("active", on);
      if (on) { found = true; b.scrollIntoView({ block: "nearest", inline: "nearest" }); }
    });
    if (!found) {
      for (var i = 0; i < pages.length; i++) {
        if (i !== current && (pages[i].boxes || []).some(function (b) { return b.key === key; })) {
          renderPage(i);
          return;
        }
      }
    }
  }

  function fillFromWord(text, append) {
    if (!editable || !lastField || lastField.tagName !== "INPUT") return;
    lastField.value = append && lastField.value ? lastField.value + " " + text : text;
    lastField.focus();
    scheduleValidate();
  }

  // Live validation: the server runs the engine's validators on the form.
  var timer = null, seq = 0;
  function scheduleValidate() {
    clearTimeout(timer);
    timer = setTimeout(validate, 150);
  }
  function validate() {
    var my = ++seq;
    var body = new URLSearchParams(new FormData(form));
    fetch("/review/validate", {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRF-Token": csrf, "Accept": "application/json" }
    }).then(function (r) { return r.ok ? r.json() : null; }).then(function (out) {
      if (!out || my !== seq) return;
      form.querySelectorAll("small.check").forEach(function (s) {
        var c = out.checks[s.dataset.for] || {};
        s.textContent = c.error || c.warning || "";
        var box = s.closest(".field") || s.closest("td");
        if (box) {
          box.classList.toggle("invalid", !!c.error);
          box.classList.toggle("warn", !c.error && !!c.warning);
        }
      });
      document.getElementById("items-sum").textContent = out.items_sum;
      document.getElementById("approve").classList.toggle("blocked", out.blocking);
    });
  }

  // Line items: add and delete rows, renumbering the inputs' names.
  var tbody = document.querySelector("#items tbody");
  function renumber() {
    var rows = tbody.querySelectorAll("tr");
    rows.forEach(function (tr, i) {
      tr.dataset.row = i;
      tr.querySelector(".rownum").textContent = i + 1;
      tr.querySelectorAll("input").forEach(function (inp) {
        var key = inp.dataset.key.replace(/^items\[\d+\]/, "items[" + i + "]");
        inp.dataset.key = key; inp.name = "f." + key;
      });
      tr.querySelectorAll("small.check").forEach(function (s) {
        s.dataset.for = s.dataset.for.replace(/^items\[\d+\]/, "items[" + i + "]");
      });
    });
    document.getElementById("items-count").value = rows.length;
    scheduleValidate();
  }
  var cols = Array.prototype.map.call(document.querySelectorAll("#items thead th"), function (th) { return th.textContent; }).slice(1, -1);
  var colKeys = ["name", "quantity", "unit", "price", "amount", "vat_amount"];
  document.getElementById("addrow").addEventListener("click", function () {
    var tr = el("tr");
    var num = el("td", "rownum"); tr.appendChild(num);
    colKeys.forEach(function (k, j) {
      var td = el("td"), inp = el("input"), s = el("small", "check");
      inp.dataset.key = "items[0]." + k; inp.tabIndex = 2; inp.setAttribute("aria-label", cols[j] || k);
      s.dataset.for = "items[0]." + k;
      td.appendChild(inp); td.appendChild(s); tr.appendChild(td);
    });
    var del = el("td"), b = el("button", "delrow"); b.type = "button"; b.textContent = "×"; b.tabIndex = 3;
    del.appendChild(b); tr.appendChild(del);
    tbody.appendChild(tr);
    renumber();
    tr.querySelector("input").focus();
  });
  tbody.addEventListener("click", function (e) {
    if (e.target.classList.contains("delrow")) { e.target.closest("tr").remove(); renumber(); }
  });

  form.addEventListener("input", scheduleValidate);
  form.addEventListener("change", scheduleValidate);
  form.addEventListener("focusin", function (e) {
    var t = e.target;
    if (t.dataset && t.dataset.key) { lastField = t; highlight(t.dataset.key); }
  });

  function inField(t) { return t && (t.tagName === "INPUT" || t.tagName === "SELECT" || t.tagName === "TEXTAREA"); }
  function focusables() {
    var all = Array.prototype.filter.call(form.querySelectorAll("input:not([type=hidden]),select,button"), function (e) { return !e.disabled; });
    // Browser order: tabindex 1, then 2, then 3, each in document order.
    return all.map(function (e, i) { return [e, i]; }).sort(function (a, b) {
      return (a[0].tabIndex - b[0].tabIndex) || (a[1] - b[1]);
    }).map(function (p) { return p[0]; });
  }
  document.addEventListener("keydown", function (e) {
    var help = document.getElementById("help");
    if (e.key === "Escape" && !help.hidden) { help.hidden = true; return; }
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      if (editable) document.getElementById("approve").click();
      return;
    }
    // Enter moves on like Tab in the document's fields; the reject, merge
    // and split boxes belong to forms of their own and keep Enter for
    // their own submit.
    if (e.key === "Enter" && inField(e.target) && e.target.tagName !== "BUTTON" && e.target.form === form && form.contains(e.target)) {
      e.preventDefault();
      var list = focusables(), i = list.indexOf(e.target);
      if (i >= 0 && i + 1 < list.length) list[i + 1].focus();
      return;
    }
    if (inField(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === "?") { help.hidden = !help.hidden; return; }
    if ((e.key === "j" || e.key === "о") && root.dataset.next !== "0") { location.href = "/review/" + root.dataset.next; return; }
    if ((e.key === "k" || e.key === "л") && root.dataset.prev !== "0") { location.href = "/review/" + root.dataset.prev; return; }
  });

  document.querySelectorAll(".pagebtn").forEach(function (b) {
    b.addEventListener("click", function () { renderPage(Number(b.dataset.page)); });
  });
  document.getElementById("zoom-in").addEventListener("click", function () { scale *= 1.25; renderPage(current); });
  document.getElementById("zoom-out").addEventListener("click", function () { scale /= 1.25; renderPage(current); });
  document.getElementById("rotate").addEventListener("click", function () { rotation = (rotation + 90) % 360; renderPage(current); });
  document.getElementById("show-words").addEventListener("change", function () { renderPage(current); });
  var origBox = document.getElementById("show-original");
  if (origBox) origBox.addEventListener("change", function () { renderPage(current); });

  // Keep the claim while the page is open.
  if (editable) {
    setInterval(function () {
      fetch("/review/" + id + "/claim", { method: "POST", credentials: "same-origin", headers: { "X-CSRF-Token": csrf, "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (out) {
          if (out && !out.mine && out.message) {
            var p = document.getElementById("error") || el("p", "error");
            p.id = "error"; p.textContent = out.message;
            if (!p.parentNode) form.parentNode.insertBefore(p, form);
          }
        });
    }, 60000);
  }

  renderPage(0);
  if (editable) {
    validate();
    var first = focusables()[0];
    if (first && first.tabIndex === 1) first.focus();
  }
})();
