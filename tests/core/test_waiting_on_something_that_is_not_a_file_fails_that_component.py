"""waitReadable() on an object that is not a file, socket or descriptor is the waiting
component's mistake: it fails (naming what it waited on), the scheduler does not crash."""
import pytest

from microaxon import ComponentFailed, Scheduler, component


class WaitsOnAString(component):
    def main(self):
        self.waitReadable("not a file")
        self.pause()
        yield 1


def test_a_wait_on_a_non_file_fails_the_component_not_the_scheduler():
    s = Scheduler()
    s.report = None
    w = WaitsOnAString().activate(s)
    with pytest.raises(ComponentFailed) as e:
        s.run()
    assert isinstance(w.failure, TypeError) and "not a file" in str(w.failure)
    assert "WaitsOnAString" in str(e.value)
