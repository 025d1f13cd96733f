/*
 * limits.c - the ladder of sampling intervals (src/core/limits.h).
 */
#include "src/core/limits.h"

#include <stddef.h>

#include "src/util/macros.h"

int interval_step(int ms, bool faster)
{
	static const int ladder[] = {
		10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000,
	};
	const size_t n = ARRAY_SIZE(ladder);

	if (faster) {
		for (size_t i = n; i-- > 0;)
			if (ladder[i] < ms)
				return ladder[i];
		return ladder[0] < ms ? ladder[0] : ms;
	}
	for (size_t i = 0; i < n; i++)
		if (ladder[i] > ms)
			return ladder[i];
	return ladder[n - 1] > ms ? ladder[n - 1] : ms;
}
