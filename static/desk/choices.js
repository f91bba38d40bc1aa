/* One decision at a time: a field marked data-show-when="<choice field>:<value> <value>"
   is shown only while that choice is made (desk/forms.py, ShownForChoice). Without
   JavaScript every field stays visible and the server still checks what each choice
   needs. A static file, no inline script: the Content-Security-Policy forbids those. */
(function () {
  "use strict";

  function chosen(form, name) {
    var control = form.elements[name];
    if (!control) return null;
    if (control.type === "checkbox") return control.checked ? "on" : "";
    return control.value || "";
  }

  function update(form) {
    form.querySelectorAll("[data-show-when]").forEach(function (field) {
      var spec = field.getAttribute("data-show-when").split(":");
      var value = chosen(form, spec[0]);
      if (value === null) return;
      var wrapper = field.closest("div") || field;
      wrapper.hidden = spec[1].split(" ").indexOf(value) < 0;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form").forEach(function (form) {
      if (!form.querySelector("[data-show-when]")) return;
      update(form);
      form.addEventListener("change", function () { update(form); });
    });
  });
})();
