"""A show rehearsal, run the way a venue runs it: the operator console, four displays (three on
the multicast sync, one through the MQTT bridge and a real mosquitto), the operator's audience
page and a display serving a second page, with a real headless chromium phone on both, all
separate processes; nftables drops 30% of the sync datagrams the whole time.

During the run the operator moves on by stdin and by its TCP control port; a display is killed
(SIGKILL) and started again; the operator is killed and started again; a display and then the
operator hang (SIGSTOP) and run again; the broker is killed and started again; the phone
reloads its pages. What a venue must see: once the show has begun no display ever draws a blank
frame (every PNG it wrote has text on it) or an older cue; a restarted display's first cue is
the current one; while the operator is away the displays keep their text, marked "signal
lost", and the pages keep it; every display and page ends on the current cue; the operator's
console and show log name the display that went silent, the one that came back and the one left
behind, and never blame the displays for the operator's own hang; every process exits with
status 0 and none is left behind. ``REHEARSAL_DUMP=FILE`` writes every process's output there.
"""
import os
import random
import signal

import pytest
from common_helpers import LineClient, dropped
from mqtt_helpers import Broker
from surtitles_helpers import Proc, display_args, free_tcp_port, free_udp_port, wait_until
from web_helpers import browser, cue_text

from kamaelia_lite.surtitles.showlog import parse_log_line
from kamaelia_lite.surtitles.signal_lost import MARK_COLOUR, mark_box

pytestmark = [pytest.mark.slow, pytest.mark.watchdog(150)]

KEY = "rehearsal-key-%d" % random.randrange(1 << 30)
LANGS = ("en", "fr", "de")


def write_cues(path, n=10):
    """A cue list in English, French and German, every cue with text; returns {cue id: {lang: text}}."""
    words = {"en": "Line %d: the ship is late", "fr": "Ligne %d : le navire tarde",
             "de": "Zeile %d: das Schiff kommt spat"}
    texts = {}
    lines = ["languages: en fr de", "scene: Harbour"]
    for i in range(1, n + 1):
        texts[str(i)] = dict((lang, words[lang] % i) for lang in LANGS)
        lines.append("cue: %d" % i)
        lines += ["%s: %s" % (lang, texts[str(i)][lang]) for lang in LANGS]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    return texts


