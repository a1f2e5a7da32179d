// SPDX-License-Identifier: GPL-2.0
/*
 * skbstat serve, scraped by a real Prometheus: after known traffic, PromQL
 * through Prometheus's HTTP API returns exactly the kernel's own counts;
 * TLS and basic auth as the web configuration says; bad and slow clients
 * leave it answering; a backend that goes away is a metric, not a crash.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "lib/testlib.h"
#include "kselftest_harness.h"
#include "lib/variants.h"

#define METRICS_URL	"http://" SERVE_LISTEN "/metrics"
#define TLS_LISTEN	"127.0.0.1:19817"
#define TLS_URL		"https://" TLS_LISTEN "/metrics"
#define DATAGRAMS	50

FIXTURE(serve) {
	struct hosts h;
	struct serve serve;
	struct prom prom;
	char dir[64];
};

/* One attach mode per backend: what serve reads does not depend on it. */
FIXTURE_VARIANT(serve) {
	struct backend_variant v;
};

FIXTURE_VARIANT_ADD(serve, kmod_tracepoint) {
	.v = { "kmod", "tracepoint" },
};

FIXTURE_VARIANT_ADD(serve, bpf_tp_btf) {
	.v = { "bpf", "tp_btf" },
};

FIXTURE_SETUP(serve)
{
	BACKEND_SETUP(variant);
	if (access("/usr/bin/prometheus", X_OK))
		SKIP(return, "no prometheus (make deps installs it)");
	snprintf(self->dir, sizeof(self->dir), "/tmp/skbstat-serve-test-%d", getpid());
	ASSERT_EQ(0, sh("rm -rf %s && mkdir -p %s", self->dir, self->dir));
	ASSERT_EQ(0, hosts_up(&self->h));
	ASSERT_EQ(0, skbstat_serve_start(&self->serve, backend_args(&variant->v),
					 "--listen " SERVE_LISTEN));
	ASSERT_EQ(0, http_wait_ok(METRICS_URL, "", 60)) {
		sh_log("cat %s", self->serve.log);
	}
}

FIXTURE_TEARDOWN(serve)
{
	prom_stop(&self->prom);
	if (self->serve.pid > 0)
		spawn_stop(self->serve.pid);
	hosts_down(&self->h);
	if (self->dir[0])
		sh("rm -rf %s", self->dir);
}

static int send_udp(void *arg)
{
	return udp_send_n("10.77.0.2", 9, DATAGRAMS, 64) ? 1 : 0;
}

/* A counter of /proc/net/snmp or /proc/net/netstat in @netns. */
static int snmp_in(const char *netns, const char *group, const char *name, uint64_t *n)
{
	return sh_u64(n, "ip netns exec %s awk '$1 == \"%s:\" { if (!h) { for (i = 2; i <= NF; "
		      "i++) c[$i] = i; h = 1 } else print $c[\"%s\"] }' /proc/net/snmp "
		      "/proc/net/netstat", netns, group, name);
}

static int read_udp_noports(const void *netns, uint64_t *n)
{
	return snmp_in(netns, "Udp", "NoPorts", n);
}

/* Udp NoPorts of @netns, once the receiver has had all DATAGRAMS. */
static uint64_t udp_noports_in(const char *netns)
{
	uint64_t n = 0;

	counter_settled(read_udp_noports, netns, 0, DATAGRAMS, &n);
	return n;
}

/* va's tx_packets in netns @netns (the sender's). */
static int read_va_tx_packets(const void *netns, uint64_t *n)
{
	return sh_u64(n, "ip netns exec %s cat /sys/class/net/va/statistics/tx_packets",
		      (const char *)netns);
}

/*
 * Whether @promql comes to equal the kernel's own count, which @read_fn gives:
 * read again while Prometheus catches up, as traffic can go on after the
 * test's own (an ARP probe; a FIN and its ACK that a lossy rule drops, and
 * their retransmits, up to a few RTOs later).  The last values read are
 * left in *@kernel and *@got.
 */
