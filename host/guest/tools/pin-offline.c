// SPDX-License-Identifier: GPL-2.0
/*
 * pin-offline NODE FILE SECONDS [TEXT]: keep pages of NODE referenced (an
 * anonymous buffer handed to a pipe with vmsplice(), held open), arm
 * a SIGALRM in SECONDS (setitimer(ITIMER_REAL), as alarm() does) with a
 * handler installed without SA_RESTART, then write TEXT ("offline" by
 * default) once to FILE (a memory block's state file, or the framework's
 * request file with a request that offlines the block). Prints
 * "result=ok|EINTR|<errno> seconds=N": the write's outcome and how long it
 * took. A memory offline gives up on any pending signal, so the alarm is
 * expected to end it with EINTR while the block stays online.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define MPOL_BIND	2
#define BUF_SIZE	(1UL << 20)

static void on_alarm(int sig)
{
	(void)sig;
}

int main(int argc, char **argv)
{
	unsigned long mask;
	struct sigaction sa;
	struct timespec t0, t1;
	struct itimerval timer;
	struct iovec iov;
	int pipefd[2], fd, err = 0;
	ssize_t n;
	char *buf;

	const char *text = argc > 4 ? argv[4] : "offline";

	if (argc != 4 && argc != 5) {
		fprintf(stderr, "usage: %s NODE FILE SECONDS [TEXT]\n", argv[0]);
		return 2;
	}
	mask = 1UL << atoi(argv[1]);
	if (syscall(SYS_set_mempolicy, MPOL_BIND, &mask, 8 * sizeof(mask))) {
		perror("set_mempolicy");
		return 1;
	}
	buf = mmap(NULL, BUF_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	memset(buf, 0x5a, BUF_SIZE);
	if (pipe(pipefd) || fcntl(pipefd[1], F_SETPIPE_SZ, BUF_SIZE) < 0) {
		perror("pipe");
		return 1;
	}
	/* The pipe now holds references to the buffer's pages. */
	iov.iov_base = buf;
	iov.iov_len = BUF_SIZE;
	n = vmsplice(pipefd[1], &iov, 1, 0);
	if (n <= 0) {
		perror("vmsplice");
		return 1;
	}
	fprintf(stderr, "pin-offline: %zd bytes of node %s referenced by a pipe\n",
		n, argv[1]);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;	/* no SA_RESTART */
	sigaction(SIGALRM, &sa, NULL);

	fd = open(argv[2], O_WRONLY);
	if (fd < 0) {
		perror(argv[2]);
		return 1;
	}
	/* alarm(), with its error seen: a kernel without timers has none. */
	memset(&timer, 0, sizeof(timer));
	timer.it_value.tv_sec = atoi(argv[3]);
	if (setitimer(ITIMER_REAL, &timer, NULL)) {
		perror("setitimer");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (write(fd, text, strlen(text)) < 0)
		err = errno;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	memset(&timer, 0, sizeof(timer));
	setitimer(ITIMER_REAL, &timer, NULL);
	printf("result=%s seconds=%ld\n", !err ? "ok" :
	       err == EINTR ? "EINTR" : strerror(err),
	       (long)(t1.tv_sec - t0.tv_sec));
	close(fd);
	return 0;
}
