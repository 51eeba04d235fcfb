// The brief form: "插入本单位事项情况" appends the unit's live task summary to 本县情况.
(function () {
  const button = document.getElementById("insert-summary");
  const target = document.getElementById("id_situation");
  const subject = document.getElementById("id_subject");
  if (!button || !target) return;
  button.addEventListener("click", async function () {
    const url = new URL(button.dataset.url, window.location.href);
    if (subject && subject.value) url.searchParams.set("subject", subject.value);
    button.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(url, { credentials: "same-origin" });
      if (!response.ok) throw new Error(String(response.status));
      const text = await response.text();
      target.value = target.value.trim() ? target.value.trim() + "\n" + text : text;
      target.dispatchEvent(new Event("input"));
    } catch (error) {
      window.alert("未能读取本单位事项情况,请稍后再试。");
    } finally {
      button.removeAttribute("aria-busy");
    }
  });
})();
