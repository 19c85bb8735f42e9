// The sheet grid (templates/imports/sheet.html): a virtualised view of one sheet.
//
// Only the cells in view exist in the page. They are fetched in tiles of 100 rows x 26
// columns from the sheet's cells URL and kept, so a sheet with 40,000 formulas or a
// million rows costs what the screen shows. Positions are computed in viewport
// coordinates on a layer that sticks to the viewport, and very tall sheets scroll through
// a scaled spacer (browsers cap an element's height), so the scrollbar reaches row 1,048,576.
//
// Keys: arrows move, PageUp/PageDown page, Home/End row start/end, Ctrl+Home/End the
// sheet's corners, Enter opens the inspector, Escape closes it, n / N next / previous
// mismatch. A click selects a cell and opens its inspector.
(function () {
  "use strict";
  const configNode = document.getElementById("grid-config");
  if (!configNode) return;
  const cfg = JSON.parse(configNode.textContent);

  const ROW_H = 22;
  const COL_W = 100;
  const TILE_R = 100;
  const TILE_C = 26;
  const MAX_PX = 8000000;
  const MAX_ROWS = 1048576;
  const MAX_COLS = 16384;
  const STATUS = {
    c: "constant",
    m: "matched",
    x: "mismatch",
    n: "not evaluated",
    u: "no cached value",
    e: "not comparable",
  };

  const rows = Math.min(MAX_ROWS, Math.max(cfg.rows + 20, 50));
  const cols = Math.min(MAX_COLS, Math.max(cfg.columns + 4, 12));
  const totalH = rows * ROW_H;
  const totalW = cols * COL_W;

  const grid = document.getElementById("grid");
  const scroller = grid.querySelector(".grid-scroll");
  const sizer = grid.querySelector(".grid-sizer");
  const layer = grid.querySelector(".grid-layer");
  const colHead = grid.querySelector(".grid-colhead");
  const rowHead = grid.querySelector(".grid-rowhead");
  const bar = {
    address: document.getElementById("bar-address"),
    content: document.getElementById("bar-content"),
    values: document.getElementById("bar-values"),
  };
  const announce = document.getElementById("grid-announce");
  const panel = document.getElementById("inspector");
  const panelBody = document.getElementById("inspector-body");
  const loading = document.getElementById("grid-loading");

  const sizerH = Math.min(totalH, MAX_PX);
  const sizerW = Math.min(totalW, MAX_PX);
  sizer.style.height = sizerH + "px";
  sizer.style.width = sizerW + "px";

  const cells = new Map(); // row * 16384 + column -> [row, col, status, excel, ours, type, formula, root]
  const tiles = new Map(); // "tr:tc" -> "loading" | "done" | "error"
  let view = { firstRow: 1, firstCol: 1, offY: 0, offX: 0, nRows: 0, nCols: 0 };
  let selected = cfg.selected || [1, 1];
  let frame = 0;
  let inspectAbort = null;

  // --- geometry ------------------------------------------------------------------

  function scaleY() {
    const viewH = scroller.clientHeight;
    return totalH > sizerH ? (totalH - viewH) / Math.max(1, sizerH - viewH) : 1;
  }

  function scaleX() {
    const viewW = scroller.clientWidth;
    return totalW > sizerW ? (totalW - viewW) / Math.max(1, sizerW - viewW) : 1;
  }

  function columnName(n) {
    let name = "";
    while (n > 0) {
      const m = (n - 1) % 26;
      name = String.fromCharCode(65 + m) + name;
      n = Math.floor((n - 1) / 26);
    }
    return name;
  }

  function address(r, c) {
    return columnName(c) + r;
  }

  function parseAddress(text) {
    const match = /^\s*\$?([A-Za-z]{1,3})\$?(\d{1,7})\s*$/.exec(text || "");
    if (!match) return null;
    let c = 0;
    for (const ch of match[1].toUpperCase()) c = c * 26 + (ch.charCodeAt(0) - 64);
    const r = Number(match[2]);
    if (r < 1 || r > MAX_ROWS || c < 1 || c > MAX_COLS) return null;
    return [r, c];
  }

  // --- data ----------------------------------------------------------------------

  function ensureTiles() {
    const lastRow = view.firstRow + view.nRows;
    const lastCol = view.firstCol + view.nCols;
    for (let tr = Math.floor((view.firstRow - 1) / TILE_R); tr <= Math.floor((lastRow - 1) / TILE_R); tr++) {
      for (let tc = Math.floor((view.firstCol - 1) / TILE_C); tc <= Math.floor((lastCol - 1) / TILE_C); tc++) {
        const key = tr + ":" + tc;
        if (!tiles.has(key) && tr * TILE_R < rows && tc * TILE_C < cols) load(tr, tc, key);
      }
    }
    const busy = [...tiles.values()].some((state) => state === "loading");
    loading.hidden = !busy;
  }

  async function load(tr, tc, key) {
    tiles.set(key, "loading");
    const query = new URLSearchParams({
      r0: tr * TILE_R + 1,
      r1: Math.min(MAX_ROWS, (tr + 1) * TILE_R),
      c0: tc * TILE_C + 1,
      c1: Math.min(MAX_COLS, (tc + 1) * TILE_C),
    });
    try {
      const response = await fetch(cfg.cellsUrl + "?" + query, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) throw new Error(String(response.status));
      const data = await response.json();
      data.cells.forEach((cell) => cells.set(cell[0] * MAX_COLS + cell[1], cell));
      tiles.set(key, "done");
    } catch (error) {
      tiles.delete(key); // tried again at the next scroll
      loading.textContent = "Could not load cells; scroll to retry.";
    }
    schedule();
    if (selected[0] > tr * TILE_R && selected[0] <= (tr + 1) * TILE_R) showBar();
  }

  // --- drawing -------------------------------------------------------------------

  function schedule() {
    if (!frame) frame = requestAnimationFrame(draw);
  }

  function measure() {
    const y = scroller.scrollTop * scaleY();
    const x = scroller.scrollLeft * scaleX();
    const firstRow = Math.min(rows, Math.floor(y / ROW_H) + 1);
    const firstCol = Math.min(cols, Math.floor(x / COL_W) + 1);
    view = {
      firstRow,
      firstCol,
      offY: y - (firstRow - 1) * ROW_H,
      offX: x - (firstCol - 1) * COL_W,
      nRows: Math.ceil(scroller.clientHeight / ROW_H) + 1,
      nCols: Math.ceil(scroller.clientWidth / COL_W) + 1,
    };
  }

  function draw() {
    frame = 0;
    measure();
    layer.style.width = scroller.clientWidth + "px";
    layer.style.height = scroller.clientHeight + "px";
    layer.style.backgroundPosition = -view.offX + "px " + -view.offY + "px";
    const fragment = document.createDocumentFragment();
    const heads = { rows: document.createDocumentFragment(), cols: document.createDocumentFragment() };
    for (let i = 0; i < view.nRows; i++) {
      const r = view.firstRow + i;
      if (r > rows) break;
      const top = i * ROW_H - view.offY;
      heads.rows.append(header("grid-rh" + (r === selected[0] ? " sel" : ""), String(r), 0, top));
      for (let j = 0; j < view.nCols; j++) {
        const c = view.firstCol + j;
        if (c > cols) break;
        const cell = cells.get(r * MAX_COLS + c);
        if (cell) fragment.append(cellNode(cell, j * COL_W - view.offX, top));
      }
    }
    for (let j = 0; j < view.nCols; j++) {
      const c = view.firstCol + j;
      if (c > cols) break;
      const name = columnName(c);
      heads.cols.append(header("grid-ch" + (c === selected[1] ? " sel" : ""), name, j * COL_W - view.offX, 0));
    }
    fragment.append(selection());
    layer.replaceChildren(fragment);
    rowHead.replaceChildren(heads.rows);
    colHead.replaceChildren(heads.cols);
    ensureTiles();
  }

  function header(className, text, left, top) {
    const node = document.createElement("div");
    node.className = className;
    node.textContent = text;
    node.style.transform = "translate(" + left + "px," + top + "px)";
    return node;
  }

  function cellNode(cell, left, top) {
    const [, , status, excel, ours, type, , root] = cell;
    const node = document.createElement("div");
    const shown = excel !== "" ? excel : ours || "";
    node.className =
      "gc s-" + status + " t-" + type + (root ? " root" : "") + (excel === "" && ours ? " calc-only" : "");
    node.style.transform = "translate(" + left + "px," + top + "px)";
    node.textContent = shown;
    return node;
  }

  function selection() {
    const node = document.createElement("div");
    node.className = "grid-sel";
    const top = (selected[0] - view.firstRow) * ROW_H - view.offY;
    const left = (selected[1] - view.firstCol) * COL_W - view.offX;
    node.style.transform = "translate(" + left + "px," + top + "px)";
    return node;
  }

  // --- selection and the formula bar ---------------------------------------------

  function cellAt(r, c) {
    return cells.get(r * MAX_COLS + c);
  }

  function showBar() {
    const [r, c] = selected;
    const cell = cellAt(r, c);
    bar.address.textContent = address(r, c);
    if (!cell) {
      bar.content.textContent = "";
      bar.values.textContent = "";
      announce.textContent = address(r, c) + ", empty";
      return;
    }
    const [, , status, excel, ours, , formula] = cell;
    bar.content.textContent = formula || excel;
    bar.values.textContent = formula
      ? "Excel: " + (excel === "" ? "(none)" : excel) + " · dcmodel: " + (ours === null ? "(not evaluated)" : ours)
      : "";
    bar.content.className = formula ? "bar-formula" : "";
    announce.textContent = address(r, c) + ", " + (excel !== "" ? excel : ours || "") + ", " + STATUS[status];
  }

  function select(r, c, { reveal = true } = {}) {
    selected = [Math.max(1, Math.min(rows, r)), Math.max(1, Math.min(cols, c))];
    if (reveal) scrollIntoView();
    showBar();
    schedule();
  }

  function scrollIntoView() {
    measure();
    const [r, c] = selected;
    const top = (r - 1) * ROW_H;
    const left = (c - 1) * COL_W;
    const y = scroller.scrollTop * scaleY();
    const x = scroller.scrollLeft * scaleX();
    const viewH = scroller.clientHeight;
    const viewW = scroller.clientWidth;
    if (top < y) scroller.scrollTop = top / scaleY();
    else if (top + ROW_H > y + viewH) scroller.scrollTop = (top + ROW_H - viewH) / scaleY();
    if (left < x) scroller.scrollLeft = left / scaleX();
    else if (left + COL_W > x + viewW) scroller.scrollLeft = (left + COL_W - viewW) / scaleX();
  }

  // --- the inspector ------------------------------------------------------------

  async function inspect(r, c) {
    const where = address(r, c);
    const url = cfg.inspectUrl.replace(/A1\/$/, where + "/") + "?fragment=1";
    if (inspectAbort) inspectAbort.abort();
    inspectAbort = new AbortController();
    panel.hidden = false;
    grid.classList.add("with-panel");
    panel.setAttribute("aria-busy", "true");
    history.replaceState(null, "", "?cell=" + where);
    try {
      const response = await fetch(url, { credentials: "same-origin", signal: inspectAbort.signal });
      const html = await response.text();
      // The fragment is rendered by Django with autoescaping: cell text arrives escaped.
      panelBody.innerHTML = response.ok ? html : "<p>Could not load this cell.</p>";
    } catch (error) {
      if (error.name === "AbortError") return;
      panelBody.textContent = "Could not load this cell.";
    }
    panel.removeAttribute("aria-busy");
    schedule();
  }

  function closeInspector() {
    panel.hidden = true;
    grid.classList.remove("with-panel");
    scroller.focus();
    schedule();
  }

  panel.addEventListener("click", (event) => {
    if (event.target.closest("[data-close-inspector]")) {
      closeInspector();
      return;
    }
    const link = event.target.closest("a[data-address]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    if (Number(link.dataset.sheetIndex) === cfg.sheetIndex) {
      const target = parseAddress(link.dataset.address);
      select(target[0], target[1]);
      inspect(target[0], target[1]);
    } else {
      location.href = link.dataset.gridUrl;
    }
  });

  // --- mismatches ------------------------------------------------------------------

  function jumpMismatch(step) {
    const list = cfg.mismatches;
    if (!list.length) return;
    const key = (pair) => pair[0] * MAX_COLS + pair[1];
    const here = key(selected);
    let target;
    if (step > 0) target = list.find((pair) => key(pair) > here) || list[0];
    else target = [...list].reverse().find((pair) => key(pair) < here) || list[list.length - 1];
    select(target[0], target[1]);
    inspect(target[0], target[1]);
  }

  // --- events ----------------------------------------------------------------------

  scroller.addEventListener("scroll", schedule, { passive: true });
  window.addEventListener("resize", schedule);

  layer.addEventListener("click", (event) => {
    const box = layer.getBoundingClientRect();
    const r = view.firstRow + Math.floor((event.clientY - box.top + view.offY) / ROW_H);
    const c = view.firstCol + Math.floor((event.clientX - box.left + view.offX) / COL_W);
    if (r > rows || c > cols) return;
    scroller.focus({ preventScroll: true });
    select(r, c, { reveal: false });
    inspect(r, c);
  });

  scroller.addEventListener("keydown", (event) => {
    const [r, c] = selected;
    const page = Math.max(1, view.nRows - 2);
    const moves = {
      ArrowUp: [r - 1, c],
      ArrowDown: [r + 1, c],
      ArrowLeft: [r, c - 1],
      ArrowRight: [r, c + 1],
      PageUp: [r - page, c],
      PageDown: [r + page, c],
      Home: event.ctrlKey ? [1, 1] : [r, 1],
      End: event.ctrlKey ? [cfg.rows, cfg.columns] : [r, cfg.columns],
    };
    if (moves[event.key]) {
      event.preventDefault();
      select(moves[event.key][0], moves[event.key][1]);
    } else if (event.key === "Enter") {
      event.preventDefault();
      inspect(r, c);
    } else if (event.key === "Escape") {
      closeInspector();
    } else if (event.key === "n" || event.key === "N") {
      event.preventDefault();
      jumpMismatch(event.key === "n" ? 1 : -1);
    }
  });

  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape") closeInspector();
  });

  const goto = document.getElementById("goto");
  goto.addEventListener("submit", (event) => {
    event.preventDefault();
    const input = goto.querySelector("input");
    const target = parseAddress(input.value);
    input.setCustomValidity(target ? "" : "A cell address such as B7");
    input.reportValidity();
    if (!target) return;
    select(target[0], target[1]);
    inspect(target[0], target[1]);
    scroller.focus({ preventScroll: true });
  });

  const next = document.getElementById("next-mismatch");
  if (next) next.addEventListener("click", () => jumpMismatch(1));

  // --- start -----------------------------------------------------------------------

  select(selected[0], selected[1]);
  draw();
  if (cfg.selected) inspect(selected[0], selected[1]);
  scroller.focus({ preventScroll: true });
})();
