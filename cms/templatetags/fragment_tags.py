"""``{% fragment "name" value … %}…{% endfragment %}``: the enclosed part of a template rendered
once and kept until the next write to the database (cms/fragments.py), for every visitor whose
request gives the same values (the language is always part of the key). Querysets the part reads
are not evaluated when it comes from the cache, so give them to the template unevaluated.

A preview of a draft (Wagtail's ``request.is_preview``) renders the part afresh and keeps
nothing. A form's ``{% csrf_token %}`` may go inside: the part is kept with a placeholder that
each render replaces with the request's own token (cms.fragments.cached_html). What may not
go inside: a CSP nonce, or anything personal unless ``audience`` (the template variable set by
``fragment_audience``) is among the values."""

from django import template

from cms import fragments

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, nodelist, name, vary):
        self.nodelist = nodelist
        self.name = name
        self.vary = vary

    def render(self, context):
        # an included template's context has the request as an attribute only
        request = getattr(context, "request", None) or context.get("request")
        if getattr(request, "is_preview", False):
            # an editor's preview shows a draft: never kept, nor served what is kept
            return self.nodelist.render(context)
        name = self.name.resolve(context)
        vary = [value.resolve(context) for value in self.vary]

        def render(csrf_token):
            with context.push(csrf_token=csrf_token):
                return self.nodelist.render(context)

        return fragments.cached_html(
            f"template:{name}", *vary, render=render, csrf_token=context.get("csrf_token")
        )


@register.tag("fragment")
def do_fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"'{bits[0]}' needs a name")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(
        nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(bit) for bit in bits[2:]]
    )


@register.simple_tag(takes_context=True)
def fragment_audience(context):
    """The visitor, as a personal fragment's key needs it: "anonymous", or one member."""
    return fragments.audience(context.get("request"))
