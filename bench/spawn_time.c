/* spawn_time N CMD [ARG...]: runs CMD N times, one after the other, with
 * posix_spawn (no copy of a large parent, unlike a shell's or perf's fork)
 * and stdout/stderr on /dev/null, and prints the mean wall time and the mean
 * CPU time (user + system, from wait4) per run, in seconds. Exit 1 when a
 * run cannot be started or does not exit 0 (a benchmark of a failing command
 * means nothing). Used by bench_pades_verify.sh for per-process figures. */
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

extern char **environ;

static double seconds(const struct timeval *tv)
{
    return (double)tv->tv_sec + (double)tv->tv_usec / 1e6;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: spawn_time N CMD [ARG...]\n");
        return 2;
    }
    long n = strtol(argv[1], NULL, 10);
    if (n < 1 || n > 1000000) {
        fprintf(stderr, "spawn_time: N must be 1..1000000\n");
        return 2;
    }
    posix_spawn_file_actions_t fa;
    if (posix_spawn_file_actions_init(&fa) != 0 ||
        posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0) != 0 ||
        posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0) != 0)
        return 1;
    double wall = 0, cpu = 0;
    for (long i = 0; i < n; i++) {
        struct timespec a, b;
        struct rusage ru;
        int status;
        pid_t pid;
        clock_gettime(CLOCK_MONOTONIC, &a);
        if (posix_spawnp(&pid, argv[2], &fa, NULL, argv + 2, environ) != 0) {
            fprintf(stderr, "spawn_time: cannot start %s\n", argv[2]);
            return 1;
        }
        if (wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            fprintf(stderr, "spawn_time: %s did not exit 0\n", argv[2]);
            return 1;
        }
        clock_gettime(CLOCK_MONOTONIC, &b);
        wall += (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
        cpu += seconds(&ru.ru_utime) + seconds(&ru.ru_stime);
    }
    posix_spawn_file_actions_destroy(&fa);
    printf("%.6f %.6f\n", wall / (double)n, cpu / (double)n);
    return 0;
}
