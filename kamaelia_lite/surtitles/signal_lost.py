"""The discreet "signal lost" mark a display shows while it hears no leader (pure drawing,
portable): a small dim red square in the top-right corner, over whatever text is shown."""

MARK_COLOUR = (150, 30, 30)


def mark_box(width, height):
    """(x, y, w, h) of the mark on a ``width`` x ``height`` canvas."""
    side = max(3, min(width, height) // 16)
    margin = max(1, side // 2)
    return (width - side - margin, margin, side, side)


def draw_signal_lost_mark(canvas, colour=MARK_COLOUR):
    """Draw the mark on ``canvas`` (does not present)."""
    x, y, w, h = mark_box(canvas.width, canvas.height)
    canvas.fill_rect(x, y, w, h, colour)
