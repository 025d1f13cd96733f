/* Unit tests of the phase protocol: messages, bad lines, line splitting. */
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "src/core/protocol.h"

static char got[8][PROTO_LINE_MAX + 1];
static int ngot;

static void on_line(void *ctx, const char *line)
{
	(void)ctx;
	if (ngot < 8)
		snprintf(got[ngot++], sizeof(got[0]), "%s", line);
}

int main(void)
{
	struct proto_msg m;
	struct proto_reader r = { 0 };
	char longline[2000];
	int p[2];

	CHECK(proto_parse("phase fill 12.5", &m));
	CHECK_INT(m.kind, PROTO_PHASE);
	CHECK_STR(m.name, "fill");
	CHECK(m.t == 12.5);
	CHECK(proto_parse("phase compute", &m));
	CHECK(m.t < 0);
	CHECK(!proto_parse("phase", &m));
	CHECK(!proto_parse("phase fill soon", &m));
	CHECK(!proto_parse("phase fill -3", &m));
	CHECK(!proto_parse("phase fill 1 2", &m));
	CHECK(proto_parse("end", &m) && m.kind == PROTO_END && m.t < 0);
	CHECK(proto_parse("role 1234 worker", &m));
	CHECK_INT(m.kind, PROTO_ROLE);
	CHECK_INT(m.pid, 1234);
	CHECK_STR(m.name, "worker");
	CHECK(!proto_parse("role -1 worker", &m));
	CHECK(!proto_parse("role 12.5 worker", &m));
	CHECK(!proto_parse("role 1234", &m));
	CHECK(proto_parse("segment /psm_1234", &m) && m.kind == PROTO_SEGMENT);
	CHECK_STR(m.name, "/psm_1234");
	CHECK(proto_parse("unlinked /psm_1234", &m) && m.kind == PROTO_UNLINKED);
	CHECK(proto_parse("result sum 5000000", &m));
	CHECK_INT(m.kind, PROTO_RESULT);
	CHECK(m.value == 5000000);
	CHECK(!proto_parse("result sum", &m));
	CHECK(!proto_parse("result sum nan", &m));
	CHECK(proto_parse("fail worker 2 died", &m) && m.kind == PROTO_FAIL);
	CHECK_STR(m.text, "worker 2 died");
	CHECK(proto_parse("checkpoint", &m) && m.kind == PROTO_CHECKPOINT);
	CHECK(proto_parse("checkpoint  ", &m) && m.kind == PROTO_CHECKPOINT);
	/* a word after it: malformed, not a checkpoint */
	CHECK(!proto_parse("checkpoint now", &m));
	CHECK(proto_parse("hello 7", &m) && m.kind == PROTO_UNKNOWN);
	CHECK(proto_parse("", &m) && m.kind == PROTO_UNKNOWN);

	/* lines split across reads, an overlong line dropped, EOF flushes */
	CHECK(pipe2(p, O_NONBLOCK) == 0);
	CHECK(write(p[1], "phase a\nphase", 13) == 13);
	CHECK_INT(proto_read(&r, p[0], SIZE_MAX, NULL, on_line, NULL), 1);
	CHECK_INT(ngot, 1);
	CHECK_STR(got[0], "phase a");
	memset(longline, 'x', sizeof(longline));
	longline[sizeof(longline) - 1] = '\n';
	CHECK(write(p[1], " b\n", 3) == 3);
	CHECK(write(p[1], longline, sizeof(longline)) == (ssize_t)sizeof(longline));
	CHECK(write(p[1], "end\nlast", 8) == 8);
	close(p[1]);
	CHECK_INT(proto_read(&r, p[0], SIZE_MAX, NULL, on_line, NULL), 0);
	CHECK_INT(ngot, 4);
	CHECK_STR(got[1], "phase b");
	CHECK_STR(got[2], "end");
	CHECK_STR(got[3], "last");
	close(p[0]);

	/* at most max bytes a call: the rest waits */
	{
		size_t n = 0;

		ngot = 0;
		memset(&r, 0, sizeof(r));
		CHECK(pipe2(p, O_NONBLOCK) == 0);
		CHECK(write(p[1], "phase a\nphase b\n", 16) == 16);
		CHECK_INT(proto_read(&r, p[0], 8, &n, on_line, NULL), 1);
		CHECK_INT((int)n, 8);
		CHECK_INT(ngot, 1);
		CHECK_INT(proto_read(&r, p[0], 8, &n, on_line, NULL), 1);
		CHECK_INT((int)n, 8);
		CHECK_INT(ngot, 2);
		CHECK_STR(got[1], "phase b");
		close(p[0]);
		close(p[1]);
	}

	/* emit writes one line */
	CHECK(pipe(p) == 0);
	CHECK_INT(proto_emit(p[1], "phase %s %.1f", "x", 1.5), 0);
	{
		char buf[64] = { 0 };

		CHECK(read(p[0], buf, sizeof(buf) - 1) == 12);
		CHECK_STR(buf, "phase x 1.5\n");
	}
	CHECK_INT(proto_emit(-1, "x"), 0);
	close(p[0]);
	close(p[1]);
	CHECK(proto_now() > 0);
	return check_done();
}
