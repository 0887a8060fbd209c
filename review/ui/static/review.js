// Review page: the page picture with word and field boxes, live validation,
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
  var turn = document.getElementById("turn");
  // scale 0 means "fit the width"; zoom multiplies it.
  var current = 0, zoom = 1, rotation = 0, lastField = null;

  function el(tag, cls) { var e = document.createElement(tag); if (cls) e.className = cls; return e; }

  function pageSize(p) { return { w: p.width || 1000, h: p.height || 1400 }; }

  // fitScale fits the page's width (its height when turned sideways) to
  // the stage, so that the whole width is in view at 100 %.
  function fitScale(p) {
    var s = pageSize(p), across = rotation % 180 === 0 ? s.w : s.h;
    return Math.max(0.05, (stage.clientWidth - 24) / across);
  }
  function scaleOf(p) { return fitScale(p) * zoom; }

  // turnSheet sizes the wrapper to the turned page and rotates the sheet
  // about its top-left corner, then moves it back into the wrapper: a
  // turned page is never clipped, whatever its proportions.
  function turnSheet(w, h) {
    var r = rotation % 360, t = "";
    turn.style.width = (r % 180 === 0 ? w : h) + "px";
    turn.style.height = (r % 180 === 0 ? h : w) + "px";
    if (r === 90) t = "translate(" + h + "px,0) rotate(90deg)";
    else if (r === 180) t = "translate(" + w + "px," + h + "px) rotate(180deg)";
    else if (r === 270) t = "translate(0," + w + "px) rotate(270deg)";
    sheet.style.transform = t;
  }

  function renderPage(n) {
    var p = pages[n];
    if (!p) return;
    current = n;
    var scale = scaleOf(p), size = pageSize(p);
    sheet.textContent = "";
    sheet.classList.remove("textonly");
    var zl = document.getElementById("zoom-level");
    if (zl) zl.textContent = Math.round(zoom * 100) + " %";
    var orig = document.getElementById("show-original");
    if (orig && orig.checked) {
      // The photo as received: not deskewed or cropped, so the word and
      // field boxes (in the enhanced image's pixels) are not drawn on it.
      var o = el("img", "original");
      o.src = orig.dataset.src;
      o.alt = "Исходное изображение";
      var ow = size.w * scale;
      o.style.width = ow + "px";
      sheet.style.width = ow + "px"; sheet.style.height = "";
      o.onload = function () { sheet.style.height = o.height + "px"; turnSheet(ow, o.height); };
      sheet.appendChild(o);
      turnSheet(ow, size.h * scale);
      return;
    }
    var w = size.w * scale, h = size.h * scale;
    sheet.style.width = w + "px";
    sheet.style.height = h + "px";
    turnSheet(w, h);
    if (p.image) {
      var img = el("img", "pageimg");
      img.src = p.image;
      img.alt = "Страница " + (n + 1);
      img.width = w; img.height = h;
      sheet.appendChild(img);
    } else {
      sheet.classList.add("textonly");
    }
    // Words: an invisible, selectable layer over the picture (the picture
    // shows the text; the layer makes it clickable and copyable). A page
    // with no picture at all shows the words themselves.
    var showWords = document.getElementById("show-words").checked;
    var frag = document.createDocumentFragment();
    (p.words || []).forEach(function (word, i) {
      var s = el("span", "word" + (showWords ? " visible" : ""));
      s.dataset.i = i;
      place(s, word.box, scale);
      s.style.fontSize = Math.max(4, (word.box.Y1 - word.box.Y0) * scale * 0.8) + "px";
      s.textContent = word.text;
      s.title = word.text;
      frag.appendChild(s);
    });
    (p.boxes || []).forEach(function (b) {
      var d = el("div", "fbox" + (b.row ? " rowbox" : ""));
      d.dataset.key = b.key;
      place(d, b.box, scale);
      frag.appendChild(d);
    });
    sheet.appendChild(frag);
    document.querySelectorAll(".pagebtn").forEach(function (b) {
      b.classList.toggle("active", Number(b.dataset.page) === n);
    });
    var rp = document.getElementById("rotate-page");
    if (rp) rp.value = p.index;
    if (lastField) highlight(lastField.dataset.key, false);
  }

  // One listener for all words: a click fills the focused field.
  sheet.addEventListener("mousedown", function (e) {
    if (e.target.classList.contains("word") && !e.shiftKey && e.detail < 2) e.preventDefault();
  });
  sheet.addEventListener("click", function (e) {
    var t = e.target;
    if (!t.classList.contains("word")) return;
    var sel = window.getSelection && window.getSelection().toString();
    if (sel) return; // the clerk is selecting text to copy
    fillFromWord(t.textContent, e.shiftKey);
  });

  function place(e, box, scale) {
    e.style.left = box.X0 * scale + "px";
    e.style.top = box.Y0 * scale + "px";
    e.style.width = Math.max(2, (box.X1 - box.X0) * scale) + "px";
    e.style.height = Math.max(2, (box.Y1 - box.Y0) * scale) + "px";
  }

  // The boxes of a key: the field's own, for an item cell also its row's,
  // for the total also the total in words.
  function boxKeys(key) {
    var m = /^items\[(\d+)\]/.exec(key || "");
    if (m) return [key, "row:" + m[1]];
    return key === "total" ? [key, "total_words"] : [key];
  }

  function highlight(key, scroll) {
    var keys = boxKeys(key), found = false;
    sheet.querySelectorAll(".fbox").forEach(function (b) {
      var on = keys.indexOf(b.dataset.key) >= 0;
      b.classList.toggle("active", on);
      if (on && scroll !== false && b.dataset.key === key) { found = true; b.scrollIntoView({ block: "nearest", inline: "nearest" }); }
      if (on) found = true;
    });
    if (!found) {
      for (var i = 0; i < pages.length; i++) {
        if (i !== current && (pages[i].boxes || []).some(function (b) { return keys.indexOf(b.key) >= 0; })) {
          renderPage(i);
          return;
        }
      }
    }
  }

  function fillFromWord(text, append) {
    if (!editable || !lastField || (lastField.tagName !== "INPUT" && lastField.tagName !== "TEXTAREA")) return;
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
      tbody.querySelectorAll("tr").forEach(function (tr) {
        tr.classList.toggle("flagged", !!tr.querySelector("td.invalid, td.warn, td.flagged"));
      });
      document.getElementById("items-sum").textContent = out.items_sum;
      var ap = document.getElementById("approve");
      if (ap) ap.classList.toggle("blocked", out.blocking);
    });
  }

  // Line items: add and delete rows, renumbering the inputs' names.
  var tbody = document.querySelector("#items tbody");
  function renumber() {
    var rows = tbody.querySelectorAll("tr");
    rows.forEach(function (tr, i) {
      tr.dataset.row = i;
      tr.querySelector(".rownum").textContent = i + 1;
      tr.querySelectorAll("input,textarea").forEach(function (inp) {
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
  var addrow = document.getElementById("addrow");
  if (addrow) addrow.addEventListener("click", function () {
    var tr = el("tr");
    var num = el("td", "rownum"); tr.appendChild(num);
    colKeys.forEach(function (k, j) {
      var td = el("td", "col-" + k), inp = el(k === "name" ? "textarea" : "input"), s = el("small", "check");
      if (k === "name") inp.rows = 1;
      inp.dataset.key = "items[0]." + k; inp.tabIndex = 2; inp.setAttribute("aria-label", cols[j] || k);
      s.dataset.for = "items[0]." + k;
      td.appendChild(inp); td.appendChild(s); tr.appendChild(td);
    });
    var del = el("td"), b = el("button", "delrow"); b.type = "button"; b.textContent = "×"; b.tabIndex = 3;
    del.appendChild(b); tr.appendChild(del);
    tbody.appendChild(tr);
    renumber();
    tr.querySelector("textarea,input").focus();
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
  // A click into a field that did not have focus selects its value, so
  // that typing replaces it (as Tab does); a second click places the caret.
  form.addEventListener("mousedown", function (e) {
    var t = e.target;
    if ((t.tagName === "INPUT" || t.tagName === "TEXTAREA") && t.dataset.key && document.activeElement !== t) {
      e.preventDefault();
      t.focus();
      t.select();
    }
  });

  // Unsaved edits: the form as it was when the page opened.
  var initial = new URLSearchParams(new FormData(form)).toString();
  function dirty() { return editable && new URLSearchParams(new FormData(form)).toString() !== initial; }
  function leave(url) {
    if (dirty() && !window.confirm("В документе есть несохранённые правки. Уйти и потерять их?")) return;
    location.href = url;
  }

  function inField(t) { return t && (t.tagName === "INPUT" || t.tagName === "SELECT" || t.tagName === "TEXTAREA" || t.tagName === "BUTTON"); }
  function focusables() {
    var all = Array.prototype.filter.call(form.querySelectorAll("input:not([type=hidden]),select,textarea,button"), function (e) { return !e.disabled && e.tabIndex >= 0; });
    // Browser order: tabindex 1, then 2, then 3, each in document order.
    return all.map(function (e, i) { return [e, i]; }).sort(function (a, b) {
      return (a[0].tabIndex - b[0].tabIndex) || (a[1] - b[1]);
    }).map(function (p) { return p[0]; });
  }
  // doubtfulFields are the fields needing attention now: flagged by the
  // server, or failing a check as the clerk types.
  function doubtfulFields() {
    return Array.prototype.filter.call(form.querySelectorAll("[data-key]"), function (e) {
      if (e.tagName !== "INPUT" && e.tagName !== "SELECT" && e.tagName !== "TEXTAREA") return false;
      var box = e.closest(".field") || e.closest("td");
      return box && (box.classList.contains("flagged") || box.classList.contains("invalid"));
    });
  }
  function enter(f) {
    if (!f) return;
    f.focus();
    if (f.select) f.select();
  }
  function nextDoubtful() {
    var list = doubtfulFields(), i = list.indexOf(document.activeElement);
    enter(list.length ? list[(i + 1) % list.length] : focusables()[0]);
  }
  function toPage() { stage.focus({ preventScroll: true }); }

  // Zoom steps, relative to the page's width fitting the stage.
  var zooms = [0.5, 0.75, 1, 1.25, 1.5, 2, 3, 4];
  function zoomTo(z) { zoom = z; renderPage(current); }
  function zoomStep(d) {
    var i = zooms.indexOf(zoom);
    if (i < 0) i = zooms.indexOf(1);
    zoomTo(zooms[Math.min(zooms.length - 1, Math.max(0, i + d))]);
  }
  function rotate() {
    var rf = document.getElementById("rotateform");
    if (rf && pages[current] && pages[current].image && !pages[current].text && !(document.getElementById("show-original") || {}).checked) {
      if (dirty() && !window.confirm("Поворот распознает страницу заново, несохранённые правки пропадут. Повернуть?")) return;
      rf.submit();
      return;
    }
    rotation = (rotation + 90) % 360;
    renderPage(current);
  }

  var help = document.getElementById("help");
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    if (e.key === "Escape") {
      if (!help.hidden) { help.hidden = true; e.preventDefault(); return; }
      if (inField(t)) { e.preventDefault(); t.blur(); toPage(); }
      return;
    }
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      var ap = document.getElementById("approve");
      if (editable && ap) ap.click();
      return;
    }
    if ((e.ctrlKey || e.metaKey) && !e.altKey && e.code === "KeyS") {
      e.preventDefault();
      var sv = document.getElementById("save");
      if (editable && sv) sv.click();
      return;
    }
    // Enter moves on like Tab in the document's fields; the reject, merge
    // and split boxes belong to forms of their own and keep Enter for
    // their own submit.
    if (e.key === "Enter" && !e.shiftKey && inField(t) && t.tagName !== "BUTTON" && t.form === form && form.contains(t)) {
      e.preventDefault();
      var list = focusables(), i = list.indexOf(t);
      if (i >= 0 && i + 1 < list.length) enter(list[i + 1]);
      return;
    }
    if (inField(t) && t.tagName !== "BUTTON" || e.ctrlKey || e.metaKey || e.altKey) return;
    // Outside a field: the page's own keys.
    if (e.key === "Tab" && !e.shiftKey && !inField(t)) {
      e.preventDefault();
      var d = doubtfulFields();
      enter(d.length ? d[0] : focusables()[0]);
      return;
    }
    if (e.key === "?" || (e.code === "Slash" && e.shiftKey)) { e.preventDefault(); help.hidden = !help.hidden; return; }
    var nav = root.dataset;
    switch (e.code) {
      case "KeyJ": if (nav.next !== "0") leave("/review/" + nav.next); break;
      case "KeyK": if (nav.prev !== "0") leave("/review/" + nav.prev); break;
      case "KeyN": nextDoubtful(); break;
      case "KeyX": {
        var rr = document.getElementById("reject-reason");
        if (rr) { rr.scrollIntoView({ block: "center" }); rr.focus(); }
        break;
      }
      case "KeyS": {
        var sk = document.getElementById("skip");
        if (sk && (!dirty() || window.confirm("В документе есть несохранённые правки. Пропустить и потерять их?"))) sk.click();
        break;
      }
      case "KeyR": rotate(); break;
      case "Equal": case "NumpadAdd": zoomStep(1); break;
      case "Minus": case "NumpadSubtract": zoomStep(-1); break;
      case "Digit0": case "Numpad0": zoomTo(1); break;
      case "BracketRight": case "PageDown": if (current + 1 < pages.length) renderPage(current + 1); break;
      case "BracketLeft": case "PageUp": if (current > 0) renderPage(current - 1); break;
      default: return;
    }
    e.preventDefault();
  });

  document.querySelectorAll(".pagebtn").forEach(function (b) {
    b.addEventListener("click", function () { renderPage(Number(b.dataset.page)); });
  });
  document.getElementById("zoom-in").addEventListener("click", function () { zoomStep(1); });
  document.getElementById("zoom-out").addEventListener("click", function () { zoomStep(-1); });
  document.getElementById("zoom-fit").addEventListener("click", function () { zoomTo(1); });
  document.getElementById("rotate").addEventListener("click", rotate);
  document.getElementById("show-words").addEventListener("change", function () { renderPage(current); });
  var origBox = document.getElementById("show-original");
  if (origBox) origBox.addEventListener("change", function () { renderPage(current); });
  var resizeTimer = null;
  window.addEventListener("resize", function () { clearTimeout(resizeTimer); resizeTimer = setTimeout(function () { renderPage(current); }, 100); });

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
  if (editable) validate();
  // Open on the page, not in a field: keys work at once and the first Tab
  // enters the first field needing attention.
  toPage();
})();
