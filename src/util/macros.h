/*
 * macros.h - small macros every part of the program may use.
 */
#ifndef SHMVIZ_UTIL_MACROS_H
#define SHMVIZ_UTIL_MACROS_H

#if !defined(SHMVIZ_USES_UTIL) && !defined(SHMVIZ_USES_ALL)
#error "src/util/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

/* the number of elements of an array (not of a pointer) */
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
