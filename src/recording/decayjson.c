/*
 * decayjson.c - the "decay" object of a run's recording: the tree's series
 * and each member's, with the figures of src/core/decay.h (start, newest,
 * lowest, what was lost, its rate, the half-life); null where there is no
 * window (no complete sample).
 */
#include "src/recording/decayjson.h"

static void add_fig(cJSON *o, const struct decay_fig *f)
{
	cJSON_AddNumberToObject(o, "start_s", f->t0);
	cJSON_AddNumberToObject(o, "shared_start_kb", (double)f->shared0_kb);
	cJSON_AddNumberToObject(o, "private_start_kb", (double)f->private0_kb);
	cJSON_AddNumberToObject(o, "end_s", f->t_last);
	cJSON_AddNumberToObject(o, "shared_end_kb", (double)f->shared_last_kb);
	cJSON_AddNumberToObject(o, "private_end_kb", (double)f->private_last_kb);
	cJSON_AddNumberToObject(o, "min_s", f->t_min);
	cJSON_AddNumberToObject(o, "shared_min_kb", (double)f->shared_min_kb);
	cJSON_AddNumberToObject(o, "lost_kb", (double)decay_lost_kb(f));
	cJSON_AddNumberToObject(o, "rate_kb_s", decay_rate_kb_s(f));
	if (f->halved)
		cJSON_AddNumberToObject(o, "half_life_s", f->half_life_s);
	else
		cJSON_AddNullToObject(o, "half_life_s");
}

void decayjson_add(cJSON *o, const struct run *r)
{
	const struct decay *d = &r->decay;
	cJSON *dj = cJSON_AddObjectToObject(o, "decay"), *tree, *members;

	if (!dj)
		return;
	cJSON_AddBoolToObject(dj, "too_many", d->too_many);
	if (!d->tree.known) {
		cJSON_AddNullToObject(dj, "tree");
		cJSON_AddArrayToObject(dj, "members");
		return;
	}
	tree = cJSON_AddObjectToObject(dj, "tree");
	if (tree)
		add_fig(tree, &d->tree);
	members = cJSON_AddArrayToObject(dj, "members");
	for (size_t i = 0; members && i < d->nprocs; i++) {
		const struct decay_proc *p = &d->procs[i];
		cJSON *m = cJSON_CreateObject();

		if (!m)
			return;
		cJSON_AddNumberToObject(m, "pid", p->pid);
		cJSON_AddNumberToObject(m, "start_ticks", (double)p->start_ticks);
		cJSON_AddStringToObject(m, "role", model_role_name((enum proc_role)p->role));
		add_fig(m, &p->fig);
		cJSON_AddItemToArray(members, m);
	}
}
