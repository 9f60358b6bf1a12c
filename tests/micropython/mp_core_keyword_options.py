"""Keyword options under the real micropython binary (also run with -X heapsize=64k): a keyword
must name a class attribute (its default) unless the class declares anyKeywords = True; any
other keyword is a TypeError naming it. Plain script: raises on failure, prints ok.
# micropython-heap: 64k
"""
import sys

_here = __file__.rsplit("/", 1)[0] if "/" in __file__ else "."
sys.path.insert(0, _here + "/../..")

from microaxon import component  # noqa: E402


class Opt(component):
    greeting = "hello"


class Free(component):
    anyKeywords = True


def check(cond, what):
    if not cond:
        raise AssertionError(what)


check(Opt(greeting="hi").greeting == "hi" and Opt().greeting == "hello", "option override")
check(Opt(name="n").name == "n", "name= is an option")
try:
    Opt(greting="hi")
    check(False, "a misspelt option was accepted")
except TypeError as e:
    check(str(e) == "Opt() got an unexpected keyword argument 'greting'", "message: %s" % e)
check(Free(anything=1).anything == 1, "anyKeywords")
print("ok")
