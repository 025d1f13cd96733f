#!/usr/bin/env python3
"""ansi2svg.py - a terminal capture with colours (tmux capture-pane -e -p)
as an SVG picture, for the README: every cell keeps the xterm 256-colour
foreground and background the program drew it with.

    tmux capture-pane -e -p -t NAME | ansi2svg.py COLS ROWS BG > out.svg

BG is the terminal's own background (an xterm colour number) for cells
drawn without one.
"""
import re
import sys


def xterm(i):
    if i >= 232:
        v = 8 + 10 * (i - 232)
        return "#%02x%02x%02x" % (v, v, v)
    if i >= 16:
        lv = [0, 95, 135, 175, 215, 255]
        i -= 16
        return "#%02x%02x%02x" % (lv[i // 36], lv[(i // 6) % 6], lv[i % 6])
    base = ["#000000", "#cd0000", "#00cd00", "#cdcd00", "#0000ee", "#cd00cd",
            "#00cdcd", "#e5e5e5", "#7f7f7f", "#ff0000", "#00ff00", "#ffff00",
            "#5c5cff", "#ff00ff", "#00ffff", "#ffffff"]
    return base[i]


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def main():
    cols, rows, bg0 = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    fg0 = 16 if bg0 in (231, 15, 7) else 252
    cw, ch = 8.4, 17
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
           'font-family="DejaVu Sans Mono, monospace" font-size="14">'
           % (cols * cw, rows * ch),
           '<rect width="100%%" height="100%%" fill="%s"/>' % xterm(bg0)]
    sgr = re.compile(r"\x1b\[([0-9;]*)m")
    for y, line in enumerate(sys.stdin.read().split("\n")[:rows]):
        fg, bg, bold, x = fg0, bg0, False, 0
        pos = 0
        for m in list(sgr.finditer(line)) + [None]:
            text = line[pos:m.start()] if m else line[pos:]
            if text:
                n = len(text)
                if bg != bg0:
                    out.append('<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="%s"/>'
                               % (x * cw, y * ch, n * cw, ch, xterm(bg)))
                if text.strip():
                    out.append('<text x="%.1f" y="%d" fill="%s"%s xml:space="preserve" '
                               'textLength="%.1f">%s</text>'
                               % (x * cw, y * ch + 13, xterm(fg),
                                  ' font-weight="bold"' if bold else "", n * cw, esc(text)))
                x += n
            if not m:
                break
            pos = m.end()
            codes = [int(c) if c else 0 for c in m.group(1).split(";")]
            i = 0
            while i < len(codes):
                c = codes[i]
                if c == 0:
                    fg, bg, bold = fg0, bg0, False
                elif c == 1:
                    bold = True
                elif c == 22:
                    bold = False
                elif c == 39:
                    fg = fg0
                elif c == 49:
                    bg = bg0
                elif c in (38, 48) and i + 2 < len(codes) and codes[i + 1] == 5:
                    if c == 38:
                        fg = codes[i + 2]
                    else:
                        bg = codes[i + 2]
                    i += 2
                elif 30 <= c <= 37:
                    fg = c - 30
                elif 40 <= c <= 47:
                    bg = c - 40
                i += 1
    out.append("</svg>")
    print("\n".join(out))


if __name__ == "__main__":
    main()
