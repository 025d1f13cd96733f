/*
 * fixture.h - reading a file whole for the unit tests: the data files of
 * tests/data and the recordings a test has just written.
 */
#ifndef SHMVIZ_TESTS_FIXTURE_H
#define SHMVIZ_TESTS_FIXTURE_H

#include <stddef.h>

/* The file at path whole, NUL-ended, in a buffer to free(); its length in
 * *len when len is not NULL. NULL when it cannot be read. */
char *fixture_read(const char *path, size_t *len);

/* dir/name as fixture_read(), for a data file that must be there: when it
 * cannot be read, says so and ends the test with status 1. */
char *fixture_load(const char *dir, const char *name, size_t *len);

#endif
