// Behaviour the pages share, kept out of the HTML so that the Content-Security-Policy allows no inline script.
// data-autosubmit on a field submits its form when it changes; data-print on a button prints the page.
document.addEventListener("change", function (event) {
  var field = event.target.closest("[data-autosubmit]");
  if (field && field.form) field.form.submit();
});
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) window.print();
});
