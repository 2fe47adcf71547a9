from django.core import signing
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponseRedirect
from django.views.decorators.cache import never_cache

from .services import is_bot, link_click_record, read_click_token


@never_cache
def click(request, token):
    """Count a click on a newsletter link, then redirect to it."""
    try:
        issue_id, url = read_click_token(token)
    except signing.BadSignature as error:
        raise Http404("Unknown link") from error
    if not is_bot(request.headers.get("User-Agent", "")):
        try:
            with transaction.atomic():
                link_click_record(issue_id=issue_id, url=url)
        except IntegrityError:  # the issue was deleted since: still take the reader there
            pass
    return HttpResponseRedirect(url)
