"""Each request runs on a roomy stretch of the interpreter's stack (CPython 3.11–3.14).

Since 3.11, CPython keeps the frames of Python functions on a per-thread stack made of chunks
(16 KiB at least), each allocated with ``mmap`` when a call does not fit in the current one
and unmapped when the first frame in it returns. A loop deep in a request (a template's
``{% for %}`` over forty cards, each card an include, each include a dozen nested nodes) that
calls across the end of a chunk therefore maps and unmaps a chunk, and faults its pages in
again, on every turn: CPython's issue gh-142183, "Calls across stack chunks perform badly",
fixed by keeping one spare chunk in later 3.13 and 3.14 releases. Which loops fall on a chunk's
end depends on how deep the request starts, so the same page cost 14 ms of CPU in one process
and 28 ms in another (13 ms of it in the kernel, some 1,400 ``mmap``/``munmap`` pairs a
request), and a gunicorn worker hits it on some pages and not others.

``call_with_room`` calls a function from a frame that declares a large evaluation stack it
never uses: the frame gets a chunk of its own (512 KiB of address space, of which only the
pages the request's frames touch are ever faulted in), and everything the request calls fits
in it, with no chunk mapped or unmapped on the way. ``StackRoomMiddleware``, first in
``MIDDLEWARE``, runs every request so."""

import sys

# Unused evaluation-stack slots (8 bytes each) declared by the calling frame: 256 KiB, so the
# frame's chunk is 512 KiB and leaves some 256 KiB (over a thousand frames) to the request.
EXTRA_STACK_SLOTS = 32768

# Interpreters whose frames live on the chunked stack (later releases of 3.13 and 3.14 keep a
# spare chunk, where this costs one chunk a request and saves nothing).
CHUNKED_STACK = sys.implementation.name == "cpython" and (3, 11) <= sys.version_info[:2] <= (3, 14)


def call_with_room(function, *args):
    """``function(*args)``, with the frames it makes in one roomy chunk of the stack."""
    return function(*args)


if CHUNKED_STACK:
    call_with_room.__code__ = call_with_room.__code__.replace(
        co_stacksize=call_with_room.__code__.co_stacksize + EXTRA_STACK_SLOTS
    )


class StackRoomMiddleware:
    """Every request runs through ``call_with_room``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return call_with_room(self.get_response, request)
