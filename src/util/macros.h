/*
 * macros.h - small macros every part of the program may use.
 */
#ifndef SHMVIZ_UTIL_MACROS_H
#define SHMVIZ_UTIL_MACROS_H

/* the number of elements of an array (not of a pointer) */
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
