"""The particle system pulls bonded particles to the bond length and pushes others apart, a
frozen particle stays put; PyGameApp runs its frame loop, dispatches events to handlers and
ends on quit()."""
import os

from kamaelia_lite.particles import Particle, ParticleSystem, SimpleLaws


def distance(a, b):
    return ((a.pos[0] - b.pos[0]) ** 2 + (a.pos[1] - b.pos[1]) ** 2) ** 0.5


def test_a_bond_settles_near_its_length():
    s = ParticleSystem(SimpleLaws(bondLength=100))
    s.add(Particle((0, 0), ID="a"), Particle((300, 0), ID="b"))
    s.particleDict["a"].makeBond(s.particleDict, "b")
    s.run(300)
    assert 90 < distance(s.particleDict["a"], s.particleDict["b"]) < 110


def test_unbonded_neighbours_are_pushed_apart():
    s = ParticleSystem(SimpleLaws(bondLength=50))
    s.add(Particle((0, 0), ID="a"), Particle((5, 0), ID="b"))
    s.run(100)
    assert distance(s.particleDict["a"], s.particleDict["b"]) >= 95   # out of reach: 2 * bondLength


def test_frozen_particles_stay_and_lookup_finds_the_nearest():
    s = ParticleSystem(SimpleLaws(bondLength=50))
    s.add(Particle((0, 0), ID="a"), Particle((5, 0), ID="b"))
    s.particleDict["a"].freeze()
    s.run(50)
    assert s.particleDict["a"].getLoc() == (0.0, 0.0)
    assert [p.ID for p, _ in s.withinRadius((1, 0), 500)] == ["a", "b"]


def test_removing_a_particle_removes_its_bonds():
    s = ParticleSystem(SimpleLaws())
    s.add(Particle((0, 0), ID="a"), Particle((5, 0), ID="b"))
    s.particleDict["a"].makeBond(s.particleDict, "b")
    s.remove(s.particleDict["b"])
    assert s.particleDict["a"].bondedTo == [] and list(s.particleDict) == ["a"]


def test_pygame_app_draws_frames_dispatches_events_and_quits(capsys):
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    import pygame

    from kamaelia_lite.pygame_app import PyGameApp
    from microaxon import Scheduler

    class App(PyGameApp):
        frames = 0
        seen = []

        def initialiseComponent(self):
            self.addHandler(pygame.USEREVENT, lambda e: App.seen.append(e.type) or True)

        def mainLoop(self):
            App.frames += 1
            self.screen.fill((0, 0, 0))
            if App.frames == 3:
                pygame.event.post(pygame.event.Event(pygame.USEREVENT))
                self._service.listen(self.screen, pygame.USEREVENT)
            if App.seen:
                self.quit()

    App((100, 80), fps=200).run(Scheduler())
    assert App.frames >= 3 and App.seen == [pygame.USEREVENT]
    assert capsys.readouterr().out.endswith("QUIT\n")
