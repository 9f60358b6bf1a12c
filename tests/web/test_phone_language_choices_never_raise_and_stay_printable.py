"""What phones send the audience bridge about their language (``?lang=`` on the WebSocket URL,
``{"lang": CODE}`` messages): a code with a line end is not a language (the console's PHONES
line stays one line), and a message nested too deep for Python's JSON reader is ignored like
any other that is not a language choice, never raised."""
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamaelia_lite.net.http import Limits, Request
from kamaelia_lite.surtitles.web import LanguageCounts, format_counts, valid_language
from kamaelia_lite.surtitles.web_components import AudienceServer

CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@pytest.fixture(scope="module")
def bridge():
    """A real bridge (its listening socket on loopback), not started: its hub methods are
    called as WebConnection calls them. Large messages allowed, as a user may configure.
    (Nesting in the property test goes deeper than 4096 bytes allow: hypothesis raises the
    recursion limit while it runs a test.)"""
    server = AudienceServer(port=0, limits=Limits(max_message_bytes=4096))
    yield server
    server.web.tcp.listener.close()


def test_a_code_with_a_line_end_is_not_a_language():
    for code in ("en\n", "ja\r\n", "pt-BR\n", "en\x00"):
        assert not valid_language(code), repr(code)
    counts = LanguageCounts()                      # (no languages on offer yet)
    lang = Request("GET", "/live?lang=en%0A", {}).query["lang"][0]
    counts.join("phone", lang)
    assert counts.counts() == {"total": 1, "languages": {"other": 1}}
    assert "\n" not in format_counts(counts.counts())


def test_a_message_nested_too_deep_is_ignored(bridge):
    phone = object()
    bridge.view.languages[:] = ["en", "ja"]
    bridge.count.join(phone, "ja")
    before = bridge.ignored
    for depth in (1500, 2000):
        bridge.ws_message(phone, '{"lang": ' + "[" * depth + "]" * depth + "}")
        bridge.ws_message(phone, "[" * depth)
    assert bridge.ignored == before + 4
    try:
        assert bridge.phones()["languages"].get("ja") == 1
    finally:
        bridge.count.leave(phone)


messages = st.one_of(
    st.text(max_size=80),
    st.builds(lambda lang: '{"lang": %s}' % lang, st.text(max_size=24).map(repr).map(lambda r: '"%s"' % r[1:-1])),
    st.builds(lambda d, o, c: '{"lang": ' + o * d + c * d + "}", st.integers(0, 6000),
              st.sampled_from(["[", '{"a":']), st.sampled_from(["]", "}"])),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.sampled_from(["join", "say", "leave"]), messages), max_size=12))
def test_any_phone_messages_keep_the_counts_true_and_printable(bridge, steps):
    present = set()
    bridge.count = LanguageCounts(known=lambda: bridge.view.languages)     # no phones yet
    try:
        for who, op, text in steps:
            if op == "join":
                try:
                    req = Request("GET", "/live?lang=" + text, {})
                except (ValueError, UnicodeError):
                    continue                       # HttpSession answers 400 before any hub
                bridge.count.join(who, req.query.get("lang", [None])[0])
                present.add(who)
            elif op == "say":
                bridge.ws_message(who, text)
            else:
                bridge.count.leave(who)
                present.discard(who)
            c = bridge.phones()
            assert c["total"] == len(present) == sum(c["languages"].values())
            assert all(k in ("other", "none") or valid_language(k) for k in c["languages"])
            assert not CONTROL.search(format_counts(c))
    finally:
        for who in present:
            bridge.count.leave(who)
