/*
 * captions.h - lesson captions: one line under the panes that says what
 * the viewer sees now. The texts come from a plain-text file a teacher can
 * edit or translate (assets/captions.txt, format in docs/captions.md):
 *
 *   # comment
 *   RUN PHASE [if VAR OP NUMBER]: TEXT with {placeholders}
 *
 * RUN is a run name ("shared", "copy", "cow", "A", …), "*" for any run,
 * or "all" for the end of the session (every run done). PHASE is a phase
 * name ("attach"), a state ("waiting", "running", "done", "failed",
 * "stopped") or "*".
 * The first rule that matches wins. No curses here: the TUI asks
 * captions_pick() and captions_expand() for the text and draws it.
 */
#ifndef SHMVIZ_SRC_CAPTIONS_H
#define SHMVIZ_SRC_CAPTIONS_H

#if !defined(SHMVIZ_USES_REPORT) && !defined(SHMVIZ_USES_ALL)
#error "src/report/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stdbool.h>
#include <stddef.h>

#include "src/core/model.h"

#define CAPTIONS_FILE "captions.txt"
#define CAPTIONS_FILE_MAX (1 << 20)   /* bytes read at most */
#define CAPTIONS_RULES_MAX 1000
#define CAPTIONS_TEXT_MAX 512

/* Variables of conditions and placeholders. Memory in kB, times in s. */
enum caption_var {
	CV_SIZE,        /* dataset size */
	CV_ROWS,
	CV_WORKERS,
	CV_PSS,         /* ΣPSS now */
	CV_RSS,         /* ΣRSS now */
	CV_USS,         /* ΣUSS now */
	CV_SHARED,      /* ΣPSS − ΣUSS */
	CV_PRIVATE,     /* ΣUSS */
	CV_OVERCOUNT,   /* ΣRSS − ΣPSS */
	CV_NPROCS,
	CV_ELAPSED,
	CV_WALL,        /* the run's wall time (done runs) */
	CV_PEAK_PSS,
	CV_PEAK_RSS,
	CV_SPEEDUP,     /* the second run's wall time over the first's */
	CV_MEMRATIO,    /* the second run's peak ΣPSS over the first's */
	CV_RUNS,        /* runs in the session */
	CV_COMPARE,     /* 1 when the runs are two commands (--compare) */
	CV_TRACEMALLOC, /* the run's tracemalloc peak (--workload python) */
	CV_KERNEL_PEAK, /* the kernel's peak of the run's cgroup */
	CV_DATA,        /* the data the workload reported building */
	CV_WORKER_PRIVATE, /* the largest USS of one worker in a consistent
	                      sample (struct projection) */
	CV_PREFORK,     /* 1 when the runs are --workload prefork's */
	CV_PYTHON,      /* 1 for --workload python */
	CV_NUM_COUNT,
	/* strings */
	CV_RUN = CV_NUM_COUNT,
	CV_PHASE,
	CV_OTHER,       /* the other run of the comparison */
	CV_DETAIL,
	CV_CAUSE,
	CV_FIRST,       /* names of the first and second runs */
	CV_SECOND,
	CV_FASTER,      /* the first run against the second, the way the
	                   strip says it: "2.5× faster", "2.5× slower" */
	CV_N_WORKERS,   /* "1 worker", "4 workers" */
	CV_N_PROCS,     /* "1 process", "3 processes" (now) */
	CV_LESSMEM,     /* its peak ΣPSS against the second's: "120× less",
	                   "3.0× more", "as much"; "not sampled" when either
	                   run had no consistent sample */
	CV_COUNT,
};

struct caption_rule {
	char run[MODEL_NAME_MAX];
	char phase[MODEL_NAME_MAX];
	bool has_cond;
	enum caption_var var;
	char op[3];                 /* "<", "<=", ">", ">=", "=", "!=" */
	double value;
	char text[CAPTIONS_TEXT_MAX];
	int line;                   /* in the file */
};

struct captions {
	struct caption_rule *rules;
	size_t n;
};

/* What the placeholders stand for at one moment. */
struct caption_ctx {
	double num[CV_NUM_COUNT];
	bool have[CV_NUM_COUNT];
	char str[CV_COUNT - CV_NUM_COUNT][MODEL_TEXT_MAX];
	bool ascii;                 /* expand with ASCII only */
	bool approx;                /* the sample's ΣPSS is wider than one
	                               moment: its figures are marked "≈" */
};

/* Parses text (len bytes) into c (free with captions_finish()). Returns
 * false with "line N: what is wrong" in err; c is then empty. */
bool captions_parse(const char *text, size_t len, struct captions *c,
		    char *err, size_t errlen);

/* Reads and parses a file (at most CAPTIONS_FILE_MAX bytes). */
bool captions_load(const char *path, struct captions *c, char *err,
		   size_t errlen);

void captions_finish(struct captions *c);

/* Name of a variable ("size"), or NULL. */
const char *captions_var_name(enum caption_var v);

/* Fills ctx for run r of m at a moment: p its totals (NULL: none yet),
 * phase the phase name or NULL, elapsed seconds. */
void captions_context(struct caption_ctx *ctx, const struct model *m,
		      const struct run *r, const struct point *p,
		      const char *phase, double elapsed, bool ascii);

/* The first rule for run name run, in phase (NULL: none) and state, whose
 * condition holds; all_done selects the "all" rules. NULL: none. */
const struct caption_rule *captions_pick(const struct captions *c,
					 const char *run, const char *phase,
					 enum run_state state, bool all_done,
					 const struct caption_ctx *ctx);

/* Writes text with its placeholders filled in (always NUL-ended). A
 * placeholder without a value becomes "?". */
void captions_expand(char *out, size_t cap, const char *text,
		     const struct caption_ctx *ctx);

#endif
