"""The site's form renderer: Django's ``TemplatesSetting`` (project templates may restyle any
widget), with the commonest templates written in Python: select boxes, inputs, error lists and
the field's group (label, help, errors, widget: themes/templates/django/forms/field.html).

A select renders each of its options through an include of ``select_option.html`` and the
attributes' loop of ``attrs.html``: the exchange's browse filters have some 400 options and the
partner search's countries 250, and rendering them through templates cost more than the whole
rest of such a page. A filter form of fifteen fields spent 3 ms in the field, input, attribute
and error-list templates around its widgets, on every list page that shows one. The HTML is the
same, character for character (``tests/cms/test_widgets.py`` compares the two for every field
of the site's forms, empty, filled and with errors); a select whose templates are not Django's
own (a widget that names other templates) is rendered by them. A project template that restyles
one of these (as field.html does Django's) is written here too: the tests fail until both
agree."""

from django.forms.renderers import TemplatesSetting
from django.utils.html import conditional_escape

from cms import tablecache

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"
FIELD_TEMPLATE = "django/forms/field.html"
ERROR_LIST_TEMPLATE = "django/forms/errors/list/default.html"
# Django's widget templates that are only an include of ``input.html``.
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{kind}.html"
    for kind in (
        "input",
        "text",
        "number",
        "email",
        "url",
        "password",
        "hidden",
        "search",
        "tel",
        "color",
        "checkbox",
        "date",
        "datetime",
        "time",
    )
)


def _attributes(attrs):
    """HTML attributes as Django's ``django/forms/widgets/attrs.html`` writes them."""
    return "".join(
        f" {conditional_escape(name)}"
        + ("" if value is True else f'="{conditional_escape(str(value))}"')
        for name, value in attrs.items()
        if value is not False
    )


def render_select(widget):
    """The HTML of ``select.html`` for a select widget's context, or None when one of its
    options names another template."""
    html = [f'<select name="{conditional_escape(widget["name"])}"{_attributes(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if any(option["template_name"] != OPTION_TEMPLATE for option in options):
            return None
        if group_name:
            html.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        html += [
            f'\n  <option value="{conditional_escape(str(option["value"]))}"'
            f"{_attributes(option['attrs'])}>{conditional_escape(option['label'])}</option>\n"
            for option in options
        ]
        if group_name:
            html.append("\n  </optgroup>")
    html.append("\n</select>")
    return "".join(html)


def render_input(widget):
    """The HTML of ``input.html`` for an input widget's context."""
    value = widget["value"]
    value = "" if value is None else f' value="{conditional_escape(str(value))}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{value}{_attributes(widget["attrs"])}>'
    )


def render_error_list(errors):
    """The HTML of ``errors/list/ul.html`` for a list of errors."""
    if not errors:
        return ""
    field_id = getattr(errors, "field_id", None)
    identity = f' id="{conditional_escape(field_id)}_error"' if field_id else ""
    items = "".join(f"<li>{conditional_escape(error)}</li>" for error in errors)
    return f'<ul class="{conditional_escape(errors.error_class)}"{identity}>{items}</ul>'


def render_field(field):
    """The HTML of the site's ``field.html`` (themes/templates/django/forms/field.html) for a
    bound field, with its newlines."""
    label = conditional_escape(field.label) if field.label else ""
    if field.use_fieldset:
        described = field.aria_describedby
        described = f' aria-describedby="{conditional_escape(described)}"' if described else ""
        head = f"\n  <fieldset{described}>\n  " + (f"<legend>{label}</legend>" if label else "")
    else:
        head = "\n  " + (
            f'<label for="{conditional_escape(field.id_for_label)}">{label}</label>'
            if label
            else ""
        )
    help_text = ""
    if field.help_text:
        identity = f' id="{conditional_escape(field.auto_id)}_helptext"' if field.auto_id else ""
        help_text = f'<div class="helptext"{identity}>{field.help_text}</div>'
    close = "</fieldset>" if field.use_fieldset else ""
    return f"\n{head}\n\n{help_text}\n{conditional_escape(field.errors)}\n{field}{close}\n"


def keep_choices(field, *key, tables):
    """Show a model choice field's choices from the table cache (cms/tablecache.py), read once
    and kept until one of ``tables`` is written, where the field reads its queryset on every
    render (a filter form's regions, topics and providers, on every list page). The queryset
    still validates a value given. ``key``: what the choices depend on besides the tables (a
    catalogue whose providers they are); their labels must not depend on the language (names),
    the empty choice's is the field's own."""
    kept = tablecache.cached(
        "choices",
        *key,
        tables=tables,
        compute=lambda: [(str(value), str(label)) for value, label in field.choices if value != ""],
    )
    empty = [] if field.empty_label is None else [("", field.empty_label)]
    field.widget.choices = [*empty, *kept]


class SiteFormRenderer(TemplatesSetting):
    def render(self, template_name, context, request=None):
        # As Django's renderers, the HTML without the whitespace around it; the callers (a
        # widget, a field, an error list) mark it safe.
        if template_name == SELECT_TEMPLATE:
            html = render_select(context["widget"])
            if html is not None:
                return html
        elif template_name in INPUT_TEMPLATES:
            return render_input(context["widget"])
        elif template_name == FIELD_TEMPLATE:
            return render_field(context["field"]).strip()
        elif template_name == ERROR_LIST_TEMPLATE:
            return render_error_list(context["errors"])
        return super().render(template_name, context, request)
