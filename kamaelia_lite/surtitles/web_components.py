"""Audience phones as surtitle displays: the web bridge component (CPython only).

``AudienceServer`` sits in the stream of audience states — after a ``CuePlayer`` on the
operator's machine, or after a sync follower (multicast, reliable multicast or
``SyncTCPFollower``) anywhere on the LAN — passes every state on unchanged, and serves the
audience page (``kamaelia_lite/surtitles/webpage/``) and its WebSocket to phones::

    Pipeline(CuePlayer(cues), AudienceServer(host="0.0.0.0", port=8080), SyncLeaderComponent(key=key), ...)
    Pipeline(SyncTCPFollower(key=key, host=leader), AudienceServer(port=8080), SubtitleDisplay(canvas))

Every phone gets the current state when it connects and every change after. Each phone has
a lossy box of one: a slow or stalled phone only ever gets the newest state, never a backlog,
and never slows the others (the message is encoded once for everybody). Phones cannot change
the show: the only message read from them is their language choice, which moves a count.
"""
import os
import sys

from kamaelia_lite.flow import take_ending
from kamaelia_lite.net.http import Limits, Response, Routes, StaticFiles
from kamaelia_lite.net.http_components import WebServer
from kamaelia_lite.net.websocket import text_frame
from kamaelia_lite.surtitles.web import LanguageCounts, PhoneView, language_choice
from microaxon import component, noSpaceInBox, now, producerFinished, shutdownMicroprocess

__all__ = ["AudienceServer", "PAGE_FOLDER"]

PAGE_FOLDER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "webpage")


