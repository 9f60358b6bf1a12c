"""Run Kamaelia 1.14.32's Examples/ under real Kamaelia (the oracle) and under microaxon.compat,
with probes, and compare what each program does.

    python3 -m tools.compat.corpus record [PROGRAM...]   # run the oracle, write tests/compat/golden/
    python3 -m tools.compat.corpus check      # run ours against the golden files, print the table
    python3 -m tools.compat.corpus docs       # record + check, then write docs/compat.md
    python3 -m tools.compat.corpus report     # check against the golden files, write docs/compat.md
    python3 -m tools.compat.corpus docs-only  # rewrite docs/compat.md from the last check

The Examples come from the sdist on PyPI (``pip download``) into a cache directory
(``$KAMAELIA_EXAMPLES_CACHE`` or ~/.cache/microaxon-compat); nothing of Kamaelia's is copied
into this repository, only what the programs printed/served/wrote (the golden files).

Each program runs in a scratch copy of its folder, in its own network namespace when
``unshare -n`` is allowed (fixed ports never collide; runs go in parallel), else directly.
The probe (tools/compat/probe.py) types stdin lines, connects clients, listens for an
Introspector, and stops the program after its timeout; see manifest.py.
"""
import ast
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Dict, List, Optional, Tuple

from tools.compat.manifest import DEFAULT_TIMEOUT, NOISE, NORMALISE, PROGRAMS

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GOLDEN = os.path.join(ROOT, "tests", "compat", "golden")
VERSION = "1.14.32"


def cache_dir() -> str:
    return os.environ.get("KAMAELIA_EXAMPLES_CACHE") or os.path.join(
        os.path.expanduser("~"), ".cache", "microaxon-compat")


def fetch(cache: Optional[str] = None) -> str:
    """The Examples/ folder of Kamaelia's sdist, downloaded once into the cache."""
    cache = cache or cache_dir()
    examples = os.path.join(cache, "kamaelia-%s" % VERSION, "Examples")
    if os.path.isdir(examples):
        return examples
    os.makedirs(cache, exist_ok=True)
    tarball = os.path.join(cache, "kamaelia-%s.tar.gz" % VERSION)
    if not os.path.exists(tarball):
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:",
                        "-d", cache, "kamaelia==%s" % VERSION], check=True)
    with tarfile.open(tarball) as t:
        members = [m for m in t.getmembers() if "/Examples/" in m.name + "/" and not m.issym() and not m.islnk()]
        t.extractall(cache, members=members)
    return examples


def programs(examples: str) -> List[str]:
    """Every .py file under Examples/, relative, sorted."""
    out = []
    for d, _, files in os.walk(examples):
        for f in files:
            if f.endswith(".py"):
                out.append(os.path.relpath(os.path.join(d, f), examples))
    return sorted(out)


def parses(path: str) -> Optional[str]:
    """None if the file parses under this Python, else the syntax error's message."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            ast.parse(f.read())
        return None
    except SyntaxError as e:
        return "%s (line %s)" % (e.msg, e.lineno)


def normalise(text: str, spec: Dict[str, Any]) -> str:
    for pat, rep in NORMALISE + [tuple(s) for s in spec.get("subs", [])]:
        text = re.sub(pat, rep, text)
    return text


def _netns_ok() -> bool:
    try:
        return subprocess.run(["unshare", "-n", "true"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def _scratch_tree(examples: str, folder: str, dest: str) -> str:
    """A view of Examples/ in `dest` where the program's own folder is a copy (it may write
    files there) and everything else links to the original (relative paths such as
    ../../SupportingMediaFiles still resolve). Returns the copied folder."""
    parts = [p for p in folder.split(os.sep) if p]
    src, out = examples, dest
    os.makedirs(out)
    for depth, part in enumerate(parts + [None]):
        for entry in sorted(os.listdir(src)):
            if entry != part:
                os.symlink(os.path.join(src, entry), os.path.join(out, entry))
        if part is None:
            break
        src, out = os.path.join(src, part), os.path.join(out, part)
        if depth == len(parts) - 1:
            shutil.copytree(src, out, symlinks=True)
            return out
        os.makedirs(out)
    return dest


def run_one(examples: str, rel: str, runtime: str, netns: Optional[bool] = None) -> Dict[str, Any]:
    """Run one program under "kamaelia" or "ours" with its probe; returns the probe's record."""
    spec = PROGRAMS.get(rel, {})
    with tempfile.TemporaryDirectory(prefix="compat-") as tmp:
        work = _scratch_tree(examples, os.path.dirname(rel), os.path.join(tmp, "Examples"))
        argv = [sys.executable, "-m", "tools.compat.probe", runtime, os.path.join(work, os.path.basename(rel)),
                json.dumps(spec)]
        if netns is None:
            netns = _netns_ok()
        if netns:
            argv = ["unshare", "-n", "sh", "-c", "ip link set lo up && ip link set lo multicast on && "
                    'ip route add 224.0.0.0/4 dev lo && exec "$@"', "sh"] + argv
        env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy", PYTHONPATH=ROOT,
                   PYTHONHASHSEED="0")
        env.pop("PYGAME_HIDE_SUPPORT_PROMPT", None)     # as recorded: pygame greets on import
        timeout = spec.get("timeout", DEFAULT_TIMEOUT) + 30
        p = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT, env=env, timeout=timeout)
        if p.returncode != 0:
            return {"probe_error": p.stderr[-2000:]}
        rec = json.loads(p.stdout)
    return rec                           # (the probe has normalised its texts)


