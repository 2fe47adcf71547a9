"""The site's form renderer: Django's ``TemplatesSetting`` (project templates may restyle any
widget), with select boxes written in Python.

A select renders each of its options through an include of ``select_option.html`` and the
attributes' loop of ``attrs.html``: the exchange's browse filters have some 400 options and the
partner search's countries 250, and rendering them through templates cost more than the whole
rest of such a page. The HTML is the same, character for character (``tests/cms/
test_widgets.py`` compares the two for every select of the site's filter forms); a select whose
templates are not Django's own (a widget that names other templates) is rendered by them."""

from django.forms.renderers import TemplatesSetting
from django.utils.html import conditional_escape

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


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


class SiteFormRenderer(TemplatesSetting):
    def render(self, template_name, context, request=None):
        if template_name == SELECT_TEMPLATE:
            html = render_select(context["widget"])
            if html is not None:
                return html
        return super().render(template_name, context, request)
