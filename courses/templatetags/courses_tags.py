from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``mapping[key]`` in a template, or None (also when ``mapping`` is not a dict)."""
    return mapping.get(key) if isinstance(mapping, dict) else None
