"""The oracle comparison for the Graphline shutdown demos (threaded components printing at once)
treats a line torn by another thread's print as the same words, and still notices a missing or
changed word."""
from tools.compat import corpus
from tools.compat.manifest import PROGRAMS

REL = "UsingChassis/Graphline/FailShutdown.py"
GOLDEN = ("WHINGER: waiting for shutdown\nWAITER 7 waiting\nWAITER 8 waiting\n"
          "PINGER: sent <Axon.Ipc.producerFinished object at 0x7f01>\n"
          "WAITER 7 shutting down having recieved: <Axon.Ipc.producerFinished object at 0x7f02>\n"
          "WHINGER: waiting for shutdown\n")
# What a CI run printed: the three threads' prints interleaved argument by argument.
TORN = ("WHINGER: waiting for shutdown\nWAITER 11 waiting\nWAITER 12 waiting\n"
        "PINGER: sent WAITER 11 shutting down having recieved: WHINGER: waiting for shutdown"
        "<Axon.Ipc.producerFinished object at 0x7f03><Axon.Ipc.producerFinished object at 0x7f04>\n\n\n")


def _record(stdout):
    return {"stdout": stdout, "ending": "runs on", "stderr_tail": ""}


def test_prints_torn_between_threads_compare_as_the_same_words():
    assert corpus.differences(_record(GOLDEN), _record(TORN), PROGRAMS[REL]) == []


def test_a_waiter_number_torn_against_another_threads_word_is_still_masked():
    torn = TORN.replace("WAITER 12 waiting\n", "WAITER 12WHINGER: waiting for shutdown\n waiting\n", 1)
    assert corpus.differences(_record(GOLDEN), _record(torn), PROGRAMS[REL]) == []
    torn = TORN.replace("WAITER 12 waiting\n", "WAITER WHINGER: waiting for shutdown12\n waiting\n", 1)
    assert corpus.differences(_record(GOLDEN), _record(torn), PROGRAMS[REL]) == []


def test_a_missing_or_changed_word_still_differs():
    missing = TORN.replace("shutting down having", "shutting having")
    changed = TORN.replace("producerFinished object", "shutdownMicroprocess object", 1)
    assert corpus.differences(_record(GOLDEN), _record(missing), PROGRAMS[REL]) == ["stdout"]
    assert corpus.differences(_record(GOLDEN), _record(changed), PROGRAMS[REL]) == ["stdout"]
