"""A small particle system for laying out graphs (pure logic: no pygame, no scheduler).
Kamaelia's names: Kamaelia.Support.Particles.{Particle, ParticleSystem, SimpleLaws}.

    laws = SimpleLaws(bondLength=100)
    system = ParticleSystem(laws)
    system.add(Particle((10, 10), ID="a"), Particle((20, 10), ID="b"))
    system.particleDict["a"].makeBond(system.particleDict, "b")
    system.run(50)          # 50 steps: particles repel, bonds pull to bondLength

Particles closer than ``laws.maxInteractRadius`` push each other apart; bonded particles are
pulled towards ``bondLength`` apart; velocities are damped, so a graph settles. A frozen
particle (being dragged) does not move. The number of particles is bounded by
``ParticleSystem.max_particles`` (default 2000): adding more raises ValueError.
"""
import math
from typing import Dict, Iterable, List, Optional, Tuple


class SimpleLaws:
    """How strongly particles repel and bonds pull; distances in pixels."""

    def __init__(self, bondLength: float = 100, damping: float = 0.8, strength: float = 0.3) -> None:
        self.bondLength = float(bondLength)
        self.maxInteractRadius = 2.0 * self.bondLength
        self.damping = damping
        self.strength = strength

    def unbonded(self, dist: float) -> float:
        """Repulsion (positive: apart) between unbonded particles `dist` apart."""
        if dist >= self.maxInteractRadius:
            return 0.0
        return self.strength * (self.maxInteractRadius - dist) / 2.0

    def bonded(self, dist: float) -> float:
        """Force along a bond: positive pushes apart, negative pulls together."""
        return self.strength * (self.bondLength - dist)


class Particle:
    """A point with an ID, a position `pos` and bonds to other particles (`bondedTo`)."""

    def __init__(self, position: Tuple[float, float], ID: Optional[str] = None) -> None:
        self.pos = (float(position[0]), float(position[1]))
        self.ID = ID if ID is not None else str(id(self))
        self.velocity = (0.0, 0.0)
        self.bondedTo: List[Particle] = []
        self.frozen = False

    def makeBond(self, particleDict: Dict[str, "Particle"], destID: str) -> None:
        """Bond to the particle with ID `destID` (KeyError names it if there is none)."""
        other = particleDict[destID]
        if other is not self and other not in self.bondedTo:
            self.bondedTo.append(other)

    def breakBond(self, particleDict: Dict[str, "Particle"], destID: str) -> None:
        other = particleDict.get(destID)
        if other in self.bondedTo:
            self.bondedTo.remove(other)

    def getLoc(self) -> Tuple[float, float]:
        return self.pos

    def freeze(self) -> None:
        self.frozen = True
        self.velocity = (0.0, 0.0)

    def unFreeze(self) -> None:
        self.frozen = False


class ParticleSystem:
    """Particles moving under `laws` (see module doc)."""

    max_particles = 2000

    def __init__(self, laws: SimpleLaws, initialParticles: Iterable[Particle] = (), initialTick: int = 0) -> None:
        self.laws = laws
        self.particles: List[Particle] = []
        self.particleDict: Dict[str, Particle] = {}
        self.tick = initialTick
        self.add(*initialParticles)

    def add(self, *particles: Particle) -> None:
        if len(self.particles) + len(particles) > self.max_particles:
            raise ValueError("ParticleSystem: more than %d particles" % self.max_particles)
        for p in particles:
            if p.ID in self.particleDict:
                self.remove(self.particleDict[p.ID])
            self.particles.append(p)
            self.particleDict[p.ID] = p

    def remove(self, particle: Particle) -> None:
        self.particles.remove(particle)
        del self.particleDict[particle.ID]
        for p in self.particles:
            if particle in p.bondedTo:
                p.bondedTo.remove(particle)

    def updateLoc(self, particle: Particle) -> None:
        """Tell the system a particle was moved by hand (positions are read afresh each step)."""

    def withinRadius(self, pos: Tuple[float, float], radius: float) -> List[Tuple[Particle, float]]:
        """[(particle, squared distance)] of the particles within `radius` of pos, nearest first."""
        r2 = radius * radius
        found = []
        for p in self.particles:
            d2 = (p.pos[0] - pos[0]) ** 2 + (p.pos[1] - pos[1]) ** 2
            if d2 <= r2:
                found.append((p, d2))
        found.sort(key=lambda pd: pd[1])
        return found

    def run(self, cycles: int = 1) -> None:
        """Advance `cycles` steps."""
        for _ in range(cycles):
            self._step()
            self.tick += 1

    def _step(self) -> None:
        laws = self.laws
        force = {p.ID: [0.0, 0.0] for p in self.particles}

        def push(a: Particle, b: Particle, f: float, d: float, dx: float, dy: float) -> None:
            force[a.ID][0] += f * dx / d
            force[a.ID][1] += f * dy / d
            force[b.ID][0] -= f * dx / d
            force[b.ID][1] -= f * dy / d

        ps = self.particles
        for i, a in enumerate(ps):
            for b in ps[i + 1:]:
                dx, dy = a.pos[0] - b.pos[0], a.pos[1] - b.pos[1]
                d = math.sqrt(dx * dx + dy * dy) or 0.01
                bonded = b in a.bondedTo or a in b.bondedTo
                f = laws.bonded(d) if bonded else laws.unbonded(d)
                if f:
                    push(a, b, f, d, dx, dy)
        for p in ps:
            if p.frozen:
                continue
            fx, fy = force[p.ID]
            vx = (p.velocity[0] + fx) * laws.damping
            vy = (p.velocity[1] + fy) * laws.damping
            p.velocity = (vx, vy)
            p.pos = (p.pos[0] + vx, p.pos[1] + vy)
