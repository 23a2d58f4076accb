/* The public complaint form on a phone (issue 19, casework).
 *
 * - After a refused submit the server re-renders the form with an error summary at the top; the page
 *   would open at the top with the faulty field below the fold. Scroll to the first faulty field and put
 *   the cursor in it, so the worker sees at once what to fix. The summary's links do the same per field.
 * - The description's minimum length has a live counter. Progressive: without JavaScript nothing is
 *   lost, the server checks the length and says so.
 *
 * No inline script (CSP): loaded by templates/grievances/public_form.html.
 */
(function () {
  "use strict";

  function focusable(field) {
    return field.querySelector("input:not([type=hidden]), select, textarea");
  }

  function bringIntoView(field) {
    field.scrollIntoView({ block: "center" });
    var input = focusable(field);
    if (input) {
      input.focus({ preventScroll: true });
    }
  }

  function showFirstError(form) {
    var first = form.querySelector(".field.has-error");
    if (first) {
      bringIntoView(first);
    }
  }

  function linkSummary(form) {
    var summary = form.querySelector(".error-summary");
    if (!summary) {
      return;
    }
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) {
        return;
      }
      var target = document.getElementById(link.getAttribute("href").slice(1));
      var field = target && target.closest(".field");
      if (field) {
        event.preventDefault();
        bringIntoView(field);
      }
    });
  }

  // Characters as the server counts them: code points of the trimmed text (a Chinese character is one).
  function length(text) {
    return Array.from(text.trim()).length;
  }

  function counter(textarea) {
    var minimum = parseInt(textarea.dataset.minLength, 10);
    if (!minimum) {
      return;
    }
    var output = document.createElement("small");
    output.className = "char-counter";
    output.id = textarea.id + "-counter";
    output.setAttribute("aria-live", "polite");
    textarea.insertAdjacentElement("afterend", output);
    var described = textarea.getAttribute("aria-describedby");
    textarea.setAttribute("aria-describedby", (described ? described + " " : "") + output.id);

    function update() {
      var count = length(textarea.value);
      var short = count < minimum;
      var template = short ? textarea.dataset.counterShort : textarea.dataset.counterOk;
      output.textContent = template
        .replace("{count}", String(count))
        .replace("{minimum}", String(minimum))
        .replace("{left}", String(Math.max(minimum - count, 0)));
      output.classList.toggle("short", short);
      output.classList.toggle("enough", !short);
    }

    textarea.addEventListener("input", update);
    update();
  }

  function init() {
    var form = document.querySelector("form.complaint-form");
    if (!form) {
      return;
    }
    form.querySelectorAll("textarea[data-min-length]").forEach(counter);
    linkSummary(form);
    showFirstError(form);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