def look_at(path):
    """(text drawn, signal-lost mark drawn) of a PNG frame, or None when it cannot be read (the
    last frame of a display killed while it wrote it). Text is lit pixels outside the mark."""
    import pygame
    try:
        surf = pygame.image.load(path)
    except (pygame.error, OSError):
        return None
    x, y, w, h = mark_box(*surf.get_size())
    marked = tuple(surf.get_at((x + w // 2, y + h // 2)))[:3] == MARK_COLOUR
    surf.fill((0, 0, 0), (x, y, w, h))
    return any(pygame.image.tobytes(surf, "RGB")), marked


def pixels(path):
    import pygame
    return pygame.image.tobytes(pygame.image.load(path), "RGB")


def pngs(folder):
    return sorted(os.path.join(folder, n) for n in os.listdir(folder) if n.endswith(".png"))


def children_of(pid):
    """Pids of the live processes whose parent is ``pid`` (zombies left out)."""
    out = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % name) as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            out.append(int(name))
    return out


class Show:
    """The processes of the rehearsal and the conditions the test waits for."""

    def __init__(self, tmp, texts):
        self.tmp = tmp
        self.texts = texts
        self.procs = []
        self.displays = {}          # name -> Proc (the current run)
        self.runs = []              # (name, Proc, png folder) of every display run

    def start(self, args, stdin=True):
        p = Proc(args, stdin=stdin)
        self.procs.append(p)
        return p

    def start_display(self, name, lang, transport, extra=()):
        folder = os.path.join(self.tmp, "frames-%s-%d" % (name, len(self.runs)))
        d = self.start(display_args(KEY, transport, lang) + [
            "--name", name, "--lost-after", "2", "--png-dir", folder, "--commands"] + list(extra))
        d.lang = lang
        d.killed = False
        self.displays[name] = d
        self.runs.append((name, d, folder))
        return d

    def stop_all(self):
        """Kill what still runs; keep each process's stderr in ``err``."""
        for p in self.procs:
            if p.p.poll() is None:
                p.p.kill()
            p.p.wait(5)
            p.feed()
            p.err = p.p.stderr.read().decode("utf-8", "replace")
            p.stop()

    def kill(self, p):
        p.killed = True
        p.p.send_signal(signal.SIGKILL)

    def alive(self):
        return [p for p in self.procs if p.p.poll() is None]

    def wait(self, cond, timeout, what):
        assert wait_until(self.alive(), cond, timeout), "%s (within %s s); %s" % (what, timeout, self.report())

    def on_cue(self, cue, names=None):
        """Every display named (all by default) has drawn ``cue``'s text in its language."""
        def check():
            for name in names or self.displays:
                d = self.displays[name]
                f = d.last_show()
                if not f or f.get("cue") != cue or f.get("text") != self.texts[cue][d.lang]:
                    return False
            return True
        return check

    def report(self):
        return "; ".join("%s: %s" % (name, (d.last_show() or {}).get("cue")) for name, d in self.displays.items())


def control_client(port):
    """A client of the operator's TCP control port, past its greeting."""
    c = LineClient(port)
    assert c.line() == "ready"
    return c


def remote_next(port):
    """"next" on a fresh control connection; its reply."""
    c = control_client(port)
    try:
        return c.ask("next")
    finally:
        c.close()


def op_lines(op, prefix):
    return [ln for ln in op.lines if ln.startswith(prefix)]


def page_shows(driver, handle, text, state="live"):
    driver.switch_to.window(handle)
    return cue_text(driver) == [text, state]


def test_show_rehearsal_survives_kills_loss_and_reloads(tmp_path, udp_loss, watchdog):
    tmp = str(tmp_path)
    texts = write_cues(os.path.join(tmp, "show.cues"))
    group = "239.255.%d.%d" % (random.randrange(1, 250), random.randrange(1, 250))
    port = free_udp_port()
    net = ["--multicast", "%s:%d" % (group, port)]
    web, bridge_web, control = free_tcp_port(), free_tcp_port(), free_tcp_port()
    topic = "rehearsal/%d/state" % port
    table = udp_loss(port, 30)                    # the sync path loses 30% (heartbeats get through)
    os.makedirs(os.path.join(tmp, "mqtt"))
    broker = Broker(os.path.join(tmp, "mqtt")).start()
    mqtt = ["--mqtt", "127.0.0.1:%d" % broker.port, "--mqtt-user", broker.user, "--mqtt-password", broker.password]
    state, log = os.path.join(tmp, "show.position"), os.path.join(tmp, "show.log")
    op_args = ["examples.surtitles.operator", "--key", KEY, "--cues", os.path.join(tmp, "show.cues"),
               "--state-file", state, "--show-log", log, "--control-port", str(control),
               "--web", "127.0.0.1:%d" % web] + net
    show = Show(tmp, texts)
    phone = None
    try:
        op = show.start(op_args)
        up = show.start(["examples.mqtt_bridge", "up", "--multicast", "%s:%d" % (group, port), "--key", KEY,
                         "--mqtt", mqtt[1], "--mqtt-user", broker.user, "--mqtt-password", broker.password,
                         "--topic", topic], stdin=False)
        show.start_display("stalls-en", "en", net)
        show.start_display("circle-fr", "fr", net)
        show.start_display("foyer-de", "de", net, ["--web", "127.0.0.1:%d" % bridge_web])
        show.start_display("remote-en", "en", mqtt + ["--mqtt-topic", topic] + net)
        phone = browser()                           # starts while the show does
        show.wait(lambda: op_lines(op, "DISPLAYS 4 live") and op_lines(op, "ROLE leading"), 30,
                  "the operator leads and counts four live displays")
        # the phone: the operator's page in French, and the foyer display's page in German
        phone.get("http://127.0.0.1:%d/?lang=fr" % web)
        op_page = phone.current_window_handle
        phone.switch_to.new_window("window")
        phone.get("http://127.0.0.1:%d/?lang=de" % bridge_web)
        foyer_page = phone.current_window_handle
        remote = control_client(control)

        def everyone_on(cue, names=None):
            displays = show.on_cue(cue, names)
            return lambda: (displays() and page_shows(phone, op_page, texts[cue]["fr"])
                            and page_shows(phone, foyer_page, texts[cue]["de"]))

        op.send("cue 1")                                            # stdin
        show.wait(everyone_on("1"), 10, "every display and page on cue 1")
        assert remote.ask("next") == "ok next"                      # the control port
        show.wait(everyone_on("2"), 10, "every display and page on cue 2")

        # a display dies mid-show: the operator names it; the show goes on; it comes back on the cue
        show.kill(show.displays["stalls-en"])
        show.wait(lambda: any("silent: stalls-en" in ln for ln in op_lines(op, "DISPLAYS ")), 10,
                  "the operator names the silent display")
        assert remote.ask("next") == "ok next"
        others = ["circle-fr", "foyer-de", "remote-en"]
        show.wait(everyone_on("3", others), 10, "the other displays on cue 3")
        back = show.start_display("stalls-en", "en", net)
        show.wait(show.on_cue("3"), 15, "the restarted display shows cue 3")
        first = [f for _, f in back.shows() if f.get("cue") is not None][0]
        assert first["cue"] == "3" and first["text"] == texts["3"]["en"], back.shows()
        show.wait(lambda: "DISPLAYS 4 live (de 1, en 2, fr 1); back: stalls-en" in op_lines(op, "DISPLAYS "), 10,
                  "the operator names the display that came back")
        show.wait(lambda: '"back": ["stalls-en"]' in open(log, encoding="utf-8").read(), 5,
                  "the show log names it too")

        # the operator dies: displays keep cue 3, marked; the phone's page keeps it, reconnecting
        show.kill(op)
        show.wait(lambda: all(any(ln.startswith("LOST") for ln in d.lines) for d in show.displays.values()),
                  10, "every display marks the signal lost")
        assert show.on_cue("3")()
        assert wait_until(show.alive(), lambda: page_shows(phone, op_page, texts["3"]["fr"], "reconnecting"), 5)
        assert page_shows(phone, foyer_page, texts["3"]["de"])
        op = show.start(op_args)
        show.wait(lambda: all(any(ln.startswith("FOUND") for ln in d.lines) for d in show.displays.values()),
                  20, "every display hears the operator again")
        assert any(ln.startswith("RESUME cue=3") for ln in op.lines), op.lines[:5]
        show.wait(everyone_on("3"), 10, "the page reconnects on cue 3")
        remote.close()
        remote = control_client(control)
        op.send("next")
        show.wait(everyone_on("4"), 10, "every display and page on cue 4")

        # the phone reloads both pages: each shows the current cue at once
        for handle in (op_page, foyer_page):
            phone.switch_to.window(handle)
            phone.refresh()
        show.wait(everyone_on("4"), 5, "the reloaded pages show cue 4")
        assert remote.ask("next") == "ok next"
        show.wait(everyone_on("5"), 10, "every display and page on cue 5")
        remote.close()
        show.wait(lambda: op_lines(op, "DISPLAYS ")[-1:] == ["DISPLAYS 4 live (de 1, en 2, fr 1)"], 10,
                  "the restarted operator counts every display")

        # a display hangs (SIGSTOP) while the show moves on, then runs again: it catches up
        circle = show.displays["circle-fr"]
        circle.p.send_signal(signal.SIGSTOP)
        show.wait(lambda: "DISPLAYS 3 live (de 1, en 2); silent: circle-fr" in op_lines(op, "DISPLAYS "), 10,
                  "the operator names the hung display")
        op.send("next")
        show.wait(show.on_cue("6", ["stalls-en", "foyer-de", "remote-en"]), 10, "the others on cue 6")
        circle.p.send_signal(signal.SIGCONT)
        show.wait(everyone_on("6"), 10, "the display that hung catches up on cue 6")
        show.wait(lambda: "DISPLAYS 4 live (de 1, en 2, fr 1); back: circle-fr" in op_lines(op, "DISPLAYS "), 10,
                  "the operator names the display that runs again")

        # the operator hangs for 3.5 s: displays mark the signal lost and keep cue 6; once it runs
        # again they are found, and it does not blame the displays for its own silence
        lost = lambda: [sum(ln.startswith(w) for ln in d.lines) for d in show.displays.values()  # noqa: E731
                        for w in ("LOST", "FOUND")]
        before = lost()
        op.p.send_signal(signal.SIGSTOP)
        show.wait(lambda: all(n > m for n, m in zip(lost()[::2], before[::2])), 10, "every display marks it")
        assert show.on_cue("6")()
        wait_until(show.alive(), lambda: False, 1.5)      # stopped past the 3 s that make a display silent
        seen = len(op.lines)
        op.p.send_signal(signal.SIGCONT)
        show.wait(lambda: all(n > m for n, m in zip(lost()[1::2], before[1::2])), 10, "every display finds it")
        assert remote_next(control) == "ok next"
        show.wait(everyone_on("7"), 10, "every display and page on cue 7")
        assert not [ln for ln in op.lines[seen:] if ln.startswith("DISPLAYS") and "silent" in ln]

        # the MQTT broker crashes (kill -9) while the show moves on: the remote display keeps its
        # cue, marked; when the broker is back (with its saved state) it catches up
        remote_en = show.displays["remote-en"]
        lost_before = sum(ln.startswith("LOST") for ln in remote_en.lines)
        broker.kill()
        op.send("next")
        show.wait(show.on_cue("8", ["stalls-en", "circle-fr", "foyer-de"]), 10, "the LAN displays on cue 8")
        show.wait(lambda: sum(ln.startswith("LOST") for ln in remote_en.lines) > lost_before, 10,
                  "the remote display marks the signal lost")
        assert show.on_cue("7", ["remote-en"])()
        show.wait(lambda: "DISPLAYS 4 live (de 1, en 2, fr 1); behind: remote-en" in op_lines(op, "DISPLAYS "), 10,
                  "the operator names the display left behind")
        broker.start()
        show.wait(everyone_on("8"), 20, "the remote display catches up on cue 8 through the broker")
        show.wait(lambda: op_lines(op, "DISPLAYS ")[-1] == "DISPLAYS 4 live (de 1, en 2, fr 1)", 10,
                  "the operator sees it caught up")

        # the end of the show: the operator quits, the displays' input ends, the bridge is stopped.
        # (Once the operator has gone, a display may mark the signal lost before its input ends:
        # the frames drawn until now are the show's end.)
        at_quit = {folder: len(pngs(folder)) for _, _, folder in show.runs}
        op.send("quit")
        assert op.p.wait(10) == 0, op.stderr_text()
        for d in show.displays.values():
            d.p.stdin.close()
        for d in show.displays.values():
            assert d.p.wait(10) == 0, d.stderr_text()
        up.p.send_signal(signal.SIGINT)
        assert up.p.wait(10) == 0, up.stderr_text()
    finally:
        if phone is not None:
            phone.quit()
        show.stop_all()
        if os.environ.get("REHEARSAL_DUMP"):
            with open(os.environ["REHEARSAL_DUMP"], "w") as f:
                for p in show.procs:
                    f.write("=== %s rc=%s\n%s\n--- stderr\n%s\n" % (p.p.args[3:6], p.p.returncode, "\n".join(p.lines), p.err))
        broker.stop()
    assert children_of(os.getpid()) == []                 # nothing left behind (chromium included)

    for p in show.procs:                                  # nothing went wrong unsaid
        assert "Traceback" not in p.err and "error" not in p.err, (p.p.args, p.err)
    # what each display drew: once a cue was shown never a blank frame, never an older cue; the
    # signal-lost mark while the operator was away (over the text), gone when the show ended
    last_frames = {}
    for name, d, folder in show.runs:
        frames = pngs(folder)
        looks = [look_at(f) for f in frames]
        if d.killed and looks and looks[-1] is None:
            looks.pop()
        assert looks and None not in looks, (name, frames)
        lit = [text for text, _ in looks]
        assert True in lit, name
        first = lit.index(True)
        assert all(lit[first:]), "%s drew a blank frame: %s" % (name, frames[first + lit[first:].index(False)])
        cues = [int(f["cue"]) for _, f in d.shows() if f.get("cue") is not None]
        assert cues == sorted(cues), (name, cues)
        if not d.killed:
            assert any(marked for _, marked in looks), "%s never showed the signal-lost mark" % name
            end = at_quit[folder]
            assert looks[end - 1] == (True, False), (name, frames[end - 1])
            last_frames[name] = pixels(frames[end - 1])
    ready, shown = show.displays["stalls-en"].ready_at(), show.displays["stalls-en"].shows()
    print("restarted display: first cue frame %.2f s after READY" % (
        [t for t, f in shown if f.get("cue")][0] - ready))
    # both English displays (one by multicast, one through the broker) end on the same picture
    assert last_frames["stalls-en"] == last_frames["remote-en"] != last_frames["circle-fr"]
    # the operator's log names each failure and each action
    kinds = [parse_log_line(ln)[1:] for ln in open(log, encoding="utf-8")]
    health = [t for k, t in kinds if k == "DISPLAYS"]
    assert any('"silent": ["stalls-en"]' in t for t in health), health
    assert any('"behind": ["remote-en"]' in t for t in health), health
    assert [t for k, t in kinds if k == "ACTION"] == ["cue 1"] + ["next"] * 7 + ["quit"]
    assert [t.split()[0] for k, t in kinds if k == "CUE"] == ["standby", "1", "2", "3", "3", "4", "5", "6", "7", "8"]
    assert [k for k, _ in kinds].count("START") == 2 and kinds[-1][0] == "END"
    assert dropped(table) > 0                             # the network really lost sync datagrams
