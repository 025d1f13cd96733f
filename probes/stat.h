/*
 * stat.h - the fields shmviz uses from /proc/PID/stat, and their parser.
 *
 * The process name (comm) sits between the first '(' and the LAST ')': a
 * name may itself hold spaces, parentheses and newlines, so the parser
 * never splits the line on blanks before it has found that last ')'.
 */
#ifndef SHMVIZ_PROBES_STAT_H
#define SHMVIZ_PROBES_STAT_H

#if !defined(SHMVIZ_USES_PROBES) && !defined(SHMVIZ_USES_ALL)
#error "probes/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The kernel limits comm to 15 bytes; room for a longer one all the same. */
#define STAT_COMM_MAX 64

struct proc_stat {
	pid_t pid;
	pid_t ppid;
	char state;                 /* R, S, D, Z, T, t, X, I, ... */
	char comm[STAT_COMM_MAX];   /* raw bytes as the kernel gave them, NUL-ended */
	uint64_t minflt;            /* minor faults */
	uint64_t majflt;            /* major faults */
	uint64_t child_faults;      /* cminflt + cmajflt: of the children it
	                               waited for */
	uint64_t utime_ticks;       /* user time, clock ticks */
	uint64_t stime_ticks;       /* system time, clock ticks */
	int64_t num_threads;
	uint64_t start_ticks;       /* start time after boot, clock ticks */
	int64_t vsize;              /* virtual size, bytes; -1 unknown */
	int64_t rss_pages;          /* resident pages (the same counters as
	                               status's VmRSS), -1 when not given */
};

/* Parses one stat line of len bytes. Returns 0 or -EINVAL. */
int stat_parse(const char *buf, size_t len, struct proc_stat *out);

/* Reads /proc/PID/stat. Returns 0, -ENOENT/-ESRCH when the process is gone,
 * -EINVAL when the text cannot be parsed, or another -errno. */
int stat_read(pid_t pid, struct proc_stat *out);

/* Reads /proc/PID/stat relative to an open /proc directory fd. */
int stat_readat(int procfd, const char *pidname, struct proc_stat *out);

/* Reads an open /proc/PID/stat again from its start (pread: the kernel
 * prints it anew). -ESRCH once the process it was opened for is gone, even
 * when its pid has been handed out again. */
int stat_reread(int fd, struct proc_stat *out);

#endif
