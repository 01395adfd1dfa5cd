// Lindung's only script: small behaviour htmx does not cover.
// Confirm destructive buttons (forms with a .danger button) before submitting.
document.addEventListener("submit", function (event) {
  var button = event.submitter;
  if (button && button.classList.contains("danger") && !window.confirm("Hapus data ini?")) {
    event.preventDefault();
  }
});

// A finished progress page moves on to its result in place of itself in the history, so
// that Back from the result leaves the flow (the server sends HX-Trigger "lindung:forward").
function forwardReplacingHistory(event) {
  window.location.replace(event.detail.value);
}
document.addEventListener("lindung:forward", forwardReplacingHistory);

// The menu button of the top bar on a phone: it opens and closes the menu and the account
// links (shown without it on a wider screen, and without script: see base.html).
document.addEventListener("click", function (event) {
  var toggle = event.target.closest && event.target.closest(".menu-toggle");
  if (!toggle) {
    return;
  }
  var open = toggle.getAttribute("aria-expanded") !== "true";
  toggle.setAttribute("aria-expanded", open ? "true" : "false");
  toggle.closest(".topbar").classList.toggle("menu-open", open);
});

// A <select data-autosubmit> (a filter) submits its form when changed.
document.addEventListener("change", function (event) {
  var select = event.target;
  if (select.matches && select.matches("select[data-autosubmit]") && select.form) {
    select.form.submit();
  }
});
