// SPDX-License-Identifier: GPL-2.0
/*
 * skbstat serve's web configuration file (serve/web_config.c): YAML in
 * exporter-toolkit's format, read at start and at each SIGHUP.  The input
 * is the file; a configuration that loads is then asked about credentials,
 * the first user's with a wrong password and with an empty one.  Hashes
 * whose cost would make one check take more than milliseconds are left
 * unchecked (a cost is the administrator's to choose, not a finding).
 */
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz/fuzz.h"
#include "serve/web_config.h"

static void check_users(struct web_config *wc)
{
	const struct web_user *u = &wc->users[0];

	if (!wc->nr_users || !u->name || !u->hash || strlen(u->hash) != 60)
		abort();	/* loaded users always have a name and a 60-byte hash */
	if (strncmp(u->hash + 4, "05", 2) > 0)
		return;
	if (web_config_authorized(wc, u->name, "not the password") ||
	    web_config_authorized(wc, u->name, ""))
		abort();	/* no password of these hashes is either */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct web_config wc = { 0 };
	char path[64];
	int fd;

	fd = memfd_create("web.yml", MFD_CLOEXEC);
	if (fd < 0 || (size && write(fd, data, size) != (ssize_t)size))
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (!web_config_load(path, &wc)) {
		if (wc.nr_users)
			check_users(&wc);
		if (!wc.cert_pem != !wc.key_pem)
			abort();	/* TLS needs both */
		web_config_free(&wc);
	}
	close(fd);
	return 0;
}
