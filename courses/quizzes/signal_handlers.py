"""Regional editors manage their courses' question banks (which banks: see selectors)."""

from django.contrib.auth.models import Group, Permission

EDITOR_ROLE = "Regional editor"
BANK_MODELS = ["question", "questioncategory"]


def grant_question_bank_permissions(**kwargs):
    """After each migrate, when the permissions exist: give Regional editors the add, change,
    delete and view permissions of the question bank snippets. Idempotent."""
    group = Group.objects.filter(name=EDITOR_ROLE).first()
    if group is None:
        return
    permissions = Permission.objects.filter(
        content_type__app_label="quizzes", content_type__model__in=BANK_MODELS
    )
    group.permissions.add(*permissions)
