// The PDF reader of a library document: pdf.js (static/vendor/pdfjs) draws one page at a time on a canvas
// and lays its text over it, selectable; the searched words (data-words, from ?q=) are marked, and the
// reader opens at the first page that holds them. Without script, or if pdf.js cannot read the file,
// the page images rendered by the server (the <details data-pdf-fallback>) remain the reader.
//
// Under the Content-Security-Policy (script-src 'self', no eval): pdf.js and its worker are modules
// served from this site, and isEvalSupported is off so that pdf.js never tries `new Function`.

const MIN_ZOOM = 0.5;
const MAX_ZOOM = 4;
const MAX_CANVAS_PIXELS = 16 * 1024 * 1024; // a phone's canvas limit; a larger page is drawn less sharp

const root = document.querySelector("[data-pdf-viewer]");
if (root) start(root);

async function start(root) {
  const fallback = document.querySelector("[data-pdf-fallback]");
  const status = root.querySelector("[data-pdf-status]");
  const stage = root.querySelector("[data-pdf-stage]");
  const canvas = stage.querySelector("canvas");
  const layer = stage.querySelector(".textLayer");
  const pageInput = root.querySelector("[data-pdf-page]");
  const zoomLabel = root.querySelector("[data-pdf-zoom]");
  const words = (root.dataset.words || "").split(" ").filter(Boolean);
  let pdfjs, pdf;
  try {
    pdfjs = await import(root.dataset.pdfjs);
    pdfjs.GlobalWorkerOptions.workerSrc = root.dataset.worker;
    pdf = await pdfjs.getDocument({
      url: root.dataset.url,
      cMapUrl: root.dataset.cmaps,
      cMapPacked: true,
      isEvalSupported: false,
      enableXfa: false,
    }).promise;
  } catch (error) {
    root.hidden = false;
    root.querySelector(".pdf-toolbar").hidden = true;
    stage.parentElement.hidden = true;
    status.textContent = "浏览器无法直接显示这份 PDF,请展开下方“查看原文版式”阅读,或下载原文件。";
    if (fallback) fallback.open = true;
    console.warn("pdf.js:", error);
    return;
  }

  const state = { number: 1, zoom: 1, task: null, drawing: Promise.resolve() };
  root.hidden = false;
  if (fallback) fallback.hidden = true;

  // The scale at which the page fills the reader's width: 390-px phones and desks alike.
  function fitScale(page) {
    const width = root.clientWidth - 2; // the stage's border
    return Math.max(0.2, width / page.getViewport({ scale: 1 }).width);
  }

  async function draw(number) {
    state.number = number;
    pageInput.value = number;
    root.querySelector('[data-pdf-action="prev"]').disabled = number <= 1;
    root.querySelector('[data-pdf-action="next"]').disabled = number >= pdf.numPages;
    zoomLabel.value = zoomLabel.textContent = Math.round(state.zoom * 100) + "%";
    if (state.task) state.task.cancel();
    const page = await pdf.getPage(number);
    const viewport = page.getViewport({ scale: fitScale(page) * state.zoom });
    let ratio = window.devicePixelRatio || 1;
    if (viewport.width * viewport.height * ratio * ratio > MAX_CANVAS_PIXELS) {
      ratio = Math.sqrt(MAX_CANVAS_PIXELS / (viewport.width * viewport.height));
    }
    const offscreen = document.createElement("canvas");
    offscreen.width = Math.floor(viewport.width * ratio);
    offscreen.height = Math.floor(viewport.height * ratio);
    const task = page.render({
      canvasContext: offscreen.getContext("2d"),
      viewport,
      transform: ratio !== 1 ? [ratio, 0, 0, ratio, 0, 0] : null,
    });
    state.task = task;
    try {
      await task.promise;
    } catch (error) {
      if (error && error.name === "RenderingCancelledException") return false;
      throw error;
    }
    // Swap the drawn page in at once, so that a slow page never shows half-drawn.
    canvas.width = offscreen.width;
    canvas.height = offscreen.height;
    canvas.style.width = Math.floor(viewport.width) + "px";
    canvas.style.height = Math.floor(viewport.height) + "px";
    canvas.getContext("2d").drawImage(offscreen, 0, 0);
    canvas.setAttribute("aria-label", `第 ${number} 页`);
    stage.style.width = Math.floor(viewport.width) + "px";
    stage.style.setProperty("--scale-factor", viewport.scale);
    layer.replaceChildren();
    const textLayer = new pdfjs.TextLayer({ textContentSource: page.streamTextContent(), container: layer, viewport });
    await textLayer.render();
    const marked = mark(layer, words);
    stage.dataset.page = number;
    stage.dataset.marks = marked;
    return true;
  }

  function show(number) {
    number = Math.min(Math.max(1, number | 0), pdf.numPages);
    state.drawing = state.drawing
      .then(() => draw(number))
      .catch((error) => {
        // The server's page images come back: they show every page pdf.js could not draw.
        status.textContent = `第 ${number} 页无法在浏览器中绘制,请展开下方“查看原文版式”阅读。`;
        if (fallback) fallback.hidden = false;
        console.warn("pdf.js:", error);
      });
    return state.drawing;
  }

  root.addEventListener("click", (event) => {
    const button = event.target.closest("[data-pdf-action]");
    if (!button) return;
    const action = button.dataset.pdfAction;
    if (action === "prev") show(state.number - 1);
    else if (action === "next") show(state.number + 1);
    else {
      if (action === "zoom-in") state.zoom = Math.min(MAX_ZOOM, state.zoom * 1.25);
      else if (action === "zoom-out") state.zoom = Math.max(MIN_ZOOM, state.zoom / 1.25);
      else state.zoom = 1;
      show(state.number);
    }
  });
  // ← and → turn the pages, unless the reader is typing somewhere.
  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey || event.target.closest("input, textarea, select")) return;
    if (event.key === "ArrowLeft") show(state.number - 1);
    else if (event.key === "ArrowRight") show(state.number + 1);
  });
  pageInput.addEventListener("change", () => show(parseInt(pageInput.value, 10) || 1));
  // Redraw when the width changes (a phone turned), not when a phone's address bar changes the height.
  let resized = null;
  let width = root.clientWidth;
  window.addEventListener("resize", () => {
    clearTimeout(resized);
    resized = setTimeout(() => {
      if (root.clientWidth === width) return;
      width = root.clientWidth;
      show(state.number);
    }, 200);
  });

  let first = 1;
  if (words.length) {
    status.textContent = "正在查找“" + words.join("”“") + "”……";
    first = await firstPageWith(pdf, words);
    status.textContent = first
      ? `第 ${first} 页有“${words.join("”“")}”,已标出。`
      : `PDF 的文字层中没有找到“${words.join("”“")}”。`;
  }
  await show(first || 1);
}

