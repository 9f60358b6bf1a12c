"""Chassis take their children positionally (Pipeline, PAR) or as keywords (Graphline), and their
own options as keywords: a misspelt option is a TypeError naming it, never silently ignored."""
import io

import pytest

from kamaelia_lite.chassis import (
    PAR,
    Carousel,
    Graphline,
    Pipeline,
    PublishTo,
    SubscribeTo,
    Supervisor,
)
from kamaelia_lite.util import Collector, DataSource, PureTransformer
from microaxon import Scheduler


def quiet():
    s = Scheduler()
    s.report = io.StringIO()
    return s


def test_a_misspelt_pipeline_option_raises_typeerror_naming_it():
    with pytest.raises(TypeError, match="Pipeline\\(\\) got an unexpected keyword argument 'cirular'"):
        Pipeline(DataSource([1]), Collector(), cirular=True)


def test_pipeline_circular_option_still_closes_the_ring():
    p = Pipeline(PureTransformer(lambda x: x), PureTransformer(lambda x: x), circular=True)
    assert p.circular is True and Pipeline.circular is False


def test_a_graphline_keyword_that_is_neither_child_nor_option_raises_naming_it():
    with pytest.raises(TypeError, match="Graphline\\(\\) got an unexpected keyword argument 'TYPO'"):
        Graphline(A=Collector(), TYPO="not a component", linkages={})


def test_graphline_children_as_keywords_and_its_real_options_still_work():
    s = quiet()
    out = Collector()
    g = Graphline(UP=PureTransformer(lambda x: x.upper()), name="shouter",
                  linkages={("self", "inbox"): ("UP", "inbox"), ("UP", "outbox"): ("self", "outbox"),
                            ("self", "control"): ("UP", "control"), ("UP", "signal"): ("self", "signal")})
    assert g.name == "shouter"
    Pipeline(DataSource(["a"]), g, out).run(s)
    assert out.collected == ["A"]


def test_other_chassis_refuse_misspelt_options_and_take_their_own():
    with pytest.raises(TypeError, match="'max_restart'"):
        Supervisor(Collector, max_restart=3)
    assert Supervisor(Collector, max_restarts=3).max_restarts == 3
    with pytest.raises(TypeError, match="'forwardr'"):
        PublishTo("bp", forwardr=True)
    assert PublishTo("bp", forwarder=True).forwarder is True
    with pytest.raises(TypeError, match="'lossyy'"):
        SubscribeTo("bp", lossyy=True)
    with pytest.raises(TypeError, match="'make1strequest'"):
        Carousel(lambda m: Collector(), make1strequest=True)
    with pytest.raises(TypeError, match="PAR\\(\\) got an unexpected keyword argument 'children'"):
        PAR(Collector(), children=[])
