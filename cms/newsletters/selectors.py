"""Reads of the newsletters."""

from .models import IssueSend


def delivery_ids_unsent(*, send: IssueSend) -> list[int]:
    """The ids of the deliveries of ``send`` not sent yet, in the order they were made."""
    return list(
        send.deliveries.filter(sent_at__isnull=True).order_by("pk").values_list("pk", flat=True)
    )
