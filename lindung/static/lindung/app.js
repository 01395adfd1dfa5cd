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
