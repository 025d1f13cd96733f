"""screen_cells.py - the cells of a tmux capture-pane -e screen: each
line a list of (char, fg, bg), the xterm 256-colour index of each (None:
the terminal's default), from the SGR sequences (ECMA-48: 0 resets,
38;5;N and 48;5;N set, 39 and 49 reset one)."""
import re

SGR = re.compile(r"\x1b\[([0-9;]*)m")


def cells(text):
    fg = bg = None
    lines = []
    for raw in text.split("\n"):
        line, pos = [], 0
        for m in SGR.finditer(raw):
            line += [(c, fg, bg) for c in raw[pos:m.start()]]
            pos = m.end()
            p = [int(x) if x else 0 for x in m.group(1).split(";")]
            i = 0
            while i < len(p):
                if p[i] == 0:
                    fg = bg = None
                elif p[i] == 39:
                    fg = None
                elif p[i] == 49:
                    bg = None
                elif p[i] in (38, 48) and i + 2 < len(p) and p[i + 1] == 5:
                    if p[i] == 38:
                        fg = p[i + 2]
                    else:
                        bg = p[i + 2]
                    i += 2
                i += 1
        line += [(c, fg, bg) for c in raw[pos:]]
        lines.append(line)
    return lines


def find(lines, text, start=0):
    """(row, col) of each place text begins, from row start on"""
    out = []
    for r, line in enumerate(lines[start:], start):
        s = "".join(c for c, _, _ in line)
        for m in re.finditer(re.escape(text), s):
            out.append((r, m.start()))
    return out


def theme_pairs(table, theme):
    """{role: (fg, bg)} of THEME in the table test_palette prints"""
    pair = {}
    for line in open(table):
        w = line.split()
        if len(w) >= 5 and w[0] == theme:
            pair[w[1]] = (int(w[2]), int(w[4]))
    return pair