def _same_stdout(a: str, b: str, mode: str, max_line: int = 0) -> bool:
    if mode == "bounded":
        longest = max([len(ln) for ln in (a + "\n" + b).splitlines()] or [0])
        return set(a) == set(b) and longest <= max_line
    if mode == "lines":                 # threads racing to print: even a line may be torn
        return sorted(a.split()) == sorted(b.split())
    if mode == "words":
        return set(a.split()) == set(b.split())
    if mode == "distinct":
        return set(a.splitlines()) == set(b.splitlines())
    return a == b


def differences(golden: Dict[str, Any], ours: Dict[str, Any], spec: Dict[str, Any]) -> List[str]:
    """What differs between the oracle's record and ours ([] when they match)."""
    if "probe_error" in ours:
        return ["the probe failed: " + ours["probe_error"][-300:]]
    diffs = []
    golden = _renormalised(golden, spec)     # the manifest may be newer than either record
    ours = _renormalised(ours, spec)
    if not _same_stdout(golden["stdout"], ours["stdout"], spec.get("compare", "exact"), spec.get("max_line", 0)):
        diffs.append("stdout")
    for key in ("ending", "client", "listener", "files"):
        if golden.get(key) != ours.get(key):
            diffs.append(key)
    return diffs


def _renormalised(rec: Dict[str, Any], spec: Dict[str, Any]) -> Dict[str, Any]:
    rec = dict(rec, stdout=normalise(rec["stdout"], spec))
    if rec.get("client") is not None:
        rec["client"] = normalise(rec["client"], spec)
    return rec


def oracle_verdict(rel: str, rec: Dict[str, Any]) -> Tuple[bool, str]:
    """(works, why not) for the oracle's record of a program."""
    spec = PROGRAMS.get(rel, {})
    if spec.get("broken"):
        return False, spec["broken"]
    err = rec.get("stderr_tail", "")
    if rec["ending"] not in ("exit 0", "runs on"):
        return False, _reason(err) or rec["ending"]
    if "Traceback" in err:
        return False, _reason(err)
    said = [ln for ln in rec["stdout"].splitlines()
            if ln.strip() and not any(re.fullmatch(n, ln.strip()) for n in NOISE)]
    if rec["ending"] == "exit 0" and not said and not rec.get("files") and not rec.get("client"):
        return False, spec.get("silent_exit", "exits at once with rc 0, having done nothing")
    return True, ""


def _reason(err: str) -> str:
    lines = [ln.strip() for ln in err.strip().splitlines() if ln.strip()]
    for ln in reversed(lines):
        if re.match(r"^[A-Za-z_.]+(Error|Exception|Exit)\b", ln) or ln.startswith("Fatal Python error"):
            return ln[:160]
    return lines[-1][:160] if lines else ""


def golden_path(rel: str) -> str:
    return os.path.join(GOLDEN, rel.replace("/", "__").replace(".py", "") + ".json")


