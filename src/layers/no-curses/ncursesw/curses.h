/*
 * Stands in for <ncursesw/curses.h> in every library that may not use curses: only
 * ui/ (not its curses-free part) may (docs/architecture.md, "Layers"). The build puts this folder
 * before the system's, so an include of it here fails with this message.
 */
#error "curses is used only in ui/ (not its curses-free part) (docs/architecture.md, Layers): this library may not include <ncursesw/curses.h>"
