// The contractor's upload page (page.html): served as a file of its own so
// that the page's Content-Security-Policy allows no inline script.
"use strict";
const filesURL = document.querySelector("main").dataset.filesUrl;
const list = document.getElementById("files");
const message = document.getElementById("message");
const progress = document.getElementById("progress");
const bar = document.getElementById("bar");
const percent = document.getElementById("percent");
let uploading = false;

function say(text, error) {
  message.textContent = text;
  message.className = error ? "error" : "";
}

function render(files) {
  list.textContent = "";
  if (!files.length) {
    const li = document.createElement("li");
    li.className = "empty";
    li.textContent = "Пока ничего не отправлено";
    list.append(li);
    return;
  }
  for (const f of files) {
    const li = document.createElement("li");
    li.dataset.id = f.id;
    const name = document.createElement("div");
    name.className = "name";
    name.textContent = f.file_name || "без имени";
    const meta = document.createElement("div");
    meta.className = "meta";
    meta.textContent = (f.channel === "email" ? "по почте, " : "") + new Date(f.received_at).toLocaleString("ru-RU");
    const status = document.createElement("span");
    status.className = "status " + f.status;
    status.dataset.status = f.status;
    status.textContent = f.label;
    li.append(name, meta, status);
    if (f.note) {
      const note = document.createElement("div");
      note.className = "note";
      note.textContent = f.note;
      li.append(note);
    }
    list.append(li);
  }
}

async function refresh() {
  try {
    const r = await fetch(filesURL, {headers: {"Accept": "application/json"}, cache: "no-store"});
    if (r.status === 404) { location.reload(); return; }
    if (!r.ok) return;
    const body = await r.json();
    render(body.files);
    const busy = body.files.some(f => f.status === "received" || f.status === "processing");
    schedule(busy ? 1500 : 10000);
  } catch (e) {
    schedule(5000);
  }
}

let timer = 0;
function schedule(ms) {
  clearTimeout(timer);
  timer = setTimeout(refresh, ms);
}

function upload(input) {
  const chosen = Array.from(input.files);
  if (!chosen.length || uploading) return;
  const form = new FormData();
  for (const f of chosen) form.append("file", f, f.name);
  const xhr = new XMLHttpRequest();
  xhr.open("POST", filesURL);
  xhr.responseType = "json";
  uploading = true;
  progress.setAttribute("data-active", "");
  bar.value = 0;
  percent.textContent = "0%";
  say("Отправляем " + chosen.length + " " + plural(chosen.length, "файл", "файла", "файлов") + "…");
  xhr.upload.onprogress = e => {
    if (!e.lengthComputable) return;
    const p = Math.round(100 * e.loaded / e.total);
    bar.value = p;
    percent.textContent = p + "%";
  };
  xhr.onload = () => {
    uploading = false;
    progress.removeAttribute("data-active");
    input.value = "";
    const body = xhr.response || {};
    if (xhr.status === 200) {
      say("Получено: " + body.files.length + " " + plural(body.files.length, "файл", "файла", "файлов") + ". Статус обновится сам.");
    } else {
      say(body.error || "Не удалось отправить, попробуйте ещё раз", true);
    }
    refresh();
  };
  xhr.onerror = () => {
    uploading = false;
    progress.removeAttribute("data-active");
    say("Нет связи: файлы не отправлены, попробуйте ещё раз", true);
  };
  xhr.send(form);
}

function plural(n, one, few, many) {
  const m10 = n % 10, m100 = n % 100;
  if (m10 === 1 && m100 !== 11) return one;
  if (m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14)) return few;
  return many;
}

document.getElementById("camera").addEventListener("change", e => upload(e.target));
document.getElementById("pick").addEventListener("change", e => upload(e.target));
refresh();
