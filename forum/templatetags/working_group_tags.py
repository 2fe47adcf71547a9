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
        "can_moderate": bool(permissions.moderated_forum_ids(user))
        if user.is_authenticated
        else False,
    }


@register.filter
def handle(user):
    """The @handle members use to mention ``user``."""
    return mention_handle(user)