// The text of a page as pdf.js reads it, its pieces joined without spaces (Chinese has none to lose).
async function pageText(pdf, number) {
  const page = await pdf.getPage(number);
  const content = await page.getTextContent();
  return content.items.map((item) => item.str || "").join("");
}

async function firstPageWith(pdf, words) {
  for (let number = 1; number <= pdf.numPages; number++) {
    const text = squeeze(await pageText(pdf, number));
    if (words.some((word) => text.includes(squeeze(word)))) return number;
  }
  return 0;
}

function squeeze(text) {
  return text.replace(/\s+/g, "");
}

// Wrap each occurrence of the words in <mark>, across the spans a line may be cut into: the spans' texts
// are joined (spaces left out), the words found in the whole, and each span gets its share of a match.
function mark(layer, words) {
  if (!words.length) return 0;
  const pieces = [];
  let joined = "";
  for (const span of layer.querySelectorAll("span:not(.markedContent)")) {
    const node = span.firstChild;
    if (!node || node.nodeType !== Node.TEXT_NODE || span.childNodes.length !== 1) continue;
    for (let i = 0; i < node.data.length; i++) {
      if (/\s/.test(node.data[i])) continue;
      pieces.push({ span, offset: i });
      joined += node.data[i];
    }
  }
  const hits = new Map(); // span → [[start, end], …] in the span's own text
  let count = 0;
  for (const word of words) {
    const needle = squeeze(word);
    if (!needle) continue;
    for (let at = joined.indexOf(needle); at !== -1; at = joined.indexOf(needle, at + needle.length)) {
      count++;
      for (let i = at; i < at + needle.length; i++) {
        const { span, offset } = pieces[i];
        const ranges = hits.get(span) || [];
        const last = ranges[ranges.length - 1];
        if (last && last[1] === offset) last[1] = offset + 1;
        else ranges.push([offset, offset + 1]);
        hits.set(span, ranges);
      }
    }
  }
  for (const [span, found] of hits) {
    // Two words may overlap (河湖, 河湖保洁): merge their ranges before cutting the text.
    found.sort((a, b) => a[0] - b[0]);
    const ranges = [];
    for (const range of found) {
      const last = ranges[ranges.length - 1];
      if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
      else ranges.push([...range]);
    }
    const text = span.textContent;
    const parts = [];
    let at = 0;
    for (const [start, end] of ranges) {
      if (start > at) parts.push(document.createTextNode(text.slice(at, start)));
      const m = document.createElement("mark");
      m.textContent = text.slice(start, end);
      parts.push(m);
      at = end;
    }
    if (at < text.length) parts.push(document.createTextNode(text.slice(at)));
    span.replaceChildren(...parts);
  }
  return count;
}
