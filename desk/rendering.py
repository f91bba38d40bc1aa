"""How every form is drawn (settings.FORM_RENDERER): Django's own field template, which
puts each field's errors beside it and names them and the help text in the control's
aria-describedby, inside a form template that first sums the errors up, each linked
to its field (desk/templates/guifan/forms/div.html)."""

from django.forms.renderers import DjangoTemplates


class FormRenderer(DjangoTemplates):
    form_template_name = "guifan/forms/div.html"
