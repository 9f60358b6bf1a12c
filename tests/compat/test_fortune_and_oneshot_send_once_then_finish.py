"""FortuneCookieProtocol sends its command's output then finishes (nothing, with a message on
stderr, when the command is missing); OneShot sends one message then finishes."""
from kamaelia_lite.chassis import Pipeline
from kamaelia_lite.fortune import FortuneCookieProtocol
from kamaelia_lite.oneshot import OneShot, TriggeredOneShot
from kamaelia_lite.util import Collector, DataSource
from microaxon import Scheduler


def test_fortune_sends_the_commands_output_then_finishes():
    got = Collector()
    Pipeline(FortuneCookieProtocol(command=("printf", "fortune favours the bold\n")), got).run(Scheduler())
    assert b"".join(got.collected) == b"fortune favours the bold\n"


def test_fortune_output_is_bounded():
    got = Collector()
    Pipeline(FortuneCookieProtocol(command=("yes",), max_bytes=10000), got).run(Scheduler())
    assert len(b"".join(got.collected)) == 10000


def test_missing_fortune_program_sends_nothing_and_says_why(capsys):
    got = Collector()
    Pipeline(FortuneCookieProtocol(command=("no-such-fortune-program",)), got).run(Scheduler())
    assert got.collected == []
    assert "no-such-fortune-program" in capsys.readouterr().err


def test_oneshot_sends_exactly_one_message():
    got = Collector()
    Pipeline(OneShot("hello"), got).run(Scheduler())
    assert got.collected == ["hello"]


def test_triggered_oneshot_waits_for_its_trigger():
    got = Collector()
    Pipeline(DataSource(["go"]), TriggeredOneShot("fired"), got).run(Scheduler())
    assert got.collected == ["fired"]
