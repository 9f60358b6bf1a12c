"""Helpers for the real-browser tests (not a test module): Debian's headless chromium driven by
selenium through chromedriver, and the surtitles example processes the pages follow."""
import os
import selectors
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ENV = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="disk", PYGAME_HIDE_SUPPORT_PROMPT="1",
           PYTHONPATH=ROOT, PYTHONUNBUFFERED="1")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")


def browser(width=412, height=720):
    """A headless chromium (a phone-sized window) under selenium."""
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    opts = Options()
    opts.binary_location = CHROMIUM
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--no-first-run", "--disable-extensions", "--window-size=%d,%d" % (width, height)):
        opts.add_argument(a)
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)


def cue_text(driver):
    """(text shown, connection state) of an audience page."""
    return driver.execute_script(
        "return [document.getElementById('cue').textContent, document.body.getAttribute('data-state')]")


class Proc:
    """An example program as a child process; its stdout lines are kept as they come."""

    def __init__(self, args):
        self.p = subprocess.Popen([sys.executable, "-m"] + list(args), cwd=ROOT, env=ENV,
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        os.set_blocking(self.p.stdout.fileno(), False)
        self.buf = b""
        self.lines = []

    def feed(self):
        try:
            data = os.read(self.p.stdout.fileno(), 65536)
        except BlockingIOError:
            return
        self.buf += data
        while b"\n" in self.buf:
            line, self.buf = self.buf.split(b"\n", 1)
            self.lines.append(line.decode("utf-8", "replace"))

    def wait_line(self, prefix, timeout=15.0, having=()):
        """The first stdout line starting with ``prefix`` and containing each of ``having``
        (waits for it)."""
        sel = selectors.DefaultSelector()
        sel.register(self.p.stdout, selectors.EVENT_READ)
        end = time.monotonic() + timeout
        try:
            while True:
                for ln in self.lines:
                    if ln.startswith(prefix) and all(h in ln for h in having):
                        return ln
                left = end - time.monotonic()
                if left <= 0 or self.p.poll() is not None:
                    self.feed()
                    for ln in self.lines:
                        if ln.startswith(prefix) and all(h in ln for h in having):
                            return ln
                    raise AssertionError("no %r line from %s; stderr: %s" % (
                        prefix, self.p.args, self.stderr_text()[-2000:]))
                if sel.select(min(left, 0.2)):
                    self.feed()
        finally:
            sel.close()

    def send(self, line):
        self.p.stdin.write(line.encode() + b"\n")
        self.p.stdin.flush()

    def stop(self):
        if self.p.poll() is None:
            self.p.kill()
        self.p.wait(5)
        for f in (self.p.stdout, self.p.stderr, self.p.stdin):
            if f is not None:
                f.close()

    def stderr_text(self):
        if self.p.poll() is None:
            return ""
        return self.p.stderr.read().decode("utf-8", "replace")


def write_show(path, n=25):
    """A cue list with English, Japanese and Arabic lines; returns {cue number: {lang: text}}."""
    texts = {}
    lines = ["languages: en ja ar", "scene: One"]
    for i in range(1, n + 1):
        t = {"en": "Line %d: where is she?" % i, "ja": "第%d幕 彼女はどこにいるの？" % i,
             "ar": "السطر %d: أين هي؟" % i}
        texts[i] = t
        lines.append("cue: %d" % i)
        for lang in ("en", "ja", "ar"):
            lines.append("%s: %s" % (lang, t[lang]))
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    return texts
