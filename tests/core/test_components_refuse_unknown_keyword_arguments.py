"""A keyword argument to a component is an option: accepted only if the class (or a base) has an
attribute of that name, its default. Anything else is a TypeError naming the argument, as Python
says it for a function, because a misspelt option silently ignored gives a wrong answer. A class
that really takes free-form keywords says so with `anyKeywords = True`."""
import pytest

from microaxon import component


class Greeter(component):
    greeting = "hello"


class LoudGreeter(Greeter):
    volume = 1


class Bag(component):
    anyKeywords = True


def test_a_misspelt_option_raises_typeerror_naming_it():
    with pytest.raises(TypeError) as e:
        Greeter(greting="hi")
    assert str(e.value) == "Greeter() got an unexpected keyword argument 'greting'"


def test_an_option_nobody_declared_raises_on_a_plain_component():
    with pytest.raises(TypeError, match="'colour'"):
        component(colour="red")


def test_a_declared_option_overrides_per_instance_and_the_default_stays():
    g = Greeter(greeting="hi")
    assert g.greeting == "hi"
    assert Greeter().greeting == "hello" and Greeter.greeting == "hello"


def test_a_subclass_takes_its_bases_options_and_its_own():
    g = LoudGreeter(greeting="hey", volume=11)
    assert (g.greeting, g.volume) == ("hey", 11)
    with pytest.raises(TypeError, match="LoudGreeter\\(\\) got an unexpected keyword argument 'volum'"):
        LoudGreeter(volum=11)


def test_box_declarations_and_the_name_are_options_of_every_component():
    c = component(Inboxes=["inbox", "control", "extra"], Outboxes=["outbox", "signal"], name="mine")
    assert c.name == "mine"
    assert c.dataReady("extra") == 0


def test_a_free_form_class_takes_any_keyword():
    b = Bag(anything=1, whatever="x")
    assert (b.anything, b.whatever) == (1, "x")

