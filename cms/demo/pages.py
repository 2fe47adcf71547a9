"""Helpers of the page loaders: a live child page created once, a published translation, a
few generated images."""

import datetime
from io import BytesIO

from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model
from wagtail.models import Locale

P = "<p>{}</p>".format


def _figures(*rows):
    return [
        ("figure", {"value": value, "unit": unit, "label": label}) for value, unit, label in rows
    ]


def _date(parts):
    return datetime.date(*parts) if parts else None


def _publish(page):
    revision = page.save_revision()
    revision.publish()
    page.refresh_from_db()
    return page


def _child(parent, model, slug, relations=None, **fields):
    """The child of ``parent`` with ``slug``, created live if missing. ``relations`` sets
    many-to-many and child relations before the single save (fast: no revision needed for
    demo content; editing it in the admin creates the first revision)."""
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    if existing is not None:
        return existing, False
    now = timezone.now()
    page = model(slug=slug, live=True, first_published_at=now, last_published_at=now, **fields)
    for name, value in (relations or {}).items():
        setattr(page, name, value)
    return parent.add_child(instance=page), True


def _demo_images():
    """A few generated images (no download) for listings and galleries."""
    Image = get_image_model()
    specs = [
        ("Wool selvedges sorted by colour", (166, 124, 82)),
        ("Bales of sorted post-consumer garments", (72, 110, 140)),
        ("Recycled fibre ready for carding", (190, 180, 160)),
        ("Needle-punched felt from recycled fibre", (90, 90, 90)),
    ]
    images = []
    for title, colour in specs:
        image = Image.objects.filter(title=title).first()
        if image is None:
            canvas = PILImage.new("RGB", (960, 640), colour)
            draw = ImageDraw.Draw(canvas)
            for offset in range(0, 960, 24):
                draw.line(
                    [(offset, 0), (offset + 320, 640)], fill=tuple(c + 30 for c in colour), width=6
                )
            buffer = BytesIO()
            canvas.save(buffer, format="JPEG", quality=80)
            slug = title.lower().replace(" ", "-")[:40]
            image = Image(title=title)
            image.file = ImageFile(buffer, name=f"demo-{slug}.jpg")
            image.save()
        images.append(image)
    return images


def _translate(page, language, title, summary=None):
    """A published translation of ``page`` in ``language`` with a translated title and
    summary (parents are copied as needed)."""
    locale = Locale.objects.get(language_code=language)
    existing = page.get_translation_or_none(locale)
    if existing is not None:
        existing = existing.specific
        if existing.alias_of_id or (existing.title == page.title and title != page.title):
            # Copied as an alias along with a child: make it a translation of its own.
            existing.alias_of = None
            existing.title = title
            if summary is not None:
                existing.summary = summary
            existing.save()
            _publish(existing)
        return existing
    translation = page.copy_for_translation(locale, copy_parents=True).specific
    translation.title = title
    if summary is not None:
        translation.summary = summary
    translation.save()
    return _publish(translation)
