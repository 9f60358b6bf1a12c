"""Networking: sans-IO framing, TCP, UDP, multicast, reliable multicast, tunnels."""
