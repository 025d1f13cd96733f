/*
 * Stands in for <cJSON.h> in every library that may not use cJSON: only
 * src/recording/ may (docs/architecture.md, "Layers"). The build puts this folder
 * before the system's, so an include of it here fails with this message.
 */
#error "cJSON is used only in src/recording/ (docs/architecture.md, Layers): this library may not include <cJSON.h>"
