// SPDX-License-Identifier: GPL-2.0
/*
 * skbstat serve's request handling (serve/http.c on libmicrohttpd): bytes
 * from a TCP client, as any client on the network may send them.  Two
 * servers run on 127.0.0.1 for the whole run, one open and one that needs
 * basic auth (user prometheus, password secret, a cheap bcrypt cost); the
 * input's first byte picks one, the rest is sent and an empty line, then
 * the client shuts its side and reads the answer.  Findings: a crash or sanitizer report,
 * an answer that is not HTTP, a 200 from the second server to a request
 * without credentials.  The backend is one that is not there (the module,
 * on a machine without it): each /metrics says skbstat_up 0.
 */
#include <arpa/inet.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fuzz/fuzz.h"
#include "serve/http.h"

#define SECRET_HASH	"$2y$04$tttsAFZd3gVbmYw/i6AnKe.o.H8R.lepUW5DG4t9.qo0JhsX4jpfy"
#define ANSWER_MAX	(64 * 1024)
#define WAIT_MS		200	/* for the first byte of an answer */
#define QUIET_MS	5	/* for more: loopback sends an answer at once */

struct fuzz_server {
	struct web_config wc;
	struct http_server *srv;
	unsigned int port;
};

static struct scrape_state scrape;
static struct fuzz_server servers[2];

static void config_from(const char *yaml, struct web_config *wc)
{
	char path[64];
	int fd;

	fd = memfd_create("web.yml", MFD_CLOEXEC);
	if (fd < 0 || write(fd, yaml, strlen(yaml)) != (ssize_t)strlen(yaml))
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (web_config_load(path, wc))
		abort();
	close(fd);
}

static void start(struct fuzz_server *s)
{
	static const char *const listen[] = { "127.0.0.1:0" };

	if (http_start(&s->srv, listen, 1, &s->wc, &scrape))
		abort();
	s->port = http_port(s->srv, 0);
	if (!s->port)
		abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const struct scrape_opts opts = { .backend = "kmod" };

	(void)argc;
	(void)argv;
	scrape_init(&scrape, &opts);
	config_from("", &servers[0].wc);
	config_from("basic_auth_users:\n  prometheus: " SECRET_HASH "\n", &servers[1].wc);
	start(&servers[0]);
	start(&servers[1]);
	return 0;
}

static int connect_to(unsigned int port)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(port) };
	int fd;

	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		abort();
	if (connect(fd, (struct sockaddr *)&to, sizeof(to))) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Up to ANSWER_MAX bytes of the answer, until the server closes or goes
 * quiet: a connection kept alive is not closed at once when the client
 * shuts its side.
 */
static size_t read_answer(int fd, char *buf)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	size_t len = 0;
	ssize_t n;

	while (len < ANSWER_MAX - 1 && poll(&p, 1, len ? QUIET_MS : WAIT_MS) == 1) {
		n = recv(fd, buf + len, ANSWER_MAX - 1 - len, 0);
		if (n <= 0)
			break;
		len += n;
	}
	buf[len] = '\0';
	return len;
}

/*
 * A reset, not a close: libmicrohttpd notices a connection kept alive and
 * closed by its client only at its idle timeout, 10 s later.
 */
static void close_at_once(int fd)
{
	const struct linger reset = { .l_onoff = 1, .l_linger = 0 };

	setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof(reset));
	close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char answer[ANSWER_MAX];
	const struct fuzz_server *s;
	size_t len;
	int fd, i;

	if (!size)
		return 0;
	s = &servers[data[0] & 1];
	/*
	 * Each input on a server with no connection left from the last: else
	 * the fuzzer soon outpaces its reaping and sees only the per-address
	 * limit turn connections away.
	 */
	for (i = 0; http_connections(s->srv) && i < WAIT_MS; i++)
		usleep(1000);
	fd = connect_to(s->port);
	if (fd < 0)
		abort();
	if (size > 1)
		send(fd, data + 1, size - 1, MSG_NOSIGNAL);
	/*
	 * libmicrohttpd waits out its idle timeout (10 s) for the rest of a
	 * request's headers even after the client shut its side: an empty
	 * line ends most inputs' headers at once (and before a request it is
	 * ignored, as HTTP asks).
	 */
	send(fd, "\r\n\r\n", 4, MSG_NOSIGNAL);
	shutdown(fd, SHUT_WR);
	len = read_answer(fd, answer);
	close_at_once(fd);
	if (len >= 5 && strncmp(answer, "HTTP/", 5))
		abort();
	if (s == &servers[1] && !strncmp(answer, "HTTP/1.1 200", 12) &&
	    !memmem(data, size, "cHJvbWV0aGV1czpzZWNyZXQ", 23))
		abort();	/* served without the credentials */
	return 0;
}