def run_many(examples: str, rels: List[str], runtime: str, workers: int = 3) -> Dict[str, Dict[str, Any]]:
    netns = _netns_ok()
    with ThreadPoolExecutor(max_workers=workers if netns else 1) as pool:
        recs = pool.map(lambda r: run_one(examples, r, runtime, netns), rels)
        return dict(zip(rels, recs))


def record(examples: str, workers: int = 3, only: Optional[List[str]] = None) -> Dict[str, Any]:
    """Run the oracle over every program that parses (or just `only`, keeping the rest of the
    index); write one golden file each + index.json."""
    rels = only or programs(examples)
    index: Dict[str, Any] = load_index() if only else {}
    runnable = []
    for rel in rels:
        why = parses(os.path.join(examples, rel))
        if why:
            index[rel] = {"parses": False, "why": "does not parse under Python 3: " + why}
        else:
            runnable.append(rel)
    recs = run_many(examples, runnable, "kamaelia", workers)
    os.makedirs(GOLDEN, exist_ok=True)
    for rel in runnable:
        rec = recs[rel]
        works, why = (False, "probe failed") if "probe_error" in rec else oracle_verdict(rel, rec)
        index[rel] = {"parses": True, "works": works, "why": why}
        if not works and os.path.exists(golden_path(rel)):
            os.remove(golden_path(rel))
        if works:
            with open(golden_path(rel), "w") as f:
                json.dump(rec, f, indent=1, sort_keys=True)
                f.write("\n")
    with open(os.path.join(GOLDEN, "index.json"), "w") as f:
        json.dump(index, f, indent=1, sort_keys=True)
        f.write("\n")
    return index


def load_index() -> Dict[str, Any]:
    with open(os.path.join(GOLDEN, "index.json")) as f:
        return json.load(f)


def load_golden(rel: str) -> Dict[str, Any]:
    with open(golden_path(rel)) as f:
        return json.load(f)


def check(examples: str, rels: Optional[List[str]] = None, workers: int = 3) -> Dict[str, Any]:
    """Run ours over the programs (default: all that parse); compare with the golden files."""
    index = load_index()
    rels = rels or [r for r in sorted(index) if index[r]["parses"]]
    recs = run_many(examples, rels, "ours", workers)
    out = {}
    for rel in rels:
        rec = recs[rel]
        entry = {"record": rec}
        if index[rel].get("works"):
            entry["diffs"] = differences(load_golden(rel), rec, PROGRAMS.get(rel, {}))
        else:
            entry["diffs"] = None
        entry["ours_ok"], entry["ours_why"] = _ours_verdict(rel, rec)
        out[rel] = entry
    return out


def _ours_verdict(rel: str, rec: Dict[str, Any]) -> Tuple[bool, str]:
    if "probe_error" in rec:
        return False, "probe failed"
    err = rec.get("stderr_tail", "")
    m = re.search(r"No module named '([^']+)'|cannot import name '([^']+)' from '([^']+)'", err)
    if m:
        name = m.group(1) or "%s.%s" % (m.group(3), m.group(2))
        return False, "missing name: " + name
    return oracle_verdict(rel, rec)