static bool prom_agrees(const char *promql,
			int (*read_fn)(const void *arg, uint64_t *n), const void *arg,
			uint64_t *kernel, double *got)
{
	int i;

	for (i = 0; i < 30; i++) {
		if (read_fn(arg, kernel)) {
			fprintf(stderr, "# cannot read the kernel's count for %s\n", promql);
			return false;
		}
		if (!prom_wait_value(promql, *kernel, 6, got))
			return true;
	}
	return false;
}

/* Prometheus scrapes every 5 s: minutes in the lab VM, beyond the harness default. */
TEST_F_TIMEOUT(serve, prometheus_sees_the_kernels_counts, 900)
{
	char promql[256];
	double got;
	uint64_t noports, tx;

	RETURN_IF_SKIPPED();
	ASSERT_EQ(0, prom_start(&self->prom, "    static_configs:\n"
				"      - targets: ['" SERVE_LISTEN "']\n"));
	ASSERT_EQ(0, run_in_netns(self->h.a, send_udp, NULL));
	noports = udp_noports_in(self->h.b);
	ASSERT_EQ((uint64_t)DATAGRAMS, noports);

	snprintf(promql, sizeof(promql),
		 "sum(skbstat_drops_total{reason=\"NO_SOCKET\",netns=\"%u\"})", self->h.b_netns);
	EXPECT_EQ(0, prom_wait_value(promql, noports, 120, &got)) {
		TH_LOG("%s is %.0f, UdpNoPorts %llu", promql, got, (unsigned long long)noports);
	}
	snprintf(promql, sizeof(promql),
		 "sum(skbstat_queue_packets_total{dev=\"va\",netns=\"%u\"})", self->h.a_netns);
	EXPECT_TRUE(prom_agrees(promql, read_va_tx_packets, self->h.a, &tx, &got)) {
		TH_LOG("%s is %.0f, va's tx_packets %llu", promql, got, (unsigned long long)tx);
	}
	EXPECT_EQ(0, prom_wait_value("skbstat_up", 1, 30, &got));
	EXPECT_EQ(0, prom_wait_value("up{job=\"skbstat\"}", 1, 30, &got));
}

#define SINK_PORT	5201
#define FILTERED_PORT	7777

static int sink(void *arg)
{
	return tcp_sink(SINK_PORT) ? 1 : 0;
}

static int send_transfer(void *arg)
{
	return tcp_send("10.77.0.2", SINK_PORT, 3 << 20, NULL) ? 1 : 0;
}

static int send_filtered(void *arg)
{
	return udp_send_n("10.77.0.2", FILTERED_PORT, DATAGRAMS, 64) ? 1 : 0;
}

/* What skbstat counts as retransmits in @netns: TcpRetransSegs - TCPRetransFail. */
static int read_retransmits(const void *netns, uint64_t *n)
{
	uint64_t segs = 0, failed = 0;
	int err;

	err = snmp_in(netns, "Tcp", "RetransSegs", &segs) ?:
	      snmp_in(netns, "TcpExt", "TCPRetransFail", &failed);
	*n = segs - failed;
	return err;
}

/* The packets the nftables rules of test table skbt in @netns dropped. */
static int read_rule_drops(const void *netns, uint64_t *n)
{
	return sh_u64(n, "ip netns exec %s nft -j list chain inet skbt in | "
		      "jq '[.nftables[].rule?.expr[]?.counter?.packets // empty] | add'",
		      (const char *)netns);
}

/*
 * Retransmits made lossy by an nftables rule on b's input, and datagrams
 * another rule drops: Prometheus sees TcpRetransSegs - TCPRetransFail of
 * the sender's netns, and the rules' counters as NETFILTER_DROP.
 */
