// Lindung's only script: small behaviour htmx does not cover.
// Confirm destructive buttons (forms with a .danger button) before submitting.
document.addEventListener("submit", function (event) {
  var button = event.submitter;
  if (button && button.classList.contains("danger") && !window.confirm("Hapus data ini?")) {
    event.preventDefault();
  }
});
