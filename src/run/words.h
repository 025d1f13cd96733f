/*
 * words.h - shmviz's own word splitting for --compare commands: a command
 * line becomes an argv for execvp(3), with no shell involved.
 *
 * The rules (docs/workloads.md), a subset of sh's quoting:
 *   - unquoted blanks (space, tab, newline) separate words;
 *   - '...' keeps everything up to the next ' as it is;
 *   - "..." keeps everything up to the next unescaped ", except that a
 *     backslash before $ ` " \ or a newline is removed (and a backslash-
 *     newline pair is removed whole); any other backslash stays;
 *   - outside quotes a backslash makes the next character ordinary, and
 *     a backslash-newline pair is removed;
 *   - pieces written together form one word (a'b'"c" is abc); '' and ""
 *     make an empty word.
 * Nothing is expanded: $VAR, `cmd`, *, ?, ~, #, ;, |, &, <, > and
 * parentheses are ordinary characters. For a pipeline or a redirection,
 * write sh -c '...' yourself.
 */
#ifndef SHMVIZ_SRC_WORDS_H
#define SHMVIZ_SRC_WORDS_H

#if !defined(SHMVIZ_USES_RUN) && !defined(SHMVIZ_USES_ALL)
#error "src/run/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stdbool.h>
#include <stddef.h>

struct words {
	char **argv;   /* argc words, then NULL; owned, freed by words_finish */
	size_t argc;
};

/* Splits s into w (which words_finish() frees, also after a failure).
 * Returns false with one line in err for an unbalanced quote, a backslash
 * at the very end, or no memory. No words at all is not an error here:
 * the caller decides (w->argc == 0). */
bool words_split(const char *s, struct words *w, char *err, size_t errlen);

void words_finish(struct words *w);

#endif