TEST_F_TIMEOUT(serve, prometheus_sees_retransmits_and_netfilter_drops, 900)
{
	uint64_t rules = 0, retrans = 0;
	char promql[256];
	pid_t server;
	double got;
	int i;

	RETURN_IF_SKIPPED();
	ASSERT_EQ(0, sh("ip netns exec %s nft add table inet skbt", self->h.b));
	ASSERT_EQ(0, sh("ip netns exec %s nft add chain inet skbt in "
			"'{ type filter hook input priority 0; }'", self->h.b));
	ASSERT_EQ(0, sh("ip netns exec %s nft add rule inet skbt in meta l4proto tcp "
			"numgen random mod 100 '<' 7 counter drop", self->h.b));
	ASSERT_EQ(0, sh("ip netns exec %s nft add rule inet skbt in udp dport %d counter drop",
			self->h.b, FILTERED_PORT));
	ASSERT_EQ(0, prom_start(&self->prom, "    static_configs:\n"
				"      - targets: ['" SERVE_LISTEN "']\n"));
	ASSERT_EQ(0, run_in_netns(self->h.a, send_filtered, NULL));
	/* Now and then the random rule spares a whole transfer: again, then. */
	for (i = 0; i < 5 && !retrans; i++) {
		server = start_in_netns(self->h.b, sink, NULL);
		ASSERT_LT(0, server);
		usleep(200000);
		ASSERT_EQ(0, run_in_netns(self->h.a, send_transfer, NULL));
		ASSERT_EQ(0, wait_child(server));
		ASSERT_EQ(0, read_retransmits(self->h.a, &retrans));
	}
	ASSERT_LT(0ULL, retrans);

	snprintf(promql, sizeof(promql),
		 "sum(skbstat_netns_retransmits_total{netns=\"%u\"})", self->h.a_netns);
	EXPECT_TRUE(prom_agrees(promql, read_retransmits, self->h.a, &retrans, &got)) {
		TH_LOG("%s is %.0f, TcpRetransSegs - TCPRetransFail %llu", promql, got,
		       (unsigned long long)retrans);
	}
	snprintf(promql, sizeof(promql),
		 "sum(skbstat_drops_total{reason=\"NETFILTER_DROP\",netns=\"%u\"})",
		 self->h.b_netns);
	EXPECT_TRUE(prom_agrees(promql, read_rule_drops, self->h.b, &rules, &got)) {
		TH_LOG("%s is %.0f, the rules' counters %llu", promql, got,
		       (unsigned long long)rules);
	}
}

TEST_F(serve, both_formats_parse)
{
	char file[96];
	int status;
	char *out;

	RETURN_IF_SKIPPED();
	snprintf(file, sizeof(file), "%s/metrics.txt", self->dir);
	ASSERT_EQ(0, sh("curl -sf -o %s " METRICS_URL, file));
	EXPECT_EQ(0, sh("promtool check metrics < %s", file));
	/* The process collector's names: its own memory, as exporters have them. */
	EXPECT_EQ(0, sh("awk '$1 == \"process_resident_memory_bytes\" && $2 > 1000000 { ok = 1 } "
			"$1 == \"process_open_fds\" && $2 > 2 { fds = 1 } END { exit !(ok && fds) }' %s",
			file));

	/* OpenMetrics: a counter's family has no "_total", and # EOF ends it. */
	ASSERT_EQ(0, sh_capture("curl -sf -H 'Accept: application/openmetrics-text; "
				"version=1.0.0' " METRICS_URL, &status, &out));
	EXPECT_EQ(0, status);
	EXPECT_NE(NULL, strstr(out, "# TYPE skbstat_drops counter\n"));
	EXPECT_NE(NULL, strstr(out, "\n# EOF\n"));
	free(out);
	/* gzip when asked for, and the same text once unpacked. */
	EXPECT_EQ(0, sh("curl -sf --compressed -D %s/headers " METRICS_URL " | "
			"grep -q '^skbstat_up' && grep -qi '^content-encoding: gzip' %s/headers",
			self->dir, self->dir));
}

/* A self-signed certificate and one user, "prometheus", password "secret". */
static int write_web_config(const char *dir)
{
	return sh("(cd %s && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 "
		  "-nodes -keyout server.key -out server.crt -days 2 -subj /CN=127.0.0.1 "
		  "-addext subjectAltName=IP:127.0.0.1 && "
		  "printf 'tls_server_config:\\n  cert_file: server.crt\\n  key_file: server.key\\n"
		  "basic_auth_users:\\n  prometheus: %%s\\n' "
		  "\"$(htpasswd -nbBC 5 prometheus secret | cut -d: -f2)\" > web.yml)", dir);
}

