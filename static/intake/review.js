// The review page of 文件分解: a row and its sentence find each other, and a selection in the
// document becomes the source of a new row. Everything else is plain forms (htmx posts them).
(function () {
  "use strict";

  function clear() {
    document.querySelectorAll(".is-current").forEach(function (el) { el.classList.remove("is-current"); });
  }

  function marksOf(id) {
    return document.querySelectorAll('.intake-doc mark[data-rows~="' + id + '"]');
  }

  function show(id, scrollTo) {
    clear();
    var row = document.querySelector('tr[data-row="' + id + '"]');
    var marks = marksOf(id);
    if (row) row.classList.add("is-current");
    marks.forEach(function (mark) { mark.classList.add("is-current"); });
    var target = scrollTo === "row" ? row : marks[0];
    if (target) target.scrollIntoView({ block: "center", behavior: "smooth" });
  }

  document.addEventListener("click", function (event) {
    var mark = event.target.closest(".intake-doc mark[data-rows]");
    if (mark) {
      show(mark.dataset.rows.split(" ")[0], "row");
      return;
    }
    var row = event.target.closest("tr[data-row]");
    if (row && !event.target.closest("button, input, textarea, select, summary, a, label, details")) {
      show(row.dataset.row, "mark");
    }
  });

  // Character offsets inside a paragraph, counted as the server counts them (the text only).
  function offsetIn(paragraph, node, offset) {
    var range = document.createRange();
    range.selectNodeContents(paragraph);
    range.setEnd(node, offset);
    return range.toString().length;
  }

  document.addEventListener("mouseup", function (event) {
    if (!event.target.closest(".intake-doc")) return;
    var form = document.getElementById("add-row");
    var selection = window.getSelection();
    if (!form || !selection || selection.isCollapsed || !selection.rangeCount) return;
    var range = selection.getRangeAt(0);
    var startP = range.startContainer.parentElement && range.startContainer.parentElement.closest("p[data-p]");
    var endP = range.endContainer.parentElement && range.endContainer.parentElement.closest("p[data-p]");
    var note = document.getElementById("add-selection");
    if (!startP || startP !== endP) {
      if (note) note.textContent = "请在同一段内选择。";
      return;
    }
    var start = offsetIn(startP, range.startContainer, range.startOffset);
    var end = offsetIn(startP, range.endContainer, range.endOffset);
    form.querySelector("[name=paragraph]").value = startP.dataset.p;
    form.querySelector("[name=start]").value = start;
    form.querySelector("[name=end]").value = end;
    if (note) note.textContent = "已选中原文 " + (end - start) + " 字,点“添加”即以它为来源新增一行。";
  });
})();
