/*
 * Stands in for <cairo.h> in every library that may not use cairo: only
 * src/report/ may (docs/architecture.md, "Layers"). The build puts this folder
 * before the system's, so an include of it here fails with this message.
 */
#error "cairo is used only in src/report/ (docs/architecture.md, Layers): this library may not include <cairo.h>"
