// GanSharp Studio: the page. Plain JS, no dependencies; talks to /api/ on the same server.
"use strict";
(() => {
  const $ = (id) => document.getElementById(id);
  const state = { model: null, concept: null, hasImage: false, pending: false, busy: 0, seq: 0, resultUrl: null, drawing: false, last: null, painted: false };
  const mask = $("mask"), ctx = mask.getContext("2d");
  const SIDE = mask.width;

  // ---- status and progress -------------------------------------------------------------------------------------------
  let spinnerTimer = null;
  function status(text, error) {
    $("status-text").textContent = text;
    $("status-text").className = error ? "error" : "";
  }
  // Work over half a second shows a spinner and the server's account of it (the stage of a fit, a place in the queue).
  let pollTimer = null, polling = false;
  function busy(on) {
    state.busy += on ? 1 : -1;
    clearTimeout(spinnerTimer);
    if (state.busy > 0) spinnerTimer = setTimeout(() => { $("spinner").hidden = false; if (!polling) poll(); }, 500);
    else { $("spinner").hidden = true; clearTimeout(pollTimer); pollTimer = null; polling = false; $("progress").textContent = ""; }
    document.body.dataset.busy = state.busy > 0 ? "1" : "0";
  }
  async function poll() {
    if (state.busy <= 0) { polling = false; return; }
    polling = true;
    try {
      const r = await fetch("/api/session", { cache: "no-store" });
      if (r.ok && state.busy > 0) { const s = await r.json(); $("progress").textContent = s.status !== "idle" ? `(${s.status})` : ""; }
    } catch { /* the next poll tries again */ }
    if (state.busy > 0) pollTimer = setTimeout(poll, 700);
    else polling = false;
  }
  async function problem(response) {
    try { const p = await response.json(); return p.detail + (p.hint ? " (" + p.hint + ")" : ""); }
    catch { return response.status + " " + response.statusText; }
  }

  // ---- images --------------------------------------------------------------------------------------------------------
  async function showPng(response) {
    const blob = await response.blob();
    if (state.resultUrl) URL.revokeObjectURL(state.resultUrl);
    state.resultUrl = URL.createObjectURL(blob);
    const img = $("result");
    await new Promise((ok) => { img.onload = ok; img.onerror = ok; img.src = state.resultUrl; });
    const undo = +(response.headers.get("X-Undo") || 0), redo = +(response.headers.get("X-Redo") || 0);
    state.pending = response.headers.get("X-Pending") === "1";
    $("undo").disabled = !(undo > 0 || state.pending);
    $("redo").disabled = !(redo > 0) || state.pending;
    $("apply").disabled = !state.pending;
    document.body.dataset.undo = undo; document.body.dataset.redo = redo; document.body.dataset.pending = state.pending ? "1" : "0";
  }
  async function refreshResult() {
    const r = await fetch("/api/result.png", { cache: "no-store" });
    if (r.ok) await showPng(r);
  }

  // ---- model and concepts --------------------------------------------------------------------------------------------
  async function init() {
    const model = await (await fetch("/api/model")).json();
    state.model = model;
    $("model").textContent = `${model.name} · ${model.width}×${model.height} · layer ${model.layer}`;
    if (model.translator) {
      $("translate-box").hidden = false;
      $("a2b").textContent = `${model.translator.a} → ${model.translator.b}`;
      $("b2a").textContent = `${model.translator.b} → ${model.translator.a}`;
      $("a2b").title = $("b2a").title = `${model.translator.method}, ${model.translator.size} px, step ${model.translator.step}`;
    }
    const concepts = await (await fetch("/api/concepts")).json();
    const box = $("concepts");
    for (const c of concepts) {
      const b = document.createElement("button");
      b.type = "button"; b.className = "concept"; b.textContent = c.name; b.dataset.concept = c.name;
      b.title = `insert sets units ${c.insertUnits.join(", ")}; remove sets units ${c.removeUnits.join(", ")}` +
        (c.insertEffect === null ? " (top units by IoU)" : ` (by measured effect; the best unit alone adds ${(100 * c.insertEffect).toFixed(0)} % of the region)`);
      b.onclick = () => { select(c.name); if (state.painted) preview(); };
      box.appendChild(b);
    }
    // The concept that inserts best (measured), else yellow, else the first.
    const measured = concepts.filter((c) => c.insertEffect !== null && c.name !== "background");
    const best = measured.length > 0 ? measured.reduce((a, c) => (c.insertEffect > a.insertEffect ? c : a)) : null;
    select(best ? best.name : concepts.find((c) => c.name === "yellow") ? "yellow" : concepts[0].name);
    // A session from before (cookie) is resumed; otherwise one is started, so that the first upload's progress shows.
    const s = await fetch("/api/session", { method: "POST" });
    if (s.ok) { const info = await s.json(); if (info.hasImage) { state.hasImage = true; enable(); await loadBefore(); await refreshResult(); status("Session resumed. Paint a region."); } }
  }
  function select(name) {
    state.concept = name;
    for (const b of document.querySelectorAll(".concept")) b.classList.toggle("selected", b.dataset.concept === name);
  }
  function enable() {
    $("render").disabled = false;
    for (const id of ["inpaint", "colorize", "denoise", "a2b", "b2a"]) $(id).disabled = false;
    $("download").classList.remove("disabled");
  }
  async function loadBefore() {
    const r = await fetch("/api/original.png", { cache: "no-store" });
    if (r.ok) $("before").src = URL.createObjectURL(await r.blob());
  }

  // ---- upload --------------------------------------------------------------------------------------------------------
  $("file").addEventListener("change", async () => {
    const file = $("file").files[0];
    if (!file) return;
    const form = new FormData();
    form.append("file", file);
    busy(true);
    status("Uploading and fitting the generator to the photo…");
    try {
      const r = await fetch("/api/images", { method: "POST", body: form });
      if (!r.ok) { status(await problem(r), true); return; }
      const info = await r.json();
      $("note").textContent = info.note || `${info.width}×${info.height}`;
      state.hasImage = true;
      clearMask();
      enable();
      await loadBefore();
      await refreshResult();
      status(`Ready (fit ${info.fitSeconds} s). Paint a region, then pick a concept.`);
    } catch (e) { status("Upload failed: " + e, true); }
    finally { busy(false); }
  });

  // ---- brush ---------------------------------------------------------------------------------------------------------
  const brush = () => +$("brush").value;
  $("brush").addEventListener("input", () => { $("brush-size").textContent = $("brush").value; });
  function point(e) {
    const r = mask.getBoundingClientRect();
    return [(e.clientX - r.left) * SIDE / r.width, (e.clientY - r.top) * SIDE / r.height];
  }
  function stroke(from, to) {
    ctx.globalCompositeOperation = $("tool-erase").checked ? "destination-out" : "source-over";
    ctx.strokeStyle = ctx.fillStyle = "rgb(255, 0, 128)";
    ctx.lineWidth = brush(); ctx.lineCap = "round"; ctx.lineJoin = "round";
    ctx.beginPath(); ctx.moveTo(from[0], from[1]); ctx.lineTo(to[0], to[1]); ctx.stroke();
  }
  mask.addEventListener("pointerdown", (e) => {
    if (!state.hasImage) { status("Upload an image first.", true); return; }
    mask.setPointerCapture(e.pointerId);
    state.drawing = true; state.last = point(e);
    stroke(state.last, state.last);
  });
  mask.addEventListener("pointermove", (e) => {
    if (!state.drawing) return;
    const p = point(e); stroke(state.last, p); state.last = p;
  });
  const end = () => { if (!state.drawing) return; state.drawing = false; preview(); };
  mask.addEventListener("pointerup", end);
  mask.addEventListener("pointercancel", end);
  function clearMask() { ctx.clearRect(0, 0, SIDE, SIDE); state.painted = false; }
  $("clear").onclick = async () => { clearMask(); if (state.pending) await post("/api/edit/undo"); };

  // The mask at the model's resolution: a pixel is painted when any canvas pixel of its cell is (thin strokes survive).
  function maskBits() {
    const w = state.model.width, h = state.model.height;
    const data = ctx.getImageData(0, 0, SIDE, SIDE).data;
    const bits = new Uint8Array(w * h);
    for (let y = 0; y < SIDE; y++)
      for (let x = 0; x < SIDE; x++)
        if (data[4 * (y * SIDE + x) + 3] > 0) bits[Math.floor(y * h / SIDE) * w + Math.floor(x * w / SIDE)] = 1;
    return bits;
  }
  function maskPng(bits) {
    const w = state.model.width, h = state.model.height;
    const c = document.createElement("canvas"); c.width = w; c.height = h;
    const g = c.getContext("2d"), img = g.createImageData(w, h);
    for (let i = 0; i < bits.length; i++) if (bits[i]) img.data.set([255, 255, 255, 255], 4 * i); // transparent = not painted
    g.putImageData(img, 0, 0);
    return c.toDataURL("image/png");
  }

  // ---- edits ---------------------------------------------------------------------------------------------------------
  async function edit(url, label) {
    const bits = maskBits();
    state.painted = bits.some((b) => b);
    if (!state.painted) { if (state.pending) await post("/api/edit/undo"); status("The mask is empty."); return; }
    const seq = ++state.seq;
    const action = $("remove").checked ? "remove" : "insert";
    busy(true);
    status(`${label}: ${action} ${state.concept}…`);
    const t0 = performance.now();
    try {
      const r = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ concept: state.concept, action, mask: maskPng(bits) }) });
      if (seq !== state.seq && r.status === 409) return; // superseded by a newer edit
      if (!r.ok) { status(await problem(r), true); return; }
      await showPng(r);
      status(`${label} of ${action} ${state.concept}: ${Math.round(performance.now() - t0)} ms` + (state.pending ? ". Apply it, keep painting, or undo." : "."));
      if (!state.pending) clearMask();
    } catch (e) { status(`${label} failed: ${e}`, true); }
    finally { busy(false); }
  }
  const preview = () => edit("/api/edit/preview", "Preview");
  $("render").onclick = () => edit("/api/edit/render", "Full render");
  async function restore(task) {
    let body;
    if (task === "inpaint") {
      const bits = maskBits();
      if (!bits.some((b) => b)) { status("Paint the region to restore first.", true); return; }
      body = JSON.stringify({ mask: maskPng(bits) });
    }
    busy(true);
    status(`Restoring (${task}) with the GAN prior: up to about 10 s on a CPU…`);
    const t0 = performance.now();
    try {
      const r = await fetch("/api/restore/" + task, { method: "POST", headers: body ? { "Content-Type": "application/json" } : {}, body });
      if (!r.ok) { status(await problem(r), true); return; }
      await showPng(r);
      clearMask();
      status(`Restored (${task}) in ${Math.round(performance.now() - t0)} ms. Undo to go back.`);
    } catch (e) { status(`Restoring (${task}) failed: ${e}`, true); }
    finally { busy(false); }
  }
  for (const task of ["inpaint", "colorize", "denoise"]) $(task).onclick = () => restore(task);
  async function translate(dir) {
    busy(true);
    const t0 = performance.now();
    status(`Translating (${$(dir).textContent})…`);
    try {
      const r = await fetch("/api/translate/" + dir, { method: "POST" });
      if (!r.ok) { status(await problem(r), true); return; }
      await showPng(r);
      clearMask();
      status(`Translated (${$(dir).textContent}) in ${Math.round(performance.now() - t0)} ms. Undo to go back.`);
    } catch (e) { status(`Translating failed: ${e}`, true); }
    finally { busy(false); }
  }
  for (const dir of ["a2b", "b2a"]) $(dir).onclick = () => translate(dir);
  async function post(url) {
    busy(true);
    try {
      const r = await fetch(url, { method: "POST" });
      if (!r.ok) { status(await problem(r), true); return false; }
      await showPng(r);
      return true;
    } finally { busy(false); }
  }
  $("apply").onclick = async () => { if (await post("/api/edit/apply")) { clearMask(); status("Applied. Paint the next region."); } };
  $("undo").onclick = async () => { const had = state.pending; if (await post("/api/edit/undo")) { clearMask(); status(had ? "Preview discarded." : "Undone."); } };
  $("redo").onclick = async () => { if (await post("/api/edit/redo")) status("Redone."); };
  for (const id of ["insert", "remove"]) $(id).addEventListener("change", () => { if (state.painted) preview(); });

  // ---- before/after --------------------------------------------------------------------------------------------------
  $("compare").addEventListener("input", () => { $("before-wrap").style.width = (100 - +$("compare").value) + "%"; });
  $("compare").value = 100;

  // ---- for tests and scripts: the pixels of a shown image (RGBA at its natural size) and the current mask ---------------
  window.studio = {
    pixels(id) {
      const img = $(id), c = document.createElement("canvas");
      c.width = img.naturalWidth; c.height = img.naturalHeight;
      const g = c.getContext("2d"); g.drawImage(img, 0, 0);
      return Array.from(g.getImageData(0, 0, c.width, c.height).data);
    },
    maskBits: () => Array.from(maskBits()),
  };

  init().catch((e) => status("Could not load the model: " + e, true));
})();
