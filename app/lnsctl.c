/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lnsctl: the management client. Sends its arguments as one line to lnsd's
 * management socket and prints the answer. Exit status: 0, 1 when lnsd
 * answered with an error, 2 on usage or connection problems.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define DEFAULT_SOCKET "/run/lns/lnsd.sock"

static void usage(FILE *f)
{
	fprintf(f, "usage: lnsctl [-s SOCKET] COMMAND... [--json]\n"
		   "  -s, --socket PATH  lnsd's management socket (default " DEFAULT_SOCKET ")\n"
		   "commands:\n"
		   "  show ports [--json]\n"
		   "  show counters [--json]\n"
		   "  show neighbours [--json]\n"
		   "  show tunnels [--json]\n"
		   "  show sessions [--json]\n"
		   "  disconnect tunnel TUNNEL_ID\n"
		   "  disconnect session TUNNEL_ID SESSION_ID\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"socket", required_argument, NULL, 's'},
		{"help", no_argument, NULL, 'h'},
		{"json", no_argument, NULL, 'j'},
		{NULL, 0, NULL, 0},
	};
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	const char *path = getenv("LNS_SOCKET") ? getenv("LNS_SOCKET") : DEFAULT_SOCKET;
	char req[1024] = "", buf[65536];
	size_t len = 0;
	bool json = false, first = true, is_error = false;
	int c, fd;

	while ((c = getopt_long(argc, argv, "+s:h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			path = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind == argc) {
		usage(stderr);
		return 2;
	}
	for (int i = optind; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0) {
			json = true;
			continue;
		}
		len += (size_t)snprintf(req + len, sizeof(req) - len, "%s%s", len ? " " : "", argv[i]);
		if (len >= sizeof(req) - 16) {
			fprintf(stderr, "lnsctl: command too long\n");
			return 2;
		}
	}
	snprintf(req + len, sizeof(req) - len, "%s\n", json ? " --json" : "");

	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "lnsctl: socket path too long\n");
		return 2;
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		fprintf(stderr, "lnsctl: cannot reach lnsd at %s: %s\n", path, strerror(errno));
		return 2;
	}
	if (write(fd, req, strlen(req)) != (ssize_t)strlen(req)) {
		fprintf(stderr, "lnsctl: write: %s\n", strerror(errno));
		return 2;
	}
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "lnsctl: read: %s\n", strerror(errno));
			return 2;
		}
		if (n == 0)
			break;
		if (first && n >= 7 && memcmp(buf, "error: ", 7) == 0)
			is_error = true;
		first = false;
		fwrite(buf, 1, (size_t)n, is_error ? stderr : stdout);
	}
	close(fd);
	return is_error ? 1 : 0;
}
