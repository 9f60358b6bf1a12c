"""Displays: ticker, teleprompter, the subtitles display, and Kamaelia's pygame display service and widgets."""
