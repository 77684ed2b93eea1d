// SPDX-License-Identifier: GPL-2.0
/*
 * timed-writes FILE TEXT [FILE TEXT ...]: write each TEXT to its FILE, in
 * order, from this one process, and print "ns=N" (CLOCK_MONOTONIC from
 * before the first open to after the last close). The bench times sysfs
 * and request-file writes with it, so that no process start-up is counted.
 * A write that fails ends it: "ns=N failed=FILE errno=E", exit status 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	long long start;
	int i;

	if (argc < 3 || argc % 2 == 0) {
		fprintf(stderr, "usage: timed-writes FILE TEXT [FILE TEXT ...]\n");
		return 2;
	}
	start = now_ns();
	for (i = 1; i < argc; i += 2) {
		size_t len = strlen(argv[i + 1]);
		int fd = open(argv[i], O_WRONLY);
		int err = 0;

		if (fd < 0 || write(fd, argv[i + 1], len) != (ssize_t)len)
			err = errno;
		if (fd >= 0 && close(fd) && !err)
			err = errno;
		if (err) {
			printf("ns=%lld failed=%s errno=%d\n", now_ns() - start,
			       argv[i], err);
			return 1;
		}
	}
	printf("ns=%lld\n", now_ns() - start);
	return 0;
}
