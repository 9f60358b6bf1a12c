"""A leader restarted on a saved position hears the displays before it publishes: when they
show a newer cue than the record (the operator died before its record was written), it sends
nothing older and resumes there; a display behind the others, a forged heartbeat, a record
that is really newer, a live operator, a timed clock, and no display at all leave the saved
position in charge (the sans-IO leader and followers fed the events)."""
from kamaelia_lite.surtitles.cues import CueDeck, parse_cue_list
from kamaelia_lite.surtitles.resume import position_record, restore_deck
from kamaelia_lite.surtitles.sync import (
    HEARTBEAT_MAGIC,
    MAGIC,
    SyncFollower,
    SyncLeader,
    encode_heartbeat,
    make_authenticator,
    open_datagram,
)
from kamaelia_lite.surtitles.sync_components import adopt_commands

KEY = b"resume-where-the-displays-are"
CUES = "".join("cue: %d\nen: line %d\nstart: 00:00:%02d,000\n" % (i, i, 2 * i) for i in range(1, 9))
TIMED = "\n\n".join("%d\n00:00:%02d,000 --> 00:00:%02d,500\nline %d" % (i, 2 * i, 2 * i + 1, i) for i in range(1, 9))


def deck():
    return CueDeck(parse_cue_list(CUES))


class Show:
    """A first operator run (epoch 1000) that took its displays to cue 4 and then died; its
    saved record says ``saved_at`` (the record as it was after that many moves)."""

    def __init__(self, moves=("cue 3", "next"), saved_after=1, displays=3, deck_of=deck):
        self.seen = []
        self.followers = [SyncFollower(make_authenticator(KEY)) for _ in range(displays)]
        d = deck_of()
        old = SyncLeader(make_authenticator(KEY), epoch=1000)
        self.record = None
        t = 0.0
        for i, m in enumerate(moves):
            d.apply(tuple(m.split()) if " " in m else (m,))
            self.deliver(old.publish(d.shown(), t), t)
            if i + 1 == saved_after:     # the writer caught up this far, no further
                self.record = position_record(d.operator_view(), saved_ms=1000 + 100 * i)
            t += 0.1
        self.shows_before = [f.state for f in self.followers]

    def deliver(self, datagrams, t, to=None):
        for dg in datagrams:
            for f in (self.followers if to is None else to):
                got = f.receive(dg, t)
                if got is not None:
                    self.seen.append(got)

    def beats(self, leader, verifier, t, followers=None):
        for f in (self.followers if followers is None else followers):
            hear(leader, verifier, encode_heartbeat(f.auth, "d-%d" % id(f), ["en"], f.epoch, f.version, f.state), t)


def hear(leader, verifier, datagram, t):
    """What SyncLeaderComponent does with a datagram heard."""
    opened = open_datagram(verifier, datagram)
    if opened is None:
        return
    magic, body = opened
    if magic == HEARTBEAT_MAGIC:
        leader.hear_display(body)
    elif magic == MAGIC:
        leader.hear(body, t)


def restart(show, epoch=2000, listen=1.5, **kw):
    """The restarted operator: a deck put back from the record, a leader listening first."""
    d = deck()
    restore_deck(d, show.record)
    lead = SyncLeader(make_authenticator(KEY), epoch=epoch, **kw)
    lead.listen(0.0, listen, show.record.get("saved"))
    show.seen = []
    show.deliver(lead.publish(d.shown(), 0.0), 0.0)
    return d, lead, make_authenticator(KEY, max_senders=64)


def run_to_choice(show, d, lead, verifier):
    for t in (0.2, 0.7, 1.2):
        show.beats(lead, verifier, t)
        show.deliver(lead.due(t), t)
    assert show.seen == [], "nothing goes out while the leader listens"
    assert lead.next_due() == 1.5
    return lead.resume_choice(1.5)


def finish(show, d, lead, place, t=1.5):
    for cmd in adopt_commands(place) if place else ():
        d.apply(cmd, 0)
    show.deliver(lead.due(t), t)
    show.deliver(lead.publish(d.shown(), t + 0.01), t + 0.01)
    for s in (2.0, 2.6, 3.2):
        show.deliver(lead.due(s), s)


def test_displays_ahead_of_the_record_keep_their_cue_and_the_leader_resumes_there():
    show = Show()
    assert show.record["live"] == "3" and {f.state["cue"] for f in show.followers} == {"4"}
    d, lead, v = restart(show)
    assert show.seen == []                                   # the record's cue 3 was not sent
    place, why = run_to_choice(show, d, lead, v)
    assert place is not None and place["cue"] == "4" and "displays show cue 4" in why, why
    show.deliver(lead.due(1.6), 1.6)                         # waiting for the owner to move there
    assert show.seen == []
    finish(show, d, lead, place, 1.6)
    assert show.seen and {s["cue"] for s in show.seen} == {"4"}
    assert all(f.state["cue"] == "4" and f.epoch == lead.epoch for f in show.followers)