TEST_F_TIMEOUT(serve, tls_and_basic_auth, 900)
{
	char args[256], scrape[512];
	struct serve tls = { 0 };
	double got;

	RETURN_IF_SKIPPED();
	ASSERT_EQ(0, write_web_config(self->dir));
	snprintf(args, sizeof(args), "--listen " TLS_LISTEN " --web-config %s/web.yml",
		 self->dir);
	ASSERT_EQ(0, skbstat_serve_start(&tls, backend_args(&variant->v), args));
	EXPECT_EQ(0, http_wait_ok(TLS_URL, "-k -u prometheus:secret", 60)) {
		sh_log("cat %s", tls.log);
	}
	snprintf(args, sizeof(args), "-k '%s'", TLS_URL);
	EXPECT_EQ(401, http_status(args));
	snprintf(args, sizeof(args), "-k -u prometheus:wrong '%s'", TLS_URL);
	EXPECT_EQ(401, http_status(args));
	snprintf(args, sizeof(args), "-k -u nobody:secret '%s'", TLS_URL);
	EXPECT_EQ(401, http_status(args));
	/* Plain HTTP to the TLS listener gets no HTTP answer, and breaks nothing. */
	EXPECT_EQ(-1, http_status("http://" TLS_LISTEN "/metrics"));

	snprintf(scrape, sizeof(scrape), "    scheme: https\n    tls_config:\n"
		 "      ca_file: %s/server.crt\n    basic_auth:\n      username: prometheus\n"
		 "      password: secret\n    static_configs:\n"
		 "      - targets: ['" TLS_LISTEN "']\n", self->dir);
	ASSERT_EQ(0, prom_start(&self->prom, scrape));
	EXPECT_EQ(0, prom_wait_value("up{job=\"skbstat\"}", 1, 120, &got));
	EXPECT_EQ(0, prom_wait_value("skbstat_up", 1, 30, &got));

	/* SIGHUP reads it again: a new password; a broken file keeps the last good one. */
	ASSERT_EQ(0, sh("cd %s && sed -i 's|prometheus: .*|prometheus: '\"$(htpasswd -nbBC 5 "
			"prometheus changed | cut -d: -f2)\"'|' web.yml && kill -HUP %d",
			self->dir, tls.pid));
	EXPECT_EQ(0, http_wait_ok(TLS_URL, "-k -u prometheus:changed", 30));
	snprintf(args, sizeof(args), "-k -u prometheus:secret '%s'", TLS_URL);
	EXPECT_EQ(401, http_status(args));
	ASSERT_EQ(0, sh("echo 'client_ca_file: x' >> %s/web.yml && kill -HUP %d", self->dir,
			tls.pid));
	sleep(1);
	snprintf(args, sizeof(args), "-k -u prometheus:changed '%s'", TLS_URL);
	EXPECT_EQ(200, http_status(args)) {
		/* Seen once, under load: say why curl failed. */
		sh_log("curl -sSv -o /dev/null -m 20 %s; cat %s", args, tls.log);
	}
	spawn_stop(tls.pid);
}

/* @n connections from 127.0.0.2 that send half a request and wait. */
static int slow_clients(int *fds, int n)
{
	struct sockaddr_in from = { .sin_family = AF_INET }, to = { .sin_family = AF_INET };
	static const char half[] = "GET /metrics HTTP/1.1\r\nHost: x\r\n";
	int i, opened = 0;

	inet_pton(AF_INET, "127.0.0.2", &from.sin_addr);
	inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
	to.sin_port = htons(19816);
	for (i = 0; i < n; i++) {
		fds[i] = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fds[i] < 0 || bind(fds[i], (void *)&from, sizeof(from)) ||
		    connect(fds[i], (void *)&to, sizeof(to)))
			continue;
		if (send(fds[i], half, sizeof(half) - 1, MSG_NOSIGNAL) > 0)
			opened++;
	}
	return opened;
}

