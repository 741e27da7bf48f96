/* SPDX-License-Identifier: MIT */
/* The long scenarios of the NT model's suite, each in a file of its own. */
#ifndef SPOTLESS_NTMODEL_SCENARIOS_H
#define SPOTLESS_NTMODEL_SCENARIOS_H

#include "ntmodel.h"

DRIVER_INITIALIZE DriverEntry;	/* spotless.sys's, from windows/driver/ */

/* low_resources.c: fail the k-th fallible call for k = 1, 2, ... until the
 * walk no longer reaches k. Returns the problems found (0: all unwound,
 * answered with an error and leaked nothing). */
struct low_resources_summary {
	unsigned long points;		/* k values that failed a call */
	unsigned long by_site[8];	/* how many of them, per call site */
	const char *site_names[8];
	unsigned int sites;
};
int low_resources_walk(struct low_resources_summary *summary);

/* random_run.c: threads doing seeded random operations at once. Returns the
 * problems found; *steps gets the operations done. */
int random_run(unsigned int seed, unsigned int threads, unsigned long steps_per_thread,
	       unsigned long *steps);

#endif /* SPOTLESS_NTMODEL_SCENARIOS_H */
