"""A backup operator follows the leader's timing mode as well as its cue: when the primary of
a timed show (SRT cues at their times) is killed, the backup, started without --timed, leads
and the cues keep coming at their own times; while it stands by, a leader's pause stops its
clock too."""
import random
import time

from surtitles_helpers import Proc, free_udp_port, wait_until

from kamaelia_lite.surtitles.cues import CueDeck, CueList
from kamaelia_lite.surtitles.subtitles import parse_subtitles
from kamaelia_lite.surtitles.sync_components import adopt_commands

KEY = "timed-backup-%d" % random.randrange(1 << 30)
SRT = (b"1\n00:00:00,500 --> 00:00:01,500\none\n\n"
       b"2\n00:00:02,000 --> 00:00:03,000\ntwo\n\n"
       b"3\n00:00:06,000 --> 00:00:07,000\nthree\n\n"
       b"4\n00:01:00,000 --> 00:01:01,000\nfour\n")


def deck():
    return CueDeck(CueList.from_tracks({"en": parse_subtitles(SRT)}))


def test_a_standing_by_deck_takes_the_leaders_timing_mode_and_clock():
    leader, backup = deck(), deck()
    leader.set_timed(True, 1000)
    leader.tick(3000)                                   # media 2000: cue 2, at its start
    for cmd in adopt_commands(leader.shown()):
        backup.apply(cmd, 3000)
    assert backup.timed and backup.shown()["cue"] == "2"
    backup.tick(7000)                                   # the leader has gone: media 6000, cue 3
    assert backup.shown()["cue"] == "3"
    leader.apply(("pause",), 7500)
    for cmd in adopt_commands(leader.shown()):
        backup.apply(cmd, 7500)
    assert not backup.timed and backup.tick(60_000) is None
    manual = deck()
    for cmd in adopt_commands(dict(leader.shown(), timed=False)):
        manual.apply(cmd, 8000)
    assert not manual.timed
    assert ("timed", True) not in adopt_commands({"pos": 1, "cue": "2"})    # an older leader: no mode


def live_cues(proc):
    return [ln.split()[1][4:] for ln in proc.lines if ln.startswith("LIVE cue=")]


def test_the_backup_of_a_killed_timed_primary_keeps_the_cues_coming_at_their_times(tmp_path):
    srt = str(tmp_path / "show.en.srt")
    with open(srt, "wb") as f:
        f.write(SRT)
    net = ["--multicast", "239.255.44.%d:%d" % (random.randrange(1, 250), free_udp_port())]
    common = ["examples.surtitles.operator", "--key", KEY, "--srt", "en=" + srt, "--fresh"] + net
    backup = Proc(common + ["--backup", "--state-file", str(tmp_path / "b.pos")], stdin=True)
    time.sleep(0.5)
    primary = Proc(common + ["--timed", "--state-file", str(tmp_path / "p.pos")], stdin=True)
    try:
        assert wait_until([primary, backup], lambda: "1" in live_cues(primary), 30), primary.lines
        clock0 = time.monotonic() - 0.5
        assert wait_until([primary, backup], lambda: "2" in live_cues(backup), 10), backup.lines
        time.sleep(0.3)
        primary.p.kill()
        assert wait_until([backup], lambda: any(ln.startswith("ROLE leading") for ln in backup.lines), 5)
        # nobody presses anything: the backup's clock brings cue 3 at 6 s on the show clock
        assert wait_until([backup], lambda: "3" in live_cues(backup), 10), backup.lines[-20:]
        late = time.monotonic() - clock0 - 6.0
        assert -0.5 < late < 1.0, late
        assert any(ln.startswith("LIVE cue=3") and "TIMED" in ln for ln in backup.lines)
    finally:
        primary.stop()
        backup.stop()
