/* The page behaviours UnionHub needs, wired by data attributes, so that no page carries inline script
   (the Content-Security-Policy allows scripts from the site only):
   - data-autosubmit on a select or input: changing it submits its form (filters);
   - data-confirm="question" on a button or link: it goes ahead only if the user confirms. */
document.addEventListener("change", function (event) {
  var field = event.target.closest && event.target.closest("[data-autosubmit]");
  if (field && field.form) field.form.submit();
});
document.addEventListener("click", function (event) {
  var trigger = event.target.closest && event.target.closest("[data-confirm]");
  if (trigger && !window.confirm(trigger.getAttribute("data-confirm"))) event.preventDefault();
});