TEST_F(serve, bad_and_slow_clients_leave_it_answering)
{
	int fds[100], i;
	char args[256];

	RETURN_IF_SKIPPED();
	EXPECT_EQ(405, http_status("-X POST " METRICS_URL));
	EXPECT_EQ(405, http_status("-X DELETE " METRICS_URL));
	EXPECT_EQ(404, http_status("--path-as-is http://" SERVE_LISTEN "/../../etc/passwd"));
	EXPECT_EQ(404, http_status("http://" SERVE_LISTEN "/metrics/../../etc/shadow"));
	/* 64 KiB of headers: more than a connection may hold. */
	snprintf(args, sizeof(args), "-H \"X-Big: $(head -c 65536 /dev/zero | tr '\\0' a)\" "
		 METRICS_URL);
	EXPECT_EQ(431, http_status(args));

	/* Slowloris from another address: the limits per address keep room. */
	slow_clients(fds, ARRAY_SIZE(fds));
	EXPECT_EQ(200, http_status("-m 5 " METRICS_URL));
	EXPECT_EQ(200, http_status("-m 5 http://" SERVE_LISTEN "/"));
	for (i = 0; i < (int)ARRAY_SIZE(fds); i++)
		if (fds[i] >= 0)
			close(fds[i]);
	/* 84 connections turned away are not 84 log lines. */
	EXPECT_EQ(0, sh("test $(grep -c 'connection limit' %s) -le 10", self->serve.log)) {
		sh_log("grep -c 'connection limit' %s", self->serve.log);
	}
}

/* The line skbstat_up{backend="..."} has @value, not just any series. */
static bool up_line_says(const char *metrics, int value)
{
	const char *line = strstr(metrics, "\nskbstat_up{");
	const char *end = line ? strchr(line + 1, '\n') : NULL;
	char want[8];

	snprintf(want, sizeof(want), "} %d", value);
	return end && end - line > (ptrdiff_t)strlen(want) &&
	       !strncmp(end - strlen(want), want, strlen(want));
}

TEST_F(serve, a_backend_that_goes_away_is_a_metric)
{
	int status;
	char *out;

	RETURN_IF_SKIPPED();
	if (!strcmp(variant->v.backend, "kmod")) {
		ASSERT_EQ(0, kmod_unload());
	} else {
		ASSERT_EQ(0, sh("%s -b bpf detach", skbstat_path()));
	}
	ASSERT_EQ(0, sh_capture("curl -sf -m 20 " METRICS_URL, &status, &out));
	EXPECT_EQ(0, status);
	EXPECT_NE(NULL, strstr(out, "\nskbstat_up{backend=")) {
		TH_LOG("%s", out);
	}
	EXPECT_TRUE(up_line_says(out, 0)) {
		TH_LOG("%s", out);
	}
	EXPECT_NE(NULL, strstr(out, "skbstat_scrape_errors_total"));
	free(out);
	/*
	 * And back: the next scrape reads the new module or the new maps (serve
	 * keeps its backend open, and must not go on reading the old ones).
	 */
	ASSERT_EQ(0, backend_up(&variant->v));
	ASSERT_EQ(0, sh("curl -sf -m 20 " METRICS_URL " | grep -q '^skbstat_up{.*} 1$'"));
	ASSERT_EQ(0, run_in_netns(self->h.a, send_udp, NULL));
	ASSERT_EQ((uint64_t)DATAGRAMS, udp_noports_in(self->h.b));
	EXPECT_EQ(0, sh("curl -sf -m 20 " METRICS_URL " | awk '/^skbstat_drops_total\\{/ && "
			"/reason=\"NO_SOCKET\"/ && /netns=\"%u\"/ { n += $NF } "
			"END { exit n != %d }'", self->h.b_netns, DATAGRAMS)) {
		sh_log("curl -s -m 20 " METRICS_URL " | grep '^skbstat_drops_total'");
	}
}

TEST_HARNESS_MAIN
