"""The audience page in a real headless chromium shows a cue's italic spans in italics (the
computed style of the span, the rest upright), and shows any other markup a cue holds
(``<script>``, ``<b onclick=...>``, ``<img onerror=...>``, also inside an italic span) as the
characters it is: no element is made from it and nothing of it runs."""
import socket
import time

from web_helpers import Proc, browser, cue_text

XSS = ('<script>window.pwned=1</script><b onclick="window.pwned=2">bold?</b>'
       '<img src=x onerror="window.pwned=3">')
NESTED = '<b onclick="window.pwned=4">tricky</b>'
CUES = ("languages: en fr\nscene: One\n"
        "cue: 1\nen: <i>Ah!</i> the sea.\nfr: <i>Ah !</i> la mer.\n"
        "cue: 2\nen: %s\n"
        "cue: 3\nen: <i>%s</i> end\nen: <i>second line</i>\n" % (XSS, NESTED))


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def shows(driver, text, timeout=5.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cue_text(driver)[0] == text:
            return True
        time.sleep(0.02)
    return False


def page_state(driver):
    """The cue element's child nodes as [(node name, text, font style)], and the page's
    script count and whether injected code ran."""
    return driver.execute_script("""
        var el = document.getElementById('cue');
        var kids = [];
        el.childNodes.forEach(function (n) {
            kids.push([n.nodeName, n.textContent,
                       n.nodeType === 1 ? getComputedStyle(n).fontStyle : getComputedStyle(el).fontStyle]);
        });
        return {kids: kids, elements: el.querySelectorAll('*').length,
                scripts: document.scripts.length, pwned: window.pwned === undefined ? null : window.pwned};
    """)


def test_italic_spans_are_drawn_italic_and_markup_in_a_cue_is_only_text(tmp_path):
    cues = tmp_path / "show.cues"
    cues.write_text(CUES, encoding="utf-8")
    web = free_port()
    op = Proc(["examples.surtitles.operator", "--key", "italics-key", "--tcp", "127.0.0.1:%d" % free_port(),
               "--cues", str(cues), "--web", "127.0.0.1:%d" % web, "--fresh"])
    d = None
    try:
        op.wait_line("WEB ")
        d = browser()
        d.get("http://127.0.0.1:%d/?lang=en" % web)
        end = time.monotonic() + 5
        while cue_text(d)[1] != "live" and time.monotonic() < end:
            time.sleep(0.05)
        op.send("next")
        assert shows(d, "Ah! the sea."), cue_text(d)
        st = page_state(d)
        assert st["kids"] == [["I", "Ah!", "italic"], ["#text", " the sea.", "normal"]], st
        # another language's italics too
        d.execute_script("var s=document.getElementById('lang'); s.value='fr';"
                         "s.dispatchEvent(new Event('change'));")
        assert shows(d, "Ah ! la mer."), cue_text(d)
        assert page_state(d)["kids"][0] == ["I", "Ah !", "italic"]
        d.execute_script("var s=document.getElementById('lang'); s.value='en';"
                         "s.dispatchEvent(new Event('change'));")
        op.send("next")                                    # a cue made of markup: all text
        assert shows(d, XSS), cue_text(d)
        st = page_state(d)
        assert st["elements"] == 0 and st["kids"] == [["#text", XSS, "normal"]], st
        assert st["scripts"] == 1 and st["pwned"] is None, st
        d.find_element("id", "cue").click()
        op.send("next")                                    # markup inside an italic span
        assert shows(d, NESTED + " end\nsecond line"), cue_text(d)
        st = page_state(d)
        assert st["kids"] == [["I", NESTED, "italic"], ["#text", " end\n", "normal"],
                              ["I", "second line", "italic"]], st
        assert st["elements"] == 2, st                     # the two <i>, no <b>
        d.find_element("css selector", "#cue i").click()
        time.sleep(0.2)
        assert page_state(d)["pwned"] is None
        op.send("blackout on")                             # blackout: nothing left on the page
        assert shows(d, ""), cue_text(d)
        assert page_state(d)["kids"] == []
    finally:
        if d is not None:
            d.quit()
        op.stop()
