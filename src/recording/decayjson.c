/*
 * decayjson.c - the "decay" object of a run's recording: the tree's series
 * and each member's, with the figures of src/core/decay.h (start, newest,
 * lowest, what was lost, its rate, the half-life); null where there is no
 * window (no complete sample). The members are the rows of
 * SCHEMA_DECAY_FIG and SCHEMA_DECAY_MEMBER (schema.h).
 */
#include "src/recording/decayjson.h"
#include "src/recording/schema.h"

/* what was lost and its rate: computed from the others */
static void put_fig(cJSON *o, const struct schema_object *obj, size_t row,
		    const void *base, void *arg)
{
	const struct decay_fig *f = base;

	(void)obj;
	(void)arg;
	if (row == SCHEMA_decay_fig_lost_kb)
		cJSON_AddNumberToObject(o, K(decay_fig, lost_kb), (double)decay_lost_kb(f));
	else if (row == SCHEMA_decay_fig_rate_kb_s)
		cJSON_AddNumberToObject(o, K(decay_fig, rate_kb_s), decay_rate_kb_s(f));
}

void decayjson_add(cJSON *o, const struct run *r)
{
	const struct decay *d = &r->decay;
	cJSON *dj = cJSON_AddObjectToObject(o, K(run, decay)), *members;

	if (!dj)
		return;
	cJSON_AddBoolToObject(dj, K(decay, too_many), d->too_many);
	if (!d->tree.known) {
		cJSON_AddNullToObject(dj, K(decay, tree));
		cJSON_AddArrayToObject(dj, K(decay, members));
		return;
	}
	schema_put(cJSON_AddObjectToObject(dj, K(decay, tree)), &schema_decay_fig,
		   &d->tree, put_fig, NULL);
	members = cJSON_AddArrayToObject(dj, K(decay, members));
	for (size_t i = 0; members && i < d->nprocs; i++) {
		cJSON *m = cJSON_CreateObject();

		if (!m)
			return;
		schema_put_rows(m, &schema_decay_member, 0, SCHEMA_decay_member_fig,
				&d->procs[i], NULL, NULL);
		schema_put(m, &schema_decay_fig, &d->procs[i].fig, put_fig, NULL);
		cJSON_AddItemToArray(members, m);
	}
}
