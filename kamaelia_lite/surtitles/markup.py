"""The italics marks kept in cue text (``<i>`` ... ``</i>``, see ``subtitle_text.plain_text``):
take them out, or split a line into italic and upright runs. Pure; portable (runs on MicroPython)."""
ITALIC_ON = "<i>"
ITALIC_OFF = "</i>"


def strip_markup(text):
    """``text`` without the italics marks that ``plain_text`` keeps."""
    if "<" not in text:
        return text
    # the marks styled_runs sees, read left to right (replacing each mark everywhere could
    # join what is left into a new one: "a<<i>/i>")
    return "".join([run for _, run in styled_runs(text)])


def styled_runs(line):
    """[(italic, text)] runs of one line holding ``<i>``/``</i>`` marks."""
    runs = []
    italic = False
    k = 0
    start = 0
    while k < len(line):
        if line.startswith(ITALIC_ON, k) or line.startswith(ITALIC_OFF, k):
            if k > start:
                runs.append((italic, line[start:k]))
            italic = line.startswith(ITALIC_ON, k)
            k += 3 if italic else 4
            start = k
        else:
            k += 1
    if start < len(line):
        runs.append((italic, line[start:]))
    return runs
