"""The runtime's import hook does not name the component package: kamaelia_lite registers its
own Kamaelia names. Under compat, components are named as Axon names them (module.Class_N,
the first made after install being _5); natively they keep Class#N."""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run(code):
    p = subprocess.run([sys.executable, "-c", "import sys; sys.path.insert(0, %r)\n" % ROOT + code],
                       capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert p.returncode == 0, p.stderr
    return p.stdout.split()


def test_the_runtime_package_does_not_name_kamaelia_lite():
    with open(os.path.join(ROOT, "microaxon", "compat.py")) as f:
        assert "kamaelia_lite" not in f.read()


def test_kamaelia_names_are_registered_on_install():
    out = run("import microaxon.compat as c; c.install()\n"
              "from Kamaelia.Chassis.Pipeline import Pipeline\n"
              "from Kamaelia.Apps.SA.Time import PeriodicTick\n"
              "from Kamaelia.Util.Introspector import Introspector\n"
              "print(Pipeline.__module__, PeriodicTick.__module__, Introspector.__module__)")
    assert [m.split(".")[0] for m in out] == ["kamaelia_lite"] * 3     # ours, whatever the module layout
    assert out[1:] == ["kamaelia_lite.ticks", "kamaelia_lite.visualiser_introspector_components"]


def test_names_are_axon_style_under_compat_and_native_after_uninstall():
    out = run("import microaxon.compat as c; c.install()\n"
              "import Axon\n"
              "class Chatty(Axon.Component.component): pass\n"
              "a, b = Chatty(), Chatty()\n"
              "print(a.name, b.name, len(a.children))\n"
              "c.uninstall()\n"
              "print(Chatty().name.split('#')[0])")
    assert out == ["__main__.Chatty_5", "__main__.Chatty_6", "0", "Chatty"]
