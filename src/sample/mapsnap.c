/* mapsnap.c - a snapshot of smaps mappings, paid by the sampler (see mapsnap.h). */
#include "src/sample/mapsnap.h"

#include "probes/mappings.h"

int mapsnap_take(struct sampler *s, struct map_snap *snap, double t,
		 const char *phase, const struct proc_row *rows, size_t n,
		 const struct mapgroups_stop *stop)
{
	int rc = mapgroups_take(snap, t, phase, rows, n, mappings_read, stop);

	if (rc == 0)
		sampler_note_mappings(s, snap->nprocs, snap->cpu_s);
	else
		sampler_pay(s);
	return rc;
}
