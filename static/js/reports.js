/* The reports page (templates/reports/report_list.html): once "produce" is submitted, the button is
   disabled (a second click sends nothing) and the busy indicator beside it shows until the next page
   arrives. Without a worker (the embedded default) the report is produced inside that request, which
   takes a few seconds; with a worker the next page lists it as queued and its row polls its progress
   (htmx, reports/<id>/progress/). No inline script: the Content-Security-Policy allows the site's files. */
document.addEventListener("submit", function (event) {
  var form = event.target.closest && event.target.closest("form[data-report-request]");
  if (!form) return;
  if (form.getAttribute("data-busy")) {
    event.preventDefault();
    return;
  }
  form.setAttribute("data-busy", "1");
  form.querySelectorAll("button[type=submit]").forEach(function (button) {
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
  });
  form.querySelectorAll(".report-busy").forEach(function (busy) { busy.hidden = false; });
});
/* Back to the page from the browser's cache: the form is usable again. */
window.addEventListener("pageshow", function (event) {
  if (!event.persisted) return;
  document.querySelectorAll("form[data-report-request][data-busy]").forEach(function (form) {
    form.removeAttribute("data-busy");
    form.querySelectorAll("button[type=submit]").forEach(function (button) {
      button.disabled = false;
      button.removeAttribute("aria-busy");
    });
    form.querySelectorAll(".report-busy").forEach(function (busy) { busy.hidden = true; });
  });
});
