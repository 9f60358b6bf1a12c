"""The multicast radio: ``server.py`` streams an .ogg file live, ``client.py`` tunes in and plays."""
