"""Wagtail's documents live in the private storage, under random folders.

Wagtail serves a document only through its serve view (``WAGTAILDOCS_SERVE_METHOD =
"serve_view"``), which checks the privacy of its collection and of the pages that use it. Its
file in the public media storage (``/media/documents/<original name>``) would bypass that check
for anyone who knows or guesses the name, so the file goes to the private storage instead,
at ``documents/<random>/<original name>`` (the download keeps the original name).

Wagtail checks a document's collection privacy before serving it; a document that only private
pages use is private as well (``document_page_restriction_response``)."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from wagtail.forms import PasswordViewRestrictionForm
from wagtail.models import Page, PageViewRestriction, ReferenceIndex

from cms.files import random_file_name
from cms.storage import private_storage

DOCUMENT_FOLDER = "documents"


def document_file_path(instance, filename):
    return random_file_name(DOCUMENT_FOLDER, filename, keep_name=True)


def documents_private_setup():
    """Point the file field of Wagtail's document model at the private storage (at start-up,
    as forum.machina_overrides does for machina's attachments)."""
    from wagtail.documents import get_document_model

    field = get_document_model()._meta.get_field("file")
    # The storage and names are chosen here, not in Wagtail's migrations: without this,
    # makemigrations would want a migration inside Wagtail's installed package.
    deconstructed = field.deconstruct()
    field._storage_callable = private_storage
    field.storage = private_storage()
    field.upload_to = document_file_path
    field.deconstruct = lambda: deconstructed


def document_page_restriction_response(document, request):
    """Wagtail's ``before_serve_document`` hook checks the privacy of the document's
    collection; this one adds the privacy of the pages that use it. A document used only by
    private pages is private too: the visitor passes the view restriction of one of those
    pages (sign-in, group, password) as they would to read the page, and a document used only
    by unpublished pages is not found. A document used by one public, live page, or by no page
    at all, is left to the collection's privacy. People who work in the admin see every
    document there anyway."""
    page_type = ContentType.objects.get_for_model(Page)
    page_ids = {
        int(object_id)
        for object_id in ReferenceIndex.get_references_to(document)
        .filter(base_content_type=page_type)
        .values_list("object_id", flat=True)
        if object_id.isdigit()
    }
    if not page_ids or request.user.has_perm("wagtailadmin.access_admin"):
        return None
    pages = list(Page.objects.live().filter(pk__in=page_ids).order_by("path"))
    if not pages:
        raise Http404
    first_refusal = None
    for page in pages:
        refused = [r for r in page.get_view_restrictions() if not r.accept_request(request)]
        if not refused:
            return None
        first_refusal = first_refusal or (page, refused[0])
    page, restriction = first_refusal
    if restriction.restriction_type == PageViewRestriction.PASSWORD:
        form = PasswordViewRestrictionForm(
            instance=restriction, initial={"return_url": request.get_full_path()}
        )
        action_url = reverse(
            "wagtailcore_authenticate_with_password", args=[restriction.pk, page.pk]
        )
        response = page.specific.serve_password_required_response(request, form, action_url)
    else:
        response = redirect_to_login(request.get_full_path(), settings.WAGTAIL_FRONTEND_LOGIN_URL)
    add_never_cache_headers(response)
    return response
