"""A handheld display's network side under micropython: sync_mqtt_follower (MQTTSubscriber ->
SyncFollowerComponent) in a Pipeline with a printer; prints each verified state as a JSON line,
finishes after the state whose "cue" is "end", then prints ok.

    micropython mp_sync_mqtt_follower.py HOST PORT USER PASSWORD TOPIC KEY
"""
import json
import sys

from kamaelia_lite.chassis import Pipeline
from kamaelia_lite.surtitles.sync_mqtt import sync_mqtt_follower
from microaxon import component, shutdownMicroprocess


class Show(component):
    Outboxes = {"outbox": "", "signal": "", "stop": "shutdown for the network side"}

    def main(self):
        while True:
            while self.dataReady("inbox"):
                st = self.recv("inbox")
                print("STATE " + json.dumps(st))
                if st.get("cue") == "end":
                    self.send(shutdownMicroprocess(), "stop")
                    return
            self.pause()
            yield 1


host, port, user, pw, topic, key = sys.argv[1:7]
net = sync_mqtt_follower(key, host, int(port), topic, username=user, password=pw, recv_size=512,
                         max_packet=4096)
show = Show()
show.link((show, "stop"), (net, "control"))
Pipeline(net, show).run()
print("ok")
