"""ConsoleReader: a pasted flood reaches a slow consumer whole and in order (it waits for room
instead of raising BoxFull), and a line without end goes out in bounded pieces."""
import subprocess
import sys
import textwrap

ROOT = __file__.rsplit("/tests/", 1)[0]
PROG = textwrap.dedent("""
    import sys; sys.path.insert(0, %r)
    from kamaelia_lite.chassis import Pipeline
    from kamaelia_lite.util import Collector, ConsoleReader
    class Slow(Collector):
        Capacities = {"inbox": 2}
    out = Slow()
    Pipeline(ConsoleReader(prompt="", max_line=1000), out).run()
    sizes = [len(m) for m in out.collected]
    print(len(out.collected), out.collected[:2], sizes[-4:], max(sizes))
""" % ROOT)


def test_a_flood_of_lines_and_an_endless_line_arrive_whole_in_order_and_bounded():
    data = "".join("line %d\n" % i for i in range(3000)) + "x" * 2500 + "\nend"
    p = subprocess.run([sys.executable, "-c", PROG], input=data, capture_output=True, text=True, timeout=30)
    assert "BoxFull" not in p.stderr, p.stderr
    out = p.stdout.strip()
    assert out.startswith("3004 ['line 0\\n', 'line 1\\n']"), (out, p.stderr)   # 3000 + 3 pieces + end
    assert out.endswith("[1000, 1000, 501, 4] 1000"), out       # pieces of at most max_line, then "end"
