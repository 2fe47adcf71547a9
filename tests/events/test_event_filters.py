"""The event list filters by partner network, region and type (django-filter)."""

from cms.directory.models import OrganisationKind
from tests.cms.factories import event
from tests.factories import OrganisationFactory, RegionFactory


def test_events_filter_by_network_region_and_type(
    events_index, client, django_assert_max_num_queries
):
    tex4im = OrganisationFactory(name="TEX4IM partnership", kind=OrganisationKind.NETWORK)
    textranet = OrganisationFactory(name="Textranet", kind=OrganisationKind.NETWORK)
    prato = RegionFactory(name="Prato", nuts_code="ITI15", country="IT")
    event(
        events_index,
        publish=True,
        title="Prato days",
        organiser=tex4im,
        region=prato,
        kind="matchmaking",
    )
    shared = event(events_index, publish=True, title="Shared webinar", kind="webinar")
    shared.networks.set([textranet, tex4im])
    shared.save_revision().publish()
    event(events_index, publish=True, title="Unrelated workshop", kind="workshop")

    def titles(**params):
        response = client.get("/events/", params)
        assert response.status_code == 200
        return {e.title for e in response.context["events"]}

    assert titles() == {"Prato days", "Shared webinar", "Unrelated workshop"}
    assert titles(network=tex4im.pk) == {"Prato days", "Shared webinar"}
    assert titles(network=textranet.pk) == {"Shared webinar"}
    assert titles(region=prato.pk) == {"Prato days"}
    assert titles(kind="workshop") == {"Unrelated workshop"}
    assert titles(network="x\x00", kind="nonsense") == {
        "Prato days",
        "Shared webinar",
        "Unrelated workshop",
    }
    with django_assert_max_num_queries(25):
        client.get("/events/", {"network": tex4im.pk})
