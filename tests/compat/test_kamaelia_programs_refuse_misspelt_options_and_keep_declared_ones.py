"""Under microaxon.compat, an unmodified Kamaelia program's keyword options behave as the class
says: a class-attribute option still overrides per instance, a misspelt one stops the program
with a TypeError naming it (on Axon it would be silently ignored: a wrong answer), and a
component class given to ServerCore as its protocol still gets peer/peerport/localip/localport,
which Kamaelia's ServerCore passes to every protocol it makes."""
import os
import subprocess
import sys
import textwrap

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

GREETER = """
from Axon.Component import component
from Axon.Ipc import producerFinished
from Kamaelia.Chassis.Pipeline import Pipeline
from Kamaelia.Util.Console import ConsoleEchoer

class Greeter(component):
    greeting = "hello"
    def __init__(self, **argd):
        super(Greeter, self).__init__(**argd)
    def main(self):
        self.send("%s world\\n" % self.greeting, "outbox")
        yield 1
        self.send(producerFinished(self), "signal")

"""


def run_compat(tmp_path, source, timeout=30):
    prog = tmp_path / "prog.py"
    prog.write_text(textwrap.dedent(source))
    code = ("import sys, runpy; sys.path.insert(0, %r); import microaxon.compat as c; c.install(); "
            "runpy.run_path(%r, run_name='__main__')" % (ROOT, str(prog)))
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout,
                          cwd=str(tmp_path))


def test_a_class_attribute_option_overrides_per_instance_in_a_kamaelia_program(tmp_path):
    p = run_compat(tmp_path, GREETER + "Pipeline(Greeter(greeting='hi'), ConsoleEchoer()).run()\n"
                                       "Pipeline(Greeter(), ConsoleEchoer()).run()\n")
    assert p.returncode == 0, p.stderr
    assert p.stdout == "hi world\nhello world\n"


def test_a_misspelt_option_in_a_kamaelia_program_stops_it_naming_the_option(tmp_path):
    p = run_compat(tmp_path, GREETER + "Pipeline(Greeter(greting='hi'), ConsoleEchoer()).run()\n")
    assert p.returncode != 0 and p.stdout == ""
    assert "TypeError: Greeter() got an unexpected keyword argument 'greting'" in p.stderr


def test_a_misspelt_chassis_option_in_a_kamaelia_program_stops_it(tmp_path):
    p = run_compat(tmp_path, GREETER + "Pipeline(Greeter(), ConsoleEchoer(), circullar=True).run()\n")
    assert p.returncode != 0 and p.stdout == ""
    assert "TypeError: Pipeline() got an unexpected keyword argument 'circullar'" in p.stderr


def test_a_kamaelia_component_class_as_server_core_protocol_gets_the_peer(tmp_path):
    p = run_compat(tmp_path, """
        import os, socket, sys, threading
        from Axon.Component import component
        from Axon.Ipc import producerFinished
        from Kamaelia.Chassis.ConnectedServer import ServerCore

        class Hello(component):
            def main(self):
                self.send(("you are %s" % self.peer).encode(), "outbox")
                yield 1
                self.send(producerFinished(self), "signal")

        server = ServerCore(protocol=Hello, port=0, host="127.0.0.1")

        def client():
            s = socket.create_connection(("127.0.0.1", server.port), timeout=10)
            print(s.recv(100).decode())
            sys.stdout.flush()
            os._exit(0)

        threading.Thread(target=client, daemon=True).start()
        server.run()
        """)
    assert p.returncode == 0, p.stderr
    assert p.stdout == "you are 127.0.0.1\n"
