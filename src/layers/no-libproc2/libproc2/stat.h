/*
 * Stands in for <libproc2/stat.h> in every library that may not use libproc2: only
 * probes/ may (docs/architecture.md, "Layers"). The build puts this folder
 * before the system's, so an include of it here fails with this message.
 */
#error "libproc2 is used only in probes/ (docs/architecture.md, Layers): this library may not include <libproc2/stat.h>"
