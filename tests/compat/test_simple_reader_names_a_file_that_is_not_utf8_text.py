"""SimpleReader in text mode reads UTF-8; a line that is not fails the component with an error
naming the file and the line, after the lines before it were sent. Before: a bare
UnicodeDecodeError naming neither, raised before even the good lines ahead of it were sent (the
text layer decodes 8 KB at a time), and the encoding depended on the locale."""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kamaelia_lite.chassis import Pipeline
from kamaelia_lite.simple_files import SimpleReader
from kamaelia_lite.util import Collector
from microaxon import Scheduler
from microaxon.errors import ComponentFailed


def sent(comp):
    got = Collector()
    Pipeline(comp, got).run(Scheduler())
    return got.collected


def test_text_that_is_not_utf8_is_an_error_naming_the_file_and_line(tmp_path):
    f = tmp_path / "notes.txt"
    f.write_bytes(b"one\ntwo\n\xff\xfe binary\nfour\n")
    got = Collector()
    with pytest.raises(ComponentFailed) as e:
        Pipeline(SimpleReader(str(f)), got).run(Scheduler())
    assert "notes.txt" in str(e.value) and "line 3" in str(e.value) and "UTF-8" in str(e.value)
    assert got.collected == ["one\n", "two\n"]



@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300), max_line=st.integers(1, 40))
def test_any_file_is_sent_exactly_or_refused_by_name(tmp_path, data, max_line):
    f = tmp_path / "any.dat"
    f.write_bytes(data)
    assert b"".join(sent(SimpleReader(str(f), mode="rb", max_line=max_line))) == data
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        with pytest.raises(ComponentFailed, match="any.dat"):
            sent(SimpleReader(str(f), max_line=max_line))
    else:
        got = sent(SimpleReader(str(f), max_line=max_line))
        assert "".join(got) == text.replace("\r\n", "\n").replace("\r", "\n")
