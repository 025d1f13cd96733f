/* placeholder until the views land: refuses politely */
#include "ui/tui.h"

#include <stdio.h>

struct tui *tui_create(const struct tui_options *o, char *err, size_t errlen)
{
	(void)o;
	snprintf(err, errlen, "the interactive views are not built yet: use --record FILE");
	return NULL;
}

void tui_destroy(struct tui *t)
{
	(void)t;
}

struct sink tui_sink(struct tui *t)
{
	return (struct sink){ .ops = NULL, .ctx = t };
}

int tui_replay(struct tui *t, const struct model *m, double speed, int sigfd)
{
	(void)t; (void)m; (void)speed; (void)sigfd;
	return 4;
}