def write_docs(index: Dict[str, Any], results: Dict[str, Any], path: str) -> Tuple[int, int]:
    """docs/compat.md from the oracle's index and our run; returns (matching, oracle works)."""
    works = [r for r in sorted(index) if index[r].get("works")]
    matching = [r for r in works if results.get(r, {}).get("diffs") == []]
    lines = [
        "# Kamaelia's own Examples on microaxon.compat",
        "",
        "Generated by `python3 -m tools.compat.corpus docs` (tools/compat): every program in the",
        "`Examples/` folder of Kamaelia %s's source distribution, run under real Kamaelia %s on" % (VERSION, VERSION),
        "Python %d.%d and under `microaxon.compat`, with the probes of tools/compat/manifest.py" % sys.version_info[:2],
        "(typed stdin lines, TCP clients, an Introspector listener, files written, how it ends).",
        "Do not edit by hand: re-run the tool.",
        "",
        "**%d of the %d programs that work on Kamaelia itself give the same result on ours.**" % (
            len(matching), len(works)),
        "",
        "Of the %d programs: %d do not parse under Python 3; %d parse but do not work on Kamaelia" % (
            len(index), sum(1 for r in index if not index[r]["parses"]),
            sum(1 for r in index if index[r]["parses"] and not index[r].get("works"))),
        "%s itself here (missing libraries or hardware, the internet, Python 3 breakage); %d work." % (
            VERSION, len(works)),
        "",
        "Kamaelia column: *yes* = runs and does its job on Kamaelia %s under Python 3 (its recorded" % VERSION,
        "behaviour is the golden file in tests/compat/golden/); otherwise why not. Ours column: *same* =",
        "the same printed lines, client transcript, files and ending as Kamaelia; otherwise what differs",
        "or why it cannot run. Display programs run with SDL's dummy driver: their windows are not compared.",
        "How programs are compared (tools/compat/manifest.py has the details per program):",
        "",
        "- Addresses, object ids and peer ports are masked; Kamaelia's pygame display's calibration",
        "  notice and Axon.Handle's \"experimental\" notice are not compared (notes about Kamaelia's",
        "  implementation, not about the program).",
        "- Programs whose threads print at the same moment tear each other's lines even on Kamaelia:",
        "  these are compared as the set of words (or of distinct lines) printed, not the order.",
        "- `Axon.Component.TraceAllSends` prints the messages between Kamaelia's own internal",
        "  components (Selector, ConnectedSocketAdapter), which ours does not have: those lines are",
        "  dropped, and what the server sends its client is compared.",
        "- Introspecting programs: the probe listens where the Introspector connects and checks that",
        "  the stream starts with `DEL ALL` and names the program's own components.",
        "",
        "Under `microaxon.compat.install()` components are named as Axon names them",
        "(`__main__.Chatty_6`, numbered from 5 as in Axon) and print as Axon's do; natively they keep",
        "`Chatty#6`, which is shorter to build and read on a device and does not pretend to be Axon.",
        "",
        "`Kamaelia.Experimental.PythonInterpreter` runs the Python it is sent. Ours refuses to run code",
        "for a TCP peer that is not on this machine (unless `allow_remote=True`) and warns on stderr",
        "when it is served on a non-loopback address; `TopologyViewerServer` listens on localhost.",
        "",
        "| program | Kamaelia %s | ours |" % VERSION,
        "| --- | --- | --- |",
    ]
    for rel in sorted(index):
        e = index[rel]
        if not e["parses"]:
            lines.append("| `%s` | no: %s | no: does not parse |" % (rel, _md(e["why"])))
            continue
        k = "yes" if e.get("works") else "no: " + _md(e["why"])
        r = results.get(rel)
        if r is None:
            o = "not run"
        elif r["diffs"] == []:
            o = "same"
        elif r["diffs"]:
            o = "differs: " + ", ".join(r["diffs"])
            if not r["ours_ok"]:
                o += " (%s)" % _md(r["ours_why"])
        else:
            o = "runs" if r["ours_ok"] else "no: " + _md(r["ours_why"])
        lines.append("| `%s` | %s | %s |" % (rel, k, o))
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return len(matching), len(works)


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def main(argv: Optional[List[str]] = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    cmd = argv[0] if argv else "check"
    if cmd == "docs-only":           # rewrite docs/compat.md from the last check's records (no runs)
        with open(os.path.join(cache_dir(), "last_check.json")) as f:
            results = json.load(f)
        index = load_index()
        for rel in results:             # compared afresh: the manifest's normalisation may be newer
            if index.get(rel, {}).get("works") and "probe_error" not in results[rel]["record"]:
                results[rel]["diffs"] = differences(load_golden(rel), results[rel]["record"],
                                                    PROGRAMS.get(rel, {}))
        m, w = write_docs(index, results, os.path.join(ROOT, "docs", "compat.md"))
        print("%d of %d match" % (m, w))
        return 0
    examples = fetch()
    if cmd in ("record", "docs"):
        record(examples, only=argv[1:] or None)
    if cmd in ("check", "docs", "report"):
        only = argv[1:] or None
        results = check(examples, only)
        with open(os.path.join(cache_dir(), "last_check.json"), "w") as f:
            json.dump(results, f)
        for rel in sorted(results):
            r = results[rel]
            print("%-70s %s" % (rel, "same" if r["diffs"] == [] else (r["diffs"] or r["ours_why"] or "runs")))
        if cmd in ("docs", "report"):
            m, w = write_docs(load_index(), results, os.path.join(ROOT, "docs", "compat.md"))
            print("%d of %d match" % (m, w))
    return 0


if __name__ == "__main__":
    sys.exit(main())
