from django import template

from forum import permissions
from forum.notifications import mention_handle

register = template.Library()


@register.inclusion_tag("working_groups/includes/navigation.html", takes_context=True)
def forum_navigation(context):
    request = context["request"]
    user = request.user
    return {
        "request": request,
        "user": user,
        "can_moderate": bool(permissions.moderated_forum_ids(user)),
    }


@register.filter
def handle(user):
    """The @handle members use to mention ``user``."""
    return mention_handle(user)


@register.simple_tag
def question_states(topics):
    """{topic id: solved?} of the question topics among ``topics`` (one query)."""
    from forum.selectors import question_states as states

    return states(topic.pk for topic in topics)


@register.filter
def lookup(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag(takes_context=True)
def watch_levels(context, topics):
    """{topic id: level} of the signed-in reader for ``topics`` (one query)."""
    from forum.selectors import watch_levels as levels

    return levels(context["request"].user, topics)
