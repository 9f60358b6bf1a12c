"""The bridge's pure parts: what a phone is sent for each audience state, the per-language
counts, and the join links / QR codes the operator prints and writes; and the examples'
--web option (all interfaces when no host is given, said at start; a PNG per language)."""
import json
import subprocess
import sys

import pytest
from web_helpers import ENV, ROOT

from kamaelia_lite.surtitles.web import (
    LanguageCounts,
    PhoneView,
    format_counts,
    join_url,
    qr_png,
    qr_terminal,
    valid_language,
)


def test_phone_messages_carry_what_a_page_shows_and_only_on_change():
    v = PhoneView(["en", "ja"])
    m = json.loads(v.update({"cue": "3", "texts": {"ja": "第3幕", "en": "Act 3", "ar": "الفصل"},
                             "blackout": False, "freeze": True, "version": 7, "pos": 2}))
    assert m == {"seq": 1, "cue": "3", "texts": {"ar": "الفصل", "en": "Act 3", "ja": "第3幕"},
                 "blackout": False, "langs": ["en", "ja", "ar"]}
    assert "第3幕" in v.message                       # UTF-8 as is, not \\u escapes
    assert v.update({"cue": "3", "texts": {"en": "Act 3", "ja": "第3幕", "ar": "الفصل"}, "version": 8}) is None
    m = json.loads(v.update({"cue": "3", "texts": {"en": "Act 3"}, "blackout": True}))
    assert m["blackout"] is True and m["texts"] == {} and m["seq"] == 2
    for junk in (None, "next", 5, {"texts": "x"}, {"texts": {"../x": "a", "en": 3}}):
        v2 = PhoneView()
        out = v2.update(junk)
        assert out is None or json.loads(out)["texts"] == {}


def test_languages_are_checked_and_counted():
    assert valid_language("en") and valid_language("pt-BR") and valid_language("zh-Hant-TW")
    for bad in ("", "e", "english-language-code!", "../x", "en_GB", None, 5, "a" * 30):
        assert not valid_language(bad)
    offered = ["en", "ja"]
    c = LanguageCounts(known=lambda: offered)
    c.join("a", "ja")
    c.join("b", "xx")
    c.join("c", None)
    c.join("d", "<script>")
    assert c.counts() == {"total": 4, "languages": {"ja": 1, "none": 1, "other": 2}}
    assert c.change("c", "en") and not c.change("c", "en") and not c.change("zz", "en")
    c.leave("a")
    c.leave("a")
    assert c.counts() == {"total": 3, "languages": {"en": 1, "other": 2}}
    assert format_counts(c.counts()) == "3 phones (en 1, other 2)"
    assert format_counts({"total": 1, "languages": {"ja": 1}}) == "1 phone (ja 1)"


def test_join_links_and_qr_codes():
    assert join_url("http://10.0.0.5:8080", "ja") == "http://10.0.0.5:8080/?lang=ja"
    assert join_url("http://10.0.0.5:8080/") == "http://10.0.0.5:8080/"
    png = qr_png("http://10.0.0.5:8080/?lang=ja")
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) < 2000
    import io

    import pygame
    img = pygame.image.load(io.BytesIO(png))
    w, h = img.get_size()
    assert w == h and w >= 8 * 25
    assert img.get_at((2, 2))[:3] == (255, 255, 255)       # the quiet zone is light
    text = qr_terminal("http://10.0.0.5:8080/")
    assert len(text.splitlines()) >= 12 and "█" in text


@pytest.mark.parametrize("spec,everywhere", [("0", True), ("127.0.0.1:0", False)])
def test_the_operator_says_where_phones_join_and_writes_a_qr_png_per_language(tmp_path, spec, everywhere):
    out = subprocess.run([sys.executable, "-m", "examples.surtitles.operator", "--key", "k",
                          "--tcp", "127.0.0.1:0", "--web", spec, "--qr-dir", str(tmp_path)],
                         cwd=ROOT, env=ENV, input=b"quit\n", capture_output=True, timeout=30)
    text = out.stdout.decode()
    assert out.returncode == 0, out.stderr.decode()[-2000:]
    web = [ln for ln in text.splitlines() if ln.startswith("WEB ")][0]
    assert ("all interfaces" in web) == everywhere, web
    for lang in ("en", "fr", "de"):                     # the demo show's languages
        assert "JOIN %s http://" % lang in text and "?lang=%s" % lang in text
        assert (tmp_path / ("join-%s.png" % lang)).read_bytes().startswith(b"\x89PNG")
