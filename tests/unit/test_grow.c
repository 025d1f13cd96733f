/* Unit tests of room in a growing array (src/util/grow.c): the capacity
 * doubles from 16 until it holds what is asked, the elements are kept,
 * and a size past SIZE_MAX is refused with the array as it was. */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "src/util/grow.h"

int main(void)
{
	int *a = NULL;
	size_t cap = 0;

	/* nothing asked of an empty array: nothing allocated */
	CHECK(grow((void **)&a, &cap, 0, sizeof(*a)));
	CHECK(a == NULL);
	CHECK_INT(cap, 0);
	/* the first room: 16 */
	CHECK(grow((void **)&a, &cap, 1, sizeof(*a)));
	CHECK(a != NULL);
	CHECK_INT(cap, 16);
	for (int i = 0; i < 16; i++)
		a[i] = i * 7;
	/* enough room: unchanged */
	CHECK(grow((void **)&a, &cap, 16, sizeof(*a)));
	CHECK_INT(cap, 16);
	/* 100 needs 16 -> 32 -> 64 -> 128, the elements kept */
	CHECK(grow((void **)&a, &cap, 100, sizeof(*a)));
	CHECK_INT(cap, 128);
	for (int i = 0; i < 16; i++)
		CHECK_INT(a[i], i * 7);
	a[127] = 1; /* the whole capacity is there (ASan would see it) */
	/* past SIZE_MAX, by count or by bytes: refused, as it was */
	CHECK(!grow((void **)&a, &cap, SIZE_MAX, sizeof(*a)));
	CHECK(!grow((void **)&a, &cap, SIZE_MAX / 2, sizeof(*a)));
	CHECK_INT(cap, 128);
	CHECK_INT(a[15], 105);
	free(a);
	return check_done();
}
