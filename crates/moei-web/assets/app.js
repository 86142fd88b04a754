// Small keyboard helpers for the registration desk. Everything works without this script.
document.addEventListener("keydown", function (e) {
  // Ctrl+Enter submits the form from anywhere, including the notes box.
  if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
    var form = e.target && e.target.form;
    if (form) { e.preventDefault(); form.requestSubmit(); }
  }
});
document.addEventListener("DOMContentLoaded", function () {
  // Upper-case nationality codes as they are typed.
  var nat = document.getElementById("nationality");
  if (nat) nat.addEventListener("input", function () { nat.value = nat.value.toUpperCase(); });
});
