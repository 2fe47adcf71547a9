"""Each request on a roomy stretch of the interpreter's stack (cms/stack.py, CPython's
gh-142183): a loop that calls across the end of a stack chunk maps and unmaps a chunk on
every turn, and faults its pages in again; through ``call_with_room`` it does not."""

import resource

import pytest
from django.conf import settings

from cms import stack

pytestmark = pytest.mark.skipif(
    not stack.CHUNKED_STACK, reason="an interpreter without CPython's chunked frame stack"
)

TURNS = 3000


def _leaf():
    return 1


# A callee with a frame of some 2 KiB (a template node's render is about that with what it
# calls): a loop whose calls cross a chunk's end is then found at one depth in ten or so.
_leaf.__code__ = _leaf.__code__.replace(co_stacksize=_leaf.__code__.co_stacksize + 256)


def _loop():
    total = 0
    for _turn in range(TURNS):
        total += _leaf()
    return total


def _at_depth(depth, function):
    return function() if depth == 0 else _at_depth(depth - 1, function)


def _page_faults(function):
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    function()
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before


def _worst_depth_faults(run):
    """The most page faults of the loop started at any depth within a chunk's worth of frames
    (one of them puts the loop's calls across the end of a chunk)."""
    return max(_page_faults(lambda depth=depth: run(depth)) for depth in range(0, 160))


def test_a_loop_across_a_chunks_end_faults_on_every_turn_without_room_and_not_with_it():
    without = _worst_depth_faults(lambda depth: _at_depth(depth, _loop))
    if without < TURNS:
        pytest.skip("this interpreter keeps a spare chunk (gh-142183 fixed in its release)")
    # Here a chunk was mapped, touched and unmapped on each turn at the worst depth.
    within = _worst_depth_faults(lambda depth: stack.call_with_room(_at_depth, depth, _loop))
    assert within < TURNS / 10


@pytest.mark.django_db
def test_every_request_runs_with_room(client, monkeypatch):
    """First in the middleware, so the whole of a request (views, templates) is inside it;
    what the view returns or raises comes out unchanged."""
    assert settings.MIDDLEWARE[0] == "cms.stack.StackRoomMiddleware"
    calls = []
    original = stack.call_with_room

    def watched(function, *args):
        calls.append(function)
        return original(function, *args)

    monkeypatch.setattr(stack, "call_with_room", watched)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert len(calls) == 1
