/* Echo load in C: C concurrent connections each send M lines of SIZE bytes, one at a time,
 * and check every echo byte for byte. The same workload as the anchor's echo_load.py, but the
 * client costs a few microseconds per request, so on a small machine the server under test,
 * not the load generator, sets the pace.
 *
 * usage: echo_load HOST PORT C M [SIZE]
 * prints "REQ_PER_S P99_MS" (the anchor's format) and exits 0; on a wrong or missing echo, a
 * refused connection or a 10 s stall it prints why on stderr and exits 1.
 *
 * Built on demand by tools/bench/native_load.py with the system C compiler (Linux, epoll).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define STALL_S 10.0

typedef struct {
    int fd;
    int connected;
    int done;
    long sent_req;     /* index of the request in flight */
    int got;           /* bytes of its echo received so far */
    int attempts;
    double t0;         /* when the request in flight was written */
    char msg[4096];
} conn_t;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static struct sockaddr_in addr;
static int ep;
static int size = 64;

static void fail(const char *what, long i) {
    fprintf(stderr, "echo_load: connection %ld: %s\n", i, what);
    exit(1);
}

static void open_conn(conn_t *c, long i) {
    c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (c->fd < 0) fail(strerror(errno), i);
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    int r = connect(c->fd, (struct sockaddr *)&addr, sizeof addr);
    if (r < 0 && errno != EINPROGRESS) fail(strerror(errno), i);
    c->connected = 0;
    struct epoll_event ev = {.events = EPOLLOUT, .data.u64 = (unsigned long)i};
    epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev);
}

static void make_msg(conn_t *c, long i) {
    /* "%06ld-%06ld-" padded with 'x' to size-1, then a newline, as the anchor does */
    memset(c->msg, 'x', size);
    char head[32];
    int n = snprintf(head, sizeof head, "%06ld-%06ld-", i, c->sent_req);
    memcpy(c->msg, head, n < size - 1 ? n : size - 1);
    c->msg[size - 1] = '\n';
}

static void send_req(conn_t *c, long i) {
    make_msg(c, i);
    c->got = 0;
    c->t0 = now();
    ssize_t w = send(c->fd, c->msg, size, MSG_NOSIGNAL);
    if (w != size) fail(w < 0 ? strerror(errno) : "short write", i);
}

int main(int argc, char **argv) {
    if (argc < 5) {
        fprintf(stderr, "usage: echo_load HOST PORT C M [SIZE]\n");
        return 2;
    }
    long C = atol(argv[3]), M = atol(argv[4]);
    if (argc > 5) size = atoi(argv[5]);
    if (C < 1 || M < 1 || size < 16 || size > 4096) {
        fprintf(stderr, "echo_load: need C >= 1, M >= 1, 16 <= SIZE <= 4096\n");
        return 2;
    }
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (rlim_t)C + 64) {
        rl.rlim_cur = rl.rlim_max < (rlim_t)C + 64 ? rl.rlim_max : (rlim_t)C + 64;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons(atoi(argv[2]));
    if (inet_pton(AF_INET, argv[1], &addr.sin_addr) != 1) {
        fprintf(stderr, "echo_load: HOST must be an IPv4 address\n");
        return 2;
    }
    ep = epoll_create1(0);
    conn_t *conns = calloc(C, sizeof(conn_t));
    double *lat = malloc(sizeof(double) * C * M);
    double *first = malloc(sizeof(double) * C);   /* each connection's first request */
    long nlat = 0, nfirst = 0, finished = 0;
    double start = now(), last_progress = start;
    for (long i = 0; i < C; i++) open_conn(&conns[i], i);
    struct epoll_event evs[256];
    char buf[8192];
    while (finished < C) {
        int n = epoll_wait(ep, evs, 256, 1000);
        if (n < 0) {
            if (errno == EINTR) continue;
            perror("epoll_wait");
            return 1;
        }
        if (n > 0) last_progress = now();
        else if (now() - last_progress > STALL_S) {
            fprintf(stderr, "echo_load: no progress for %.0f s (%ld of %ld connections done)\n",
                    STALL_S, finished, C);
            return 1;
        }
        for (int k = 0; k < n; k++) {
            long i = (long)evs[k].data.u64;
            conn_t *c = &conns[i];
            if (c->done) continue;
            if (!c->connected) {
                int err = 0;
                socklen_t len = sizeof err;
                getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
                if (err) {
                    /* the server's accept queue overflowed or it is still starting: retry */
                    close(c->fd);
                    if (++c->attempts > 50) fail(strerror(err), i);
                    usleep(20000);
                    open_conn(c, i);
                    continue;
                }
                c->connected = 1;
                struct epoll_event ev = {.events = EPOLLIN, .data.u64 = (unsigned long)i};
                epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
                send_req(c, i);
                continue;
            }
            ssize_t r = recv(c->fd, buf, sizeof buf, 0);
            if (r < 0) {
                if (errno == EAGAIN || errno == EINTR) continue;
                fail(strerror(errno), i);
            }
            if (r == 0) fail("closed by the server before its echo arrived", i);
            if (c->got + r > size) fail("more bytes than were sent", i);
            if (memcmp(buf, c->msg + c->got, r) != 0) fail("wrong echo", i);
            c->got += r;
            if (c->got < size) continue;
            lat[nlat++] = now() - c->t0;
            if (c->sent_req == 0) first[nfirst++] = lat[nlat - 1];
            if (++c->sent_req < M) {
                send_req(c, i);
            } else {
                c->done = 1;
                finished++;
                epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
                close(c->fd);
            }
        }
    }
    double dt = now() - start;
    qsort(lat, nlat, sizeof(double), cmp_double);
    if (getenv("ECHO_LOAD_VERBOSE")) {
        /* where the time goes: the whole distribution, and first requests (which wait for the
           server to accept the connection) apart from the rest */
        qsort(first, nfirst, sizeof(double), cmp_double);
        fprintf(stderr, "all: p50 %.2f p90 %.2f p99 %.2f p99.9 %.2f max %.2f ms; "
                "first requests: p50 %.2f p99 %.2f max %.2f ms; %.3f s in all\n",
                lat[nlat / 2] * 1e3, lat[(long)(nlat * 0.9)] * 1e3, lat[(long)(nlat * 0.99)] * 1e3,
                lat[(long)(nlat * 0.999)] * 1e3, lat[nlat - 1] * 1e3,
                first[nfirst / 2] * 1e3, first[(long)(nfirst * 0.99)] * 1e3, first[nfirst - 1] * 1e3, dt);
    }
    printf("%.0f %.2f\n", nlat / dt, lat[(long)(nlat * 0.99)] * 1000.0);
    return 0;
}
