#!/usr/bin/python3
"""visual.py - logical -> visual order for one right-to-left line.

Tesseract's LSTM reads a line image left to right and learns its truth in
that (visual) order: text2image writes its boxes that way.  Line images made
by other renderers come with logical-order text, so their truth is
converted with this subset of the Unicode Bidirectional Algorithm (UAX #9):
one paragraph at level 1 (RTL), no explicit embeddings, rules W1-W7, N1-N2,
I1-I2, L2.  Mirroring (L4) is not applied: text2image does not apply it
to its truth either.
"""
import sys
import unicodedata


def bidi_types(text):
    t = [unicodedata.bidirectional(c) or "L" for c in text]
    # W1: NSM takes the type of the character before it.
    for i, x in enumerate(t):
        if x == "NSM":
            t[i] = t[i - 1] if i > 0 else "R"
    # W2: EN after AL (searching back to a strong type; sos is R) -> AN.
    last = "R"
    for i, x in enumerate(t):
        if x in ("R", "L", "AL"):
            last = x
        elif x == "EN" and last == "AL":
            t[i] = "AN"
    # W3: AL -> R.
    t = ["R" if x == "AL" else x for x in t]
    # W4: one ES between ENs -> EN; one CS between two numbers of one type.
    for i in range(1, len(t) - 1):
        if t[i] == "ES" and t[i - 1] == "EN" and t[i + 1] == "EN":
            t[i] = "EN"
        elif t[i] == "CS" and t[i - 1] == t[i + 1] and t[i - 1] in ("EN", "AN"):
            t[i] = t[i - 1]
    # W5: ETs next to an EN -> EN.
    i = 0
    while i < len(t):
        if t[i] == "ET":
            j = i
            while j < len(t) and t[j] == "ET":
                j += 1
            if (i > 0 and t[i - 1] == "EN") or (j < len(t) and t[j] == "EN"):
                for k in range(i, j):
                    t[k] = "EN"
            i = j
        else:
            i += 1
    # W6: remaining separators and terminators -> ON.
    t = ["ON" if x in ("ES", "ET", "CS") else x for x in t]
    # W7: EN after L (sos is R) -> L.
    last = "R"
    for i, x in enumerate(t):
        if x in ("R", "L"):
            last = x
        elif x == "EN" and last == "L":
            t[i] = "L"
    # N1/N2: neutral runs take the direction around them when both sides
    # agree (numbers count as R), else the paragraph's (R).
    def strong(x):
        return "R" if x in ("R", "EN", "AN") else ("L" if x == "L" else None)
    i = 0
    while i < len(t):
        if strong(t[i]) is None:
            j = i
            while j < len(t) and strong(t[j]) is None:
                j += 1
            before = strong(t[i - 1]) if i > 0 else "R"
            after = strong(t[j]) if j < len(t) else "R"
            d = before if before == after else "R"
            for k in range(i, j):
                t[k] = d
            i = j
        else:
            i += 1
    return t


def visual(text):
    """The characters of an RTL line in left-to-right display order."""
    t = bidi_types(text)
    # I1/I2 at paragraph level 1: R -> 1, L/EN/AN -> 2.
    levels = [1 if x == "R" else 2 for x in t]
    chars = list(text)
    # L2: from the highest level down to 1, reverse every run at >= level.
    for lev in range(max(levels, default=1), 0, -1):
        i = 0
        while i < len(chars):
            if levels[i] >= lev:
                j = i
                while j < len(chars) and levels[j] >= lev:
                    j += 1
                chars[i:j] = chars[i:j][::-1]
                levels[i:j] = levels[i:j][::-1]
                i = j
            else:
                i += 1
    return "".join(chars)


if __name__ == "__main__":
    for line in sys.stdin:
        print(visual(line.rstrip("\n")))
