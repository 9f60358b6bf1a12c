"""Real packet loss for tests: nftables rules that drop a random share of UDP datagrams.

This kernel has no netem, so loss is made with `numgen random mod 100 < N drop` on the input
hook; every rule lives in its own table, deleted when the test ends (see the `udp_loss` fixture
in tests/conftest.py)."""
import subprocess
import textwrap


def install_udp_loss(name, port, percent):
    """Create table `name` dropping `percent`% of UDP datagrams to `port` (counted)."""
    subprocess.run(["nft", "-f", "-"], text=True, check=True, capture_output=True, input=textwrap.dedent("""
        table inet %s {
          chain input {
            type filter hook input priority 0; policy accept;
            udp dport %d numgen random mod 100 < %d counter drop
          }
        }
    """ % (name, port, percent)))


def remove_table(name):
    subprocess.run(["nft", "delete", "table", "inet", name], capture_output=True)


def dropped(name):
    """How many datagrams the table's rule has dropped so far."""
    out = subprocess.run(["nft", "list", "table", "inet", name], capture_output=True, text=True).stdout
    for line in out.splitlines():
        if "counter packets" in line:
            return int(line.split("counter packets")[1].split()[0])
    return 0
