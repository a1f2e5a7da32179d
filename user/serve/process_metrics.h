/* SPDX-License-Identifier: GPL-2.0 */
/* The exporter's own memory, CPU time and file descriptors, as process_*. */
#ifndef SKBSTAT_SERVE_PROCESS_METRICS_H
#define SKBSTAT_SERVE_PROCESS_METRICS_H

#include "output/output.h"

void process_metrics_emit(struct out *out);

#endif /* SKBSTAT_SERVE_PROCESS_METRICS_H */
