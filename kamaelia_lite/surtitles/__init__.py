"""Surtitles for a show: subtitle files, cue lists and their player, display sync (leader/follower,
over multicast or TCP), the command vocabulary and its control ports."""
