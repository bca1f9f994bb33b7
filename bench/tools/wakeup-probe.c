/*
 * Wake-up probe: one thread per CPU (0 and 1), each at SCHED_FIFO priority PRIO (0 = normal scheduling), sleeps
 * 200 us in a loop for SECONDS and counts how late it wakes. Used in README (Performance) to show which kernel
 * work holds a CPU on this project's PREEMPT_NONE VM.
 *
 *   gcc -O2 -pthread -o /tmp/wakeup-probe bench/tools/wakeup-probe.c
 *   /tmp/wakeup-probe 20 10 & python3 bench/tools/rate-writer.py 150000000 19 /var/tmp/probe-file 1048576; wait
 *   /tmp/wakeup-probe 20 10 & python3 bench/tools/rate-writer.py 150000000 19 /var/tmp/probe-file 65536; wait
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static int seconds;
static int priority;
static long start;

static long now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}

static void *probe(void *arg)
{
    const long cpu = (long)arg;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    pthread_setaffinity_np(pthread_self(), sizeof set, &set);
    if (priority > 0)
    {
        struct sched_param param = {.sched_priority = priority};
        if (pthread_setschedparam(pthread_self(), SCHED_FIFO, &param) != 0)
        {
            perror("pthread_setschedparam");
        }
    }
    const long end = now() + seconds * 1000000000L;
    long buckets[8] = {0};
    long count = 0;
    long max = 0;
    while (now() < end)
    {
        const long t0 = now();
        const struct timespec nap = {0, 200000};
        nanosleep(&nap, NULL);
        const long late = now() - t0 - 200000;
        count++;
        if (late > max)
        {
            max = late;
        }
        if (late > 1500000)
        {
            printf("cpu%ld late %.2f ms at %.3f s\n", cpu, late / 1e6, (t0 - start) / 1e9);
        }
        const int b = late < 50000 ? 0 : late < 100000 ? 1 : late < 250000 ? 2 : late < 500000 ? 3 :
            late < 1000000 ? 4 : late < 2000000 ? 5 : late < 5000000 ? 6 : 7;
        buckets[b]++;
    }
    printf("cpu%ld n=%ld late <50us %ld <100us %ld <250us %ld <500us %ld <1ms %ld <2ms %ld <5ms %ld >=5ms %ld "
        "max %.2f ms\n", cpu, count, buckets[0], buckets[1], buckets[2], buckets[3], buckets[4], buckets[5],
        buckets[6], buckets[7], max / 1e6);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 3)
    {
        fprintf(stderr, "usage: %s SECONDS PRIO\n", argv[0]);
        return 2;
    }
    seconds = atoi(argv[1]);
    priority = atoi(argv[2]);
    start = now();
    pthread_t a;
    pthread_t b;
    pthread_create(&a, NULL, probe, (void *)0L);
    pthread_create(&b, NULL, probe, (void *)1L);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    return 0;
}