class AudienceServer(component):
    """Serves the audience page and pushes every audience state to every phone.

    Parameters: ``host`` (default "127.0.0.1"; "0.0.0.0" for phones on the LAN), ``port``
    (0 picks one: ``.port``), ``languages`` (the languages on offer, in order; others are
    added as states bring them), ``limits`` (``kamaelia_lite.net.http.Limits``; by default
    phones may send messages of at most 256 bytes, pings every 15 s), ``max_connections``
    (default 2000), ``page`` (folder of the page, default the packaged one), ``ws_path``
    ("/live"), ``counts_period`` (s, at most one counts message per period, default 0.5),
    ``heartbeat`` (s, default 10: the current state is sent again, so a page can tell a dead
    link from a quiet show), ``batch`` (phones given a new state per scheduler step, default 32:
    the sockets of the first ones write while the others are being given it).

    Boxes: ``inbox`` audience states, passed on ``outbox`` unchanged (so it fits in a Pipeline
    in front of the leader or a display); ``counts`` ``{"total": n, "languages": {code: n}}``
    whenever the phones change; ``control`` producerFinished/shutdownMicroprocess: close every
    phone (1001), stop serving, pass it on ``signal``.
    ``phones()`` is the same count at any time; ``web`` is the ``WebServer``.
    """

    Inboxes = {"inbox": "audience states", "control": "shutdown", "_web_done": "internal"}
    Outboxes = {"outbox": "the same states, passed on", "counts": "phones per language",
                "signal": "shutdown", "_web": "internal"}

    host = "127.0.0.1"
    port = 0
    languages = ()
    limits = None
    max_connections = 2000
    page = None          # the packaged page (PAGE_FOLDER)
    ws_path = "/live"
    counts_period = 0.5
    heartbeat = 10.0
    batch = 32           # phones sent to per scheduler step during a fan-out

    def __init__(self, **argd):
        super().__init__(**argd)
        if self.limits is None:
            self.limits = Limits(max_message_bytes=256, ping_interval=15.0, pong_timeout=15.0,
                                 send_timeout=20.0)
        self.view = PhoneView(self.languages)
        self.count = LanguageCounts(known=lambda: self.view.languages)
        self.clients = {}            # WebConnection -> our outbox linked to its push box
        self.frame = None            # the current message, encoded once as a WebSocket frame
        self.ignored = 0             # messages from phones that were not a language choice
        self.published = 0           # distinct states sent to the phones
        self._dirty = False
        routes = Routes(fallback=StaticFiles(self.page or PAGE_FOLDER)).websocket(self.ws_path, self)
        routes.add("/state.json", self._state_json)
        self.web = WebServer(routes, host=self.host, port=self.port, limits=self.limits,
                             max_connections=self.max_connections)
        self.port = self.web.port

    # -- the hub interface (called by WebConnection) ---------------------------------------
    def ws_open(self, conn, request):
        """A phone connected: link its lossy box of one, send the current state at once."""
        box = self.addOutbox("_phone")
        self.link((self, box), (conn, "push"), mode="lossy")
        direct = None
        if conn.socket is not None and not conn.socket.finished():
            direct = self.addOutbox("_sock")          # straight to the socket while it is idle
            self.link((self, direct), (conn.socket, "inbox"))
        self.clients[conn] = (box, direct, conn.getInbox("push"), conn.room)
        lang = request.query.get("lang", [None])[0]
        self.count.join(conn, lang)
        if self.frame is not None:
            self.send(self.frame, box)
        self._changed()

    def ws_message(self, conn, text):
        """A phone said which language it follows (``{"lang": "ja"}``); nothing else is read."""
        lang = language_choice(text)
        if lang is None:
            self.ignored += 1
            return
        if self.count.change(conn, lang):
            self._changed()

    def ws_closed(self, conn, reason):
        """A phone left."""
        boxes = self.clients.pop(conn, None)
        if boxes is not None:
            for box in boxes[:2]:
                if box is not None:
                    self.deleteOutbox(box)
        self.count.leave(conn)
        self._changed()

    def _changed(self):
        self._dirty = True
        self.unpause()

    def phones(self):
        """{"total": n, "languages": {code: n}} now."""
        return self.count.counts()

    def _state_json(self, request):
        return Response(200, (self.view.message or "null").encode("utf-8"), "application/json",
                        headers=[("Cache-Control", "no-store")])

    # -- the component -------------------------------------------------------------------
    def _publish(self, state):
        """The frame for ``state``, or None when phones would see no change."""
        msg = self.view.update(state)
        if msg is None:
            return None
        self.frame = text_frame(msg)
        self.published += 1
        return self.frame

    def _fan_out(self, frame):
        """Send ``frame`` to every phone, ``batch`` phones per step: between steps the sockets
        already given the frame write it, so the first phones have it while the loop goes on."""
        send = self.send
        space = self.hasSpace
        clients = self.clients
        n = 0
        for conn, (box, direct, push, room) in list(clients.items()):
            if conn not in clients:
                continue                 # left during an earlier step
            # (what WebConnection.idle_socket says, inline: this loop runs once per phone)
            if direct is not None and not push.q and space(direct) >= room:
                send(frame, direct)      # nothing queued for this phone: straight to its socket
            else:
                send(frame, box)         # lossy, capacity 1: replaces what a slow phone has not taken
            n += 1
            if n % self.batch == 0:
                yield 1

    def main(self):
        web = self.web
        self.link((self, "_web"), (web, "control"))
        self.link((web, "signal"), (self, "_web_done"))
        self.addChildren(web)
        web.activate(self._sched)
        next_counts = 0.0
        next_beat = now() + self.heartbeat
        stop = None
        while stop is None:
            while self.dataReady("inbox"):
                state = self.recv("inbox")
                self.send(state, "outbox")            # the show first
                if not isinstance(state, (producerFinished, shutdownMicroprocess)):
                    frame = self._publish(state)
                    if frame is not None:
                        yield from self._fan_out(frame)
            t = now()
            if t >= next_beat:
                next_beat = t + self.heartbeat
                if self.frame is not None:
                    yield from self._fan_out(self.frame)
            timeout = next_beat - t
            if self._dirty:
                t = now()
                if t >= next_counts:
                    self._dirty = False
                    next_counts = t + self.counts_period
                    try:
                        self.send(self.count.counts(), "counts")
                    except noSpaceInBox:
                        self._dirty = True
                else:
                    timeout = min(timeout, next_counts - t)
            stop = take_ending(self)
            if web.finished() and stop is None:
                sys.stderr.write("kamaelia_lite: %s: the web server ended\n" % self.name)
                stop = producerFinished(self)
            if stop is None:
                self.pause(timeout)
                yield 1
        self.send(producerFinished(self), "_web")
        while not web.finished() and not self.dataReady("_web_done"):
            self.pause()
            yield 1
        self.send(stop, "signal")