def test_on_the_first_cue_after_standby_the_displays_are_not_blanked():
    show = Show(moves=("next",), saved_after=0)
    show.record = position_record(deck().operator_view(), saved_ms=900)     # standby saved
    d, lead, v = restart(show)
    place, why = run_to_choice(show, d, lead, v)
    assert place["cue"] == "1"
    finish(show, d, lead, place)
    assert [s["cue"] for s in show.seen] == ["1"] * len(show.followers)
    assert all(s["texts"] for s in show.seen)


def test_a_display_behind_the_others_does_not_pull_the_show_back():
    show = Show(moves=("cue 2", "next", "next"), saved_after=2, displays=3)
    behind = SyncFollower(make_authenticator(KEY))            # got only cue 2 (the rest was lost)
    first = SyncLeader(make_authenticator(KEY), epoch=1000)
    dk = deck()
    dk.apply(("cue", "2"))
    assert behind.receive(first.publish(dk.shown(), 0.0)[0], 0.0)["cue"] == "2"
    show.followers.append(behind)
    d, lead, v = restart(show)
    place, why = run_to_choice(show, d, lead, v)
    assert place["cue"] == "4", why
    finish(show, d, lead, place)
    assert {s["cue"] for s in show.seen} == {"4"} and behind.state["cue"] == "4"


def test_when_only_displays_behind_the_record_answer_the_record_wins():
    show = Show(moves=("cue 2", "next", "next"), saved_after=3, displays=1)
    stuck = SyncFollower(make_authenticator(KEY))
    first = SyncLeader(make_authenticator(KEY), epoch=1000)
    dk = deck()
    dk.apply(("cue", "2"))
    assert stuck.receive(first.publish(dk.shown(), 0.0)[0], 0.0)["cue"] == "2"
    show.followers = [stuck]
    d, lead, v = restart(show)
    place, why = run_to_choice(show, d, lead, v)
    assert place is None and "older than the saved cue 4" in why, why
    finish(show, d, lead, place)
    assert [s["cue"] for s in show.seen] == ["4"]


def test_a_forged_heartbeat_does_not_move_the_show():
    show = Show()
    d, lead, v = restart(show)
    liar = make_authenticator(b"not-the-key")
    for t in (0.1, 0.5):
        hear(lead, v, encode_heartbeat(liar, "evil", ["en"], 10 ** 12, 99,
                                       {"pos": 7, "cue": "8", "version": 999}), t)
    place, why = run_to_choice(show, d, lead, v)
    assert place["cue"] == "4" and lead.epoch < 10 ** 12


def test_with_no_display_answering_the_saved_position_goes_out_after_the_window():
    show = Show()
    d, lead, v = restart(show)
    for t in (0.5, 1.0):
        show.deliver(lead.due(t), t)
    assert show.seen == []
    place, why = lead.resume_choice(1.5)
    assert place is None and "no display answered" in why
    show.deliver(lead.due(1.5), 1.5)
    assert [s["cue"] for s in show.seen] == ["3"] * 3


def test_a_restarted_leader_with_a_slow_clock_still_takes_the_displays():
    show = Show()
    d, lead, v = restart(show, epoch=10)                   # its wall clock says earlier than the old run
    place, why = run_to_choice(show, d, lead, v)
    assert lead.epoch > 1000
    finish(show, d, lead, place)
    assert all(f.state["cue"] == "4" and f.epoch == lead.epoch for f in show.followers)


def test_an_operator_that_hears_a_live_operator_follows_it_not_the_displays():
    show = Show()
    d, lead, v = restart(show, hold=1.0)
    live = SyncLeader(make_authenticator(KEY), epoch=3000, priority=2)
    dk = deck()
    dk.apply(("cue", "6"))
    hear(lead, v, live.publish(dk.shown(), 0.1)[0], 0.1)
    place, why = run_to_choice(show, d, lead, v)
    assert place is None and "another operator is live" in why


def test_a_timed_show_resumes_on_its_clock_when_it_is_not_behind_the_displays():
    from kamaelia_lite.surtitles.cues import CueList
    from kamaelia_lite.surtitles.subtitles import parse_subtitles

    def timed_deck():
        return CueDeck(CueList.from_tracks({"en": parse_subtitles(TIMED.encode(), language="en")}))

    show = Show(moves=("cue 3", "next"), saved_after=1, deck_of=timed_deck)
    d = timed_deck()
    restore_deck(d, show.record)
    d.set_timed(True, 0, 12000)                            # the carried clock: cue 6 by now
    d.tick(0)
    lead = SyncLeader(make_authenticator(KEY), epoch=2000)
    lead.listen(0.0, 1.5, show.record["saved"])
    lead.publish(d.shown(), 0.0)
    v = make_authenticator(KEY, max_senders=64)
    show.beats(lead, v, 0.5)
    place, why = lead.resume_choice(1.5)
    assert place is None and "clock carried on to cue 6" in why, why
