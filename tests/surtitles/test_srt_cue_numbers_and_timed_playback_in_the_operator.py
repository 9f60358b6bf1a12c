"""Cue lists built from SRT keep the file's cue numbers (a skipped broken cue does not shift
them), and the operator example plays the cues at their times with GO still stepping."""
import os

from kamaelia_lite.surtitles.cues import CueDeck, CueList
from kamaelia_lite.surtitles.subtitles import parse_subtitles

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

SRT = (b"1\n00:00:00,300 --> 00:00:00,600\none\n\n"
       b"2\n00:00:0x,000 --> 00:00:01,000\nbroken\n\n"
       b"3\n00:00:00,700 --> 00:00:01,000\nthree\n\n"
       b"4\n00:00:01,100 --> 00:00:01,400\n<i>four</i>\n\n"
       b"5\n00:00:05,000 --> 00:00:06,000\nfive\n")


def test_cue_ids_are_the_srt_numbers_after_a_skipped_cue():
    cl = CueList.from_tracks({"en": parse_subtitles(SRT)})
    assert [e.ident for e in cl.entries] == ["1", "3", "4", "5"]
    deck = CueDeck(cl)
    deck.apply(("cue", "4"))
    assert deck.shown()["texts"] == {"en": "<i>four</i>"}     # italics kept for the display


def test_timed_deck_follows_times_and_manual_moves_reanchor_the_clock():
    deck = CueDeck(CueList.from_tracks({"en": parse_subtitles(SRT)}))
    deck.set_timed(True, 10000)
    assert deck.tick(10000) == 10300
    deck.tick(10750)
    assert deck.shown()["cue"] == "3"
    deck.apply(("next",), 10800)          # GO: cue 4, the clock carries on from its start
    assert deck.shown()["cue"] == "4"
    assert deck.tick(10800) == 10800 + 5000 - 1100
    deck.apply(("pause",), 10900)
    assert deck.tick(20000) is None and deck.shown()["cue"] == "4"


def test_operator_example_plays_srt_cues_at_their_times_and_go_still_steps(tmp_path):
    from surtitles_helpers import Proc, wait_until
    path = os.path.join(str(tmp_path), "show.en.srt")
    with open(path, "wb") as f:
        f.write(SRT)
    op = Proc(["examples.surtitles.operator", "--key", "k", "--tcp", "127.0.0.1:0", "--srt", "en=" + path,
               "--timed", "--state-file", str(tmp_path / "show.position")], stdin=True)

    def order():
        out = []
        for ln in op.lines:
            if ln.startswith("LIVE cue="):
                cue = ln.split()[1]
                if not out or out[-1] != cue:
                    out.append(cue)
        return out
    try:
        # cues 1, 3 and 4 come by themselves at their times (1.1 s); cue 5 is due only at 5 s
        assert wait_until([op], lambda: "cue=4" in order(), 20), op.lines
        op.send("go")                                   # GO steps to 5 at once
        assert wait_until([op], lambda: "cue=5" in order(), 5), order()
        op.send("cue 3")
        assert wait_until([op], lambda: order()[-1:] == ["cue=3"], 5), order()
        op.send("quit")
        assert op.p.wait(10) == 0
        op.feed()
        assert order() == ["cue=-", "cue=1", "cue=3", "cue=4", "cue=5", "cue=3"]
        assert any("TIMED" in ln for ln in op.lines)
        assert "skipped line 6: unreadable timing line" in op.p.stderr.read().decode()
    finally:
        op.stop()


def test_audience_phones_get_plain_text_and_the_italic_runs_apart():
    import json

    from kamaelia_lite.surtitles.web import PhoneView
    v = PhoneView(["en", "fr"])
    msg = json.loads(v.update({"cue": "4", "texts": {"en": "<i>four</i> and <b>more</b>", "fr": "quatre"}}))
    assert msg["texts"] == {"en": "four and <b>more</b>", "fr": "quatre"}
    assert msg["italic"] == {"en": [[1, "four"], [0, " and <b>more</b>"]]}     # only where there are italics
    # the same words without the italics are a change a phone must see
    assert json.loads(v.update({"cue": "4", "texts": {"en": "four and <b>more</b>", "fr": "quatre"}})).get(
        "italic") is None
    assert "italic" not in json.loads(v.update({"cue": "4", "texts": {"en": "<i>x</i>"}, "blackout": True}))
