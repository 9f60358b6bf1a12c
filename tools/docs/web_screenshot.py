"""Screenshots of the audience page in a real browser, for docs/surtitles.md.

    python -m tools.docs.web_screenshot [--out docs/img]

Runs the surtitles operator example with --web on loopback and a two-cue show in English,
Japanese and Arabic, opens the page in Debian's headless chromium (selenium + chromedriver) at
a phone's size, and saves audience-phone-ja.png and audience-phone-ar.png.
"""
import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

SHOW = """languages: en ja ar
scene: Prologue
cue: 1
en: The harbour at dawn. Fog lies on the water.
ja: 夜明けの港。霧が水面を覆っている。
ar: الميناء عند الفجر. الضباب يغطي الماء.
cue: 2
en: Where is the ship? It should have come at midnight.
ja: 船はどこ？真夜中に着くはずだったのに。
ar: أين السفينة؟ كان يجب أن تصل عند منتصف الليل.
"""


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--out", default=os.path.join(ROOT, "docs", "img"))
    args = p.parse_args(argv)
    sys.path.insert(0, ROOT)
    from tests.web._browser import browser
    os.makedirs(args.out, exist_ok=True)
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    with tempfile.TemporaryDirectory() as tmp:
        cues = os.path.join(tmp, "show.cues")
        with open(cues, "w", encoding="utf-8") as f:
            f.write(SHOW)
        op = subprocess.Popen([sys.executable, "-m", "examples.surtitles.operator", "--key", "docs",
                               "--tcp", "127.0.0.1:0", "--cues", cues, "--web", "127.0.0.1:%d" % port],
                              cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
        try:
            time.sleep(1.5)
            op.stdin.write(b"next\nnext\n")
            op.stdin.flush()
            time.sleep(0.5)
            d = browser(390, 600)
            try:
                for lang in ("ja", "ar"):
                    d.get("http://127.0.0.1:%d/?lang=%s" % (port, lang))
                    time.sleep(1.0)
                    path = os.path.join(args.out, "audience-phone-%s.png" % lang)
                    d.save_screenshot(path)
                    print(path)
            finally:
                d.quit()
        finally:
            op.kill()
            op.wait()


if __name__ == "__main__":
    main()
