/* SPDX-License-Identifier: MIT */
/* The device's counters, every set summed, by value: what STATS reports. */
#ifndef SPOTLESS_TEST_COUNTED_H
#define SPOTLESS_TEST_COUNTED_H

#include "spotless_core.h"

static inline struct spotless_counters counted(const struct spotless_device_state *dev)
{
	struct spotless_counters sum;

	spotless_core_device_counters(dev, &sum);
	return sum;
}

#endif /* SPOTLESS_TEST_COUNTED_H */
