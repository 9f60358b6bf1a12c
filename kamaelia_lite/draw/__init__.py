"""Drawing: the canvas interface, its pygame and framebuf backends, the bitmap font, text layout."""
