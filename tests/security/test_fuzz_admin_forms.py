"""The Wagtail admin's forms of the project, fuzzed with Hypothesis like the public forms
(tests/security/test_fuzz_forms.py; the field walk, the hostile values and the check of a post
are shared, in tests/security/fuzzing.py): the create and edit forms of every page type and
snippet of the project's own apps, and the project's own admin views (newsletter
subscriptions, the media log, the social-media CSV import, the question bank's GIFT/Aiken/CSV
import, certificates, the outbox). Each form is read as the administrator and posted back with
hostile values and hostile files (tests/security/hostile_files.py) in every file input;
StreamFields, which the admin draws with JavaScript, get hostile block data of their own (counts
that are not numbers, unknown block types, missing keys).

No answer may be a 500, and an answer that is not a redirect must have saved nothing.
``FUZZ_ADMIN_FORM_EXAMPLES`` (setting, from the environment) is the number of examples per form."""

from dataclasses import dataclass

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from hypothesis import strategies as st
from wagtail.blocks import StreamBlock, StructBlock
from wagtail.fields import StreamField
from wagtail.models import Page, get_page_models
from wagtail.snippets.models import get_snippet_models

from tests.security.fuzzing import HOSTILE, Form, draw_fields, form_fields, fuzz_forms
from tests.security.matrix_world import Requester

pytestmark = pytest.mark.django_db

OWN_APPS = ("cms", "courses", "forum", "exchange")
# Tables the admin writes while showing or refusing a form: who is editing the page now, and
# the editor's subscription to the page's comment notifications (made when the form opens).
ADMIN_BOOKKEEPING = {"wagtailadmin.editingsession", "wagtailcore.pagesubscription"}


@dataclass
class AdminForm(Form):
    streams: tuple = ()  # (field name, StreamBlock)


def own(model):
    return model.__module__.split(".")[0] in OWN_APPS


def stream_fields(model):
    return tuple(
        (field.name, field.stream_block)
        for field in model._meta.get_fields()
        if isinstance(field, StreamField)
    )


def admin_pages(world):
    """(URL, model or None) of every admin form to fuzz, with real ids."""
    pages = []
    for model in get_page_models():
        if not own(model) or model is Page:
            continue
        parent = next(
            (
                candidate
                for parent_model in model.allowed_parent_page_models()
                if parent_model is not Page
                for candidate in parent_model.objects.all()[:3]
                if model.can_create_at(candidate)
            ),
            None,
        )
        label = f"{model._meta.app_label}/{model._meta.model_name}"
        if parent is not None:
            pages.append((f"/admin/pages/add/{label}/{parent.pk}/", model))
        instance = model.objects.order_by("pk").first()
        if instance is not None:
            pages.append((f"/admin/pages/{instance.pk}/edit/", model))
    for model in get_snippet_models():
        if not own(model):
            continue
        label = f"{model._meta.app_label}/{model._meta.model_name}"
        pages.append((f"/admin/snippets/{label}/add/", model))
        instance = model.objects.order_by("pk").first()
        if instance is not None:
            pages.append((f"/admin/snippets/{label}/edit/{instance.pk}/", model))
    course = world.course.pk
    pages += [
        ("/admin/newsletter_subscriptions/new/", None),
        ("/admin/media-log/coverage/new/", None),
        ("/admin/media-log/social/new/", None),
        ("/admin/media-log/targets/new/", None),
        ("/admin/reports/dissemination/social-import/", None),
        (f"/admin/quizzes/bank/{course}/import/", None),
        (f"/admin/courses/{course}/certificates/", None),
        ("/admin/quizzes/grading/", None),
        ("/admin/outbox/", None),
    ]
    return pages


def discover_admin_forms(requester):
    forms, unread = {}, []
    for url, model in admin_pages(requester.world):
        response = requester.request("admin", "GET", url)
        if response.status_code != 200:
            unread.append(f"{url}: {response.status_code}")
            continue
        page = BeautifulSoup(response.content, "html.parser")
        for element in page.find_all("form"):
            if (element.get("method") or "get").lower() != "post":
                continue
            action = element.get("action") or url
            if not action.startswith("/admin/") or action.endswith("/logout/"):
                continue
            form = AdminForm(
                page=url,
                role="admin",
                action=action,
                fields=form_fields(element),
                streams=stream_fields(model) if model else (),
            )
            forms.setdefault(form.key, form)
    return list(forms.values()), unread


def _block_value(block, prefix):
    """Hostile data for one child block: its value, or a struct's children by name."""
    hostile = st.sampled_from(HOSTILE) | st.text(max_size=20)
    if isinstance(block, StructBlock):
        return st.fixed_dictionaries(
            {f"{prefix}-{name}": hostile for name in list(block.child_blocks)[:6]}
        )
    return st.fixed_dictionaries({prefix: hostile})


@st.composite
def stream_data(draw, name, block: StreamBlock):
    if draw(st.integers(0, 5)) == 0:
        return {}  # the field left out entirely
    count = draw(st.sampled_from(["0", "1", "2"]) | st.sampled_from(HOSTILE))
    data = {f"{name}-count": count}
    types = list(block.child_blocks)
    for index in range(int(count) if count in ("1", "2") else 1):
        prefix = f"{name}-{index}"
        kind = draw(st.sampled_from(types) | st.sampled_from(HOSTILE)) if types else "x"
        data[f"{prefix}-type"] = kind
        data[f"{prefix}-deleted"] = draw(st.sampled_from(["", "1", "\x00"]))
        data[f"{prefix}-order"] = draw(st.sampled_from([str(index), *HOSTILE[:4]]))
        data[f"{prefix}-id"] = draw(st.sampled_from(["", "abc", "\x00"]))
        if kind in block.child_blocks:
            data.update(draw(_block_value(block.child_blocks[kind], f"{prefix}-value")))
    return data


@st.composite
def admin_form_data(draw, form):
    data = draw_fields(draw, form)
    for name, block in form.streams:
        data.update(draw(stream_data(name, block)))
    return data


def test_every_admin_form_survives_hostile_input_and_saves_nothing_when_refused(
    world, django_db_blocker
):
    with django_db_blocker.unblock():
        requester = Requester(world)
        forms, unread = discover_admin_forms(requester)
        assert not unread, f"admin pages not shown to the administrator: {unread}"
        assert len(forms) >= 40, f"only {len(forms)} admin forms found: the walk is broken"
        assert any(name for form in forms for name, kind, *_ in form.fields if kind == "file")
        failures = fuzz_forms(
            forms,
            admin_form_data,
            requester=requester,
            examples=settings.FUZZ_ADMIN_FORM_EXAMPLES,
            leave_out=ADMIN_BOOKKEEPING,
        )
    assert not failures, f"{len(failures)} admin form posts failed:\n" + "\n".join(failures[:60])
