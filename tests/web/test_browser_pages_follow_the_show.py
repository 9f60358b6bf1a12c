"""Audience pages in a real headless chromium: a Japanese and an Arabic page follow 20 cue
changes of the operator example, each showing exactly the right text within 1 s; a page joining
late shows the current cue within 2 s; a page whose server (a display acting as bridge) is
killed catches up within 2 s of the server coming back."""
import time

import pytest
from common_helpers import free_tcp_port as free_port
from web_helpers import Proc, browser, cue_text, write_show

KEY = "browser-test-key"


def wait_for_text(drivers, expect, timeout):
    """Seconds until every driver shows its expected text (None when one never does)."""
    t0 = time.monotonic()
    if isinstance(expect, str):
        expect = [expect] * len(drivers)
    pending = list(zip(drivers, expect))
    while pending:
        pending = [(d, e) for d, e in pending if cue_text(d)[0] != e]
        if not pending:
            break
        if time.monotonic() - t0 > timeout:
            return None
        time.sleep(0.01)
    return time.monotonic() - t0


@pytest.fixture
def show(tmp_path):
    cues = str(tmp_path / "show.cues")
    texts = write_show(cues)
    hub = free_port()
    web = free_port()
    op = Proc(["examples.surtitles.operator", "--key", KEY, "--tcp", "127.0.0.1:%d" % hub,
               "--cues", cues, "--web", "127.0.0.1:%d" % web])
    try:
        op.wait_line("WEB ")
        yield op, hub, web, texts
    finally:
        op.stop()


@pytest.fixture
def pages():
    made = []

    def make():
        d = browser()
        made.append(d)
        return d
    try:
        yield make
    finally:
        for d in made:
            d.quit()


def test_pages_in_japanese_and_arabic_follow_twenty_cues_and_a_late_page_catches_up(show, pages):
    op, hub, web, texts = show
    ja, ar = pages(), pages()
    ja.get("http://127.0.0.1:%d/?lang=ja" % web)
    ar.get("http://127.0.0.1:%d/?lang=ar" % web)
    for d in (ja, ar):
        assert wait_for_text([d], "", 5) is not None
        end = time.monotonic() + 5
        while cue_text(d)[1] != "live" and time.monotonic() < end:
            time.sleep(0.05)
        assert cue_text(d)[1] == "live"
    assert ja.execute_script("return document.getElementById('lang').value") == "ja"
    delays = []
    for i in range(1, 21):
        op.send("next")
        took = wait_for_text([ja, ar], [texts[i]["ja"], texts[i]["ar"]], 1.0)
        assert took is not None, "cue %d: pages show %r / %r" % (i, cue_text(ja), cue_text(ar))
        delays.append(took)
    assert ar.execute_script("return document.getElementById('cue').dir") == "auto"
    assert ar.execute_script("return getComputedStyle(document.getElementById('cue')).direction") == "rtl"
    assert ja.execute_script("return document.getElementById('cue').lang") == "ja"
    print("cue change to both pages: max %.0f ms, mean %.0f ms" % (
        max(delays) * 1000, sum(delays) / len(delays) * 1000))
    # a late page, in English, shows the current cue (20) within 2 s of being opened
    late = pages()
    t0 = time.monotonic()
    late.get("http://127.0.0.1:%d/?lang=en" % web)
    took = wait_for_text([late], texts[20]["en"], 2.0 - (time.monotonic() - t0))
    assert took is not None, "the late page shows %r" % (cue_text(late),)
    # picking another language on the page shows that language at once; the choice stays
    late.execute_script("var s=document.getElementById('lang'); s.value='ja';"
                        "s.dispatchEvent(new Event('change'));")
    assert wait_for_text([late], texts[20]["ja"], 1.0) is not None
    assert late.execute_script("return localStorage.getItem('surtitles.lang')") == "ja"
    # dark from the first paint; A+ twice makes the text larger, and a reload keeps the size
    assert late.execute_script("return getComputedStyle(document.body).backgroundColor") == "rgb(0, 0, 0)"
    size = lambda: late.execute_script(  # noqa: E731
        "return parseFloat(getComputedStyle(document.getElementById('cue')).fontSize)")
    before = size()
    late.find_element("id", "bigger").click()
    late.find_element("id", "bigger").click()
    bigger = size()
    assert bigger > before * 1.25
    late.refresh()
    assert wait_for_text([late], texts[20]["ja"], 2.0) is not None      # language remembered too
    assert abs(size() - bigger) < 0.5
    # the operator console counts the phones per language
    assert op.wait_line("PHONES ", 5, having=["3 phones (ar 1, ja 2)"])


def test_a_page_catches_up_within_two_seconds_of_its_server_coming_back(show, pages):
    op, hub, web, texts = show
    web2 = free_port()
    bridge_args = ["examples.surtitles.display", "--key", KEY, "--tcp", "127.0.0.1:%d" % hub,
                   "--headless", "--font", "bitmap", "--size", "320x60", "--web", "127.0.0.1:%d" % web2]
    for _ in range(3):
        op.send("next")
    bridge = Proc(bridge_args)
    try:
        bridge.wait_line("WEB ")
        page = pages()
        page.get("http://127.0.0.1:%d/?lang=ja" % web2)
        assert wait_for_text([page], texts[3]["ja"], 3.0) is not None, cue_text(page)
        bridge.stop()                                     # the server goes away
        end = time.monotonic() + 3
        while cue_text(page)[1] != "reconnecting" and time.monotonic() < end:
            time.sleep(0.02)
        assert cue_text(page) == [texts[3]["ja"], "reconnecting"]
        for _ in range(4):
            op.send("next")                               # the show moves on meanwhile
        time.sleep(1.5)
        bridge = Proc(bridge_args)                        # and the server comes back
        bridge.wait_line("WEB ")
        t_back = time.monotonic()
        took = wait_for_text([page], texts[7]["ja"], 2.0)
        assert took is not None, "page shows %r %.1f s after the server came back" % (
            cue_text(page), time.monotonic() - t_back)
        assert cue_text(page)[1] == "live"
        print("caught up %.0f ms after the server came back" % (took * 1000))
    finally:
        bridge.stop()
