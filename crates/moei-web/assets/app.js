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

// Registration desk: while a person is being registered, ask the server for likely earlier
// registrations and show them with their reasons. Only reads; nothing is merged here.
document.addEventListener("DOMContentLoaded", function () {
  var panel = document.getElementById("matches");
  var form = document.getElementById("register-form");
  if (!panel || !form) return;
  var list = document.getElementById("match-list");
  var timer = null;
  var fields = ["given_name", "family_name", "name_original_script", "sex", "date_of_birth", "nationality"];
  function value(name) { var el = form.elements[name]; return el ? el.value.trim() : ""; }
  function render(items) {
    list.textContent = "";
    if (!items.length) {
      var li = document.createElement("li");
      li.textContent = panel.dataset.labelNone;
      list.appendChild(li);
      return;
    }
    items.forEach(function (m) {
      var li = document.createElement("li");
      li.setAttribute("data-testid", "match");
      var a = document.createElement("a");
      a.href = "/persons/" + m.person.id;
      a.textContent = m.person.registration_number;
      li.appendChild(a);
      var name = [m.person.given_name, m.person.family_name].join(" ").trim();
      li.appendChild(document.createTextNode(" " + name + " " + m.person.name_original_script + " · " +
        m.person.nationality + " · " + (m.person.date_of_birth || "") + " · " +
        panel.dataset.labelProbability + " " + Math.round(m.probability * 100) + "%"));
      var why = document.createElement("small");
      why.textContent = " (" + m.explanation.contributions.map(function (c) {
        return c.field + " " + c.level_name + " " + (c.weight >= 0 ? "+" : "") + c.weight.toFixed(1);
      }).join(", ") + ")";
      li.appendChild(why);
      list.appendChild(li);
    });
  }
  function check() {
    var body = {};
    fields.forEach(function (f) { body[f] = value(f); });
    if (!body.given_name && !body.family_name && !body.name_original_script) return;
    fetch("/api/v1/persons/match", {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/json", "x-csrf-token": panel.dataset.csrf },
      body: JSON.stringify(body)
    }).then(function (r) { return r.ok ? r.json() : { items: [] }; })
      .then(function (data) { render(data.items || []); })
      .catch(function () {});
  }
  fields.forEach(function (f) {
    var el = form.elements[f];
    if (el) el.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(check, 350); });
  });
});
